"""Parks and industry clusters: the shared list/edit/export/history/API machinery, shown on its first two models."""

import csv
import io
import itertools

import openpyxl
import pytest

from parks.models import IndustryCluster, Park
from tests.factories import IndustryClusterFactory, ParkFactory
from tests.harness import (
    Endpoint,
    Page,
    check_access,
    count_queries,
    crud_accesses,
    matrix,
    page_accesses,
)

pytestmark = pytest.mark.django_db

ADMINS = frozenset({"administrator"})
_numbers = itertools.count(1)


PARK_PAGES = Page(
    "park",
    "/enterprises/parks/",
    Park,
    ParkFactory,
    lambda: {"code": f"new{next(_numbers)}", "name": f"新园区{next(_numbers)}", "kind": "sub_park"},
    {"name": "改名的园区"},
)
PARK_API = Endpoint(
    "/api/parks/",
    Park,
    ParkFactory,
    lambda: {"code": f"api-new{next(_numbers)}", "name": f"接口园区{next(_numbers)}", "kind": "sub_park"},
    {"name": "改名"},
    lookup="code",
)
PARK_ACCESS = [*page_accesses(PARK_PAGES, ADMINS), *crud_accesses(PARK_API, ADMINS)]
CLUSTER_PAGES = Page(
    "cluster",
    "/enterprises/clusters/",
    IndustryCluster,
    IndustryClusterFactory,
    lambda: {"code": f"NEW{next(_numbers)}", "name": f"新集群{next(_numbers)}", "role": "main", "color": "#123456"},
    {"name": "改名的集群"},
)
CLUSTER_API = Endpoint(
    "/api/clusters/",
    IndustryCluster,
    IndustryClusterFactory,
    lambda: {"code": f"API{next(_numbers)}", "name": f"接口集群{next(_numbers)}", "role": "main"},
    {"name": "改名"},
    lookup="code",
)
CLUSTER_ACCESS = [*page_accesses(CLUSTER_PAGES, ADMINS), *crud_accesses(CLUSTER_API, ADMINS)]


@pytest.mark.parametrize(("access", "role"), matrix(*PARK_ACCESS, *CLUSTER_ACCESS))
def test_role_matrix(client, access, role):
    check_access(client, access, role)


def test_park_list_searches_filters_and_sorts(admin_client):
    zone = ParkFactory(code="zone", name="高新区", kind="zone")
    ParkFactory(code="b-park", name="乙园", parent=zone)
    ParkFactory(code="a-park", name="甲园", parent=zone)
    ParkFactory(code="other", name="别处")

    response = admin_client.get("/enterprises/parks/", {"parent": "zone", "sort": "-code"})
    codes = [row[0].value for row in response.context["rows"]]
    assert codes == ["b-park", "a-park"]
    assert response.context["page_obj"].paginator.count == 2

    response = admin_client.get("/enterprises/parks/", {"q": "甲"})
    assert [row[0].value for row in response.context["rows"]] == ["a-park"]


def test_unknown_sort_and_page_fall_back_instead_of_failing(admin_client):
    ParkFactory.create_batch(3)
    response = admin_client.get("/enterprises/parks/", {"sort": "password", "page": "999999"})
    assert response.status_code == 200
    response = admin_client.get("/enterprises/parks/", {"page": "abc", "per_page": "-5"})
    assert response.status_code == 200


def test_oversized_or_odd_search_is_handled(admin_client):
    response = admin_client.get("/enterprises/parks/", {"q": "x" * 5000})
    assert response.status_code == 200
    assert response.context["filter_form"].errors
    response = admin_client.get("/enterprises/parks/", {"q": "'; DROP TABLE parks_park; --"})
    assert response.status_code == 200
    assert response.context["page_obj"].paginator.count == 0


def test_bad_filter_value_shows_an_error_not_a_crash(admin_client):
    response = admin_client.get("/enterprises/parks/", {"parent": "no-such-park", "kind": "nonsense"})
    assert response.status_code == 200
    assert set(response.context["filter_form"].errors) == {"parent", "kind"}


def test_export_honours_filters_and_sort(admin_client):
    zone = ParkFactory(code="zone", name="高新区", kind="zone")
    ParkFactory(code="b-park", name="乙园", parent=zone)
    ParkFactory(code="a-park", name="甲园", parent=zone)
    ParkFactory(code="other", name="别处")

    response = admin_client.get("/enterprises/parks/", {"parent": "zone", "sort": "code", "export": "csv"})
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert [r[0] for r in rows[1:]] == ["a-park", "b-park"]

    response = admin_client.get("/enterprises/parks/", {"parent": "zone", "sort": "-code", "export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["b-park", "a-park"]
    assert sheet.cell(2, 2).value == "乙园"


def test_unknown_export_format_is_refused_with_a_message(admin_client):
    response = admin_client.get("/enterprises/parks/", {"export": "pdf"})
    assert response.status_code == 400


@pytest.mark.parametrize("url", ["/enterprises/parks/", "/enterprises/clusters/", "/history/"])
def test_list_query_count_is_the_same_for_5_and_50_rows(admin_client, url):
    zone = ParkFactory(code="zone", kind="zone")
    ParkFactory.create_batch(5, parent=zone)
    IndustryClusterFactory.create_batch(5)
    admin_client.get(url)  # warm the session
    few = count_queries(admin_client, url)
    ParkFactory.create_batch(45, parent=zone)
    IndustryClusterFactory.create_batch(45)
    many = count_queries(admin_client, url)
    if url == "/history/":
        # A page of changes reads each kind of record it shows once: the count follows the kinds on the page (the
        # few rows include the factory's indicator, which falls off the first page), never the rows.
        assert many <= few
    else:
        assert few == many
    if url == "/history/":
        from parkadmin.history import tracked_models

        # records, predecessors and related labels per record type that has changes, plus the page's own
        assert many <= 3 * len(tracked_models()) + 8
    else:
        # session, user, permissions ×2, groups (user menu), count, page, a filter's choices
        assert many <= 10


def test_park_edit_saves_and_records_who_changed_what(admin_client, admin_user):
    park = ParkFactory(code="core", name="核心区")
    response = admin_client.post(
        f"/enterprises/parks/{park.pk}/edit/",
        {"code": "core", "name": "高新区本部", "kind": "core", "version": park.version},
    )
    assert response.status_code == 302
    park.refresh_from_db()
    assert (park.name, park.version) == ("高新区本部", 2)
    page = admin_client.get(park.get_absolute_url())
    html = page.content.decode()
    assert "核心区" in html and "高新区本部" in html
    assert admin_user.first_name in html


def test_stale_edit_is_refused_and_shows_what_changed(admin_client):
    park = ParkFactory(code="core", name="核心区")
    form = {"code": "core", "kind": "sub_park", "version": 1}
    first = admin_client.post(f"/enterprises/parks/{park.pk}/edit/", {**form, "name": "甲的改动"})
    second = admin_client.post(f"/enterprises/parks/{park.pk}/edit/", {**form, "name": "乙的改动"})
    assert first.status_code == 302
    assert second.status_code == 409
    park.refresh_from_db()
    assert park.name == "甲的改动"
    html = second.content.decode()
    assert "甲的改动" in html and "核心区" in html


def test_park_cannot_become_its_own_ancestor(admin_client):
    zone = ParkFactory(code="zone")
    child = ParkFactory(code="child", parent=zone)
    response = admin_client.post(
        f"/enterprises/parks/{zone.pk}/edit/",
        {"code": "zone", "name": zone.name, "kind": "zone", "parent": child.pk, "version": zone.version},
    )
    assert response.status_code == 200
    assert "parent" in response.context["form"].errors
    zone.refresh_from_db()
    assert zone.parent is None


@pytest.mark.parametrize(
    ("field", "value"),
    [("code", ""), ("code", "bad code!"), ("name", ""), ("kind", "nonsense"), ("code", "x" * 40)],
)
def test_bad_park_form_input_writes_nothing(admin_client, field, value):
    data = {"code": "good", "name": "好园区", "kind": "sub_park", field: value}
    response = admin_client.post("/enterprises/parks/add/", data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Park.objects.exists()


def test_park_in_use_cannot_be_deleted(admin_client):
    zone = ParkFactory(code="zone")
    ParkFactory(code="child", parent=zone)
    response = admin_client.post(f"/enterprises/parks/{zone.pk}/delete/", follow=True)
    assert Park.objects.filter(pk=zone.pk).exists()
    assert "child" in response.content.decode() or "园区" in response.content.decode()


def test_user_text_is_escaped_in_pages(admin_client):
    park = ParkFactory(code="x", name="<script>alert(1)</script>")
    for url in ("/enterprises/parks/", park.get_absolute_url(), "/history/"):
        html = admin_client.get(url).content.decode()
        assert "<script>alert(1)</script>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_api_lists_parks_with_parent_codes(admin_client):
    zone = ParkFactory(code="zone", kind="zone")
    ParkFactory(code="core", parent=zone)
    data = admin_client.get("/api/parks/", {"parent": "zone"}).json()
    assert data["count"] == 1
    assert set(data) == {"count", "next", "previous", "results"}
    assert data["results"][0]["parent"] == "zone"
    assert {"id", "code", "name", "parent", "version"} <= set(data["results"][0])


def test_api_update_with_stale_version_is_409_and_changes_nothing(admin_client):
    park = ParkFactory(code="core", name="原名")
    ok = admin_client.patch("/api/parks/core/", {"name": "新名", "version": 1}, content_type="application/json")
    assert ok.status_code == 200, ok.content
    assert ok.json()["version"] == 2
    stale = admin_client.patch("/api/parks/core/", {"name": "旧版改名", "version": 1}, content_type="application/json")
    assert stale.status_code == 409
    assert stale.json()["version"] == 2
    park.refresh_from_db()
    assert park.name == "新名"


def test_api_update_without_version_is_400(admin_client):
    ParkFactory(code="core")
    response = admin_client.patch("/api/parks/core/", {"name": "x"}, content_type="application/json")
    assert response.status_code == 400
    assert "version" in response.json()


def test_api_invalid_input_is_400_with_field_errors(admin_client):
    response = admin_client.post(
        "/api/parks/", {"code": "bad code!", "name": "", "parent": "nowhere"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert {"code", "name", "parent"} <= set(response.json())
    assert not Park.objects.exists()


def test_api_delete_of_a_park_in_use_is_refused(admin_client):
    zone = ParkFactory(code="zone")
    ParkFactory(code="child", parent=zone)
    response = admin_client.delete("/api/parks/zone/")
    assert response.status_code == 409
    assert Park.objects.filter(code="zone").exists()


def test_api_token_authentication(client, admin_user):
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=admin_user)
    ParkFactory(code="core")
    response = client.get("/api/parks/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200
    assert response.json()["count"] == 1
    assert client.get("/api/parks/", HTTP_AUTHORIZATION="Token wrong").status_code == 401


def test_export_sort_and_page_links_keep_the_filters(admin_client):
    """Regression: the links were rendered as '??…', and a browser then dropped the first filter."""
    import re
    from html import unescape

    zone = ParkFactory(code="zone", name="高新区", kind="zone")
    ParkFactory.create_batch(30, parent=zone)
    ParkFactory.create_batch(5)
    html = admin_client.get("/enterprises/parks/", {"parent": "zone", "per_page": 25}).content.decode()
    links = [unescape(href) for href in re.findall(r'href="(\?[^"]*)"', html)]
    assert links and not any(link.startswith("??") for link in links)
    csv_link = next(link for link in links if "export=csv" in link)
    assert "parent=zone" in csv_link
    body = b"".join(admin_client.get("/enterprises/parks/" + csv_link).streaming_content).decode()
    assert len(body.strip().splitlines()) == 1 + 30
    next_page = next(link for link in links if re.search(r"[?&]page=2(&|$)", link))
    page_two = admin_client.get("/enterprises/parks/" + next_page).content.decode()
    assert page_two.count('class="pa-col-code') == 30 - 25  # the second page of the filtered list


def test_a_park_cannot_be_its_own_parent(admin_client):
    """Regression: the form validated before its own __init__ had narrowed the parent choices."""
    park = ParkFactory(code="p")
    response = admin_client.post(
        f"/enterprises/parks/{park.pk}/edit/",
        {"code": "p", "name": park.name, "kind": "sub_park", "parent": park.pk, "version": park.version},
    )
    assert response.status_code == 200
    assert "parent" in response.context["form"].errors
    park.refresh_from_db()
    assert park.parent is None
