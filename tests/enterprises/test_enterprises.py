"""The enterprise register through its pages, exports and API."""

import csv
import io
import itertools

import pytest

from enterprises.models import Enterprise
from tests.factories import EnterpriseFactory, IndustryClusterFactory, ParkFactory
from tests.harness import Endpoint, Page, check_access, count_queries, crud_accesses, matrix, page_accesses

pytestmark = pytest.mark.django_db

EDITORS = frozenset({"administrator", "enterprise"})


_numbers = itertools.count(1)

ENTERPRISE_PAGES = Page(
    "enterprise",
    "/enterprises/",
    Enterprise,
    EnterpriseFactory,
    lambda: {"name": f"新企业{next(_numbers)}", "status": "operating", "listing_stage": "none"},
    {"name": "改名企业"},
)
ENTERPRISE_API = Endpoint(
    "/api/enterprises/",
    Enterprise,
    EnterpriseFactory,
    lambda: {"name": f"接口企业{next(_numbers)}", "status": "operating"},
    {"name": "改名"},
)
ACCESS = [*page_accesses(ENTERPRISE_PAGES, EDITORS), *crud_accesses(ENTERPRISE_API, EDITORS)]


@pytest.mark.parametrize(("access", "role"), matrix(*ACCESS))
def test_role_matrix(client, access, role):
    check_access(client, access, role)


def test_form_normalises_the_credit_code(admin_client):
    response = admin_client.post(
        "/enterprises/add/",
        {
            "name": "怀化某科技有限公司",
            "credit_code": " 91350100m000100y43 ",
            "status": "operating",
            "listing_stage": "none",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    assert Enterprise.objects.get().credit_code == "91350100M000100Y43"


@pytest.mark.parametrize(
    ("code", "message"),
    [("91350100M000100Y44", "校验码"), ("91350100I000100Y43", "I"), ("123", "18")],
)
def test_form_refuses_a_bad_credit_code_in_chinese_and_writes_nothing(admin_client, code, message):
    response = admin_client.post(
        "/enterprises/add/", {"name": "某公司", "credit_code": code, "status": "operating", "listing_stage": "none"}
    )
    assert response.status_code == 200
    errors = response.context["form"].errors["credit_code"]
    assert any(message in error for error in errors), errors
    assert not Enterprise.objects.exists()


def test_credit_code_is_unique_but_may_be_left_empty(admin_client):
    EnterpriseFactory(credit_code="91350100M000100Y43")
    response = admin_client.post(
        "/enterprises/add/",
        {"name": "重复", "credit_code": "91350100M000100Y43", "status": "operating", "listing_stage": "none"},
    )
    assert "credit_code" in response.context["form"].errors
    for name in ("甲公司", "乙公司"):
        admin_client.post(
            "/enterprises/add/", {"name": name, "credit_code": "", "status": "operating", "listing_stage": "none"}
        )
    assert Enterprise.objects.filter(credit_code__isnull=True).count() == 2


def test_list_filters_by_cluster_park_and_status_and_searches_codes(admin_client):
    nem, eit = IndustryClusterFactory(code="NEM"), IndustryClusterFactory(code="EIT")
    core = ParkFactory(code="core")
    EnterpriseFactory(name="骏泰科技", cluster=nem, park=core, credit_code="91350100M000100Y43")
    EnterpriseFactory(name="金升阳", cluster=eit, park=core)
    EnterpriseFactory(name="已关闭", cluster=nem, park=core, status="closed")

    def names(**params):
        return [row[0].value for row in admin_client.get("/enterprises/", params).context["rows"]]

    assert names(cluster="NEM", status="operating") == ["骏泰科技"]
    assert names(q="M000100") == ["骏泰科技"]
    assert names(park="core", sort="-name") == ["已关闭", "骏泰科技", "金升阳"]  # yi, jun, jin: pinyin order


def test_export_honours_filters(admin_client):
    nem = IndustryClusterFactory(code="NEM")
    EnterpriseFactory(name="在册", cluster=nem)
    EnterpriseFactory(name="别的")
    response = admin_client.get("/enterprises/", {"cluster": "NEM", "export": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode().lstrip("\ufeff"))))
    assert [r[0] for r in rows[1:]] == ["在册"]


def test_list_query_count_is_the_same_for_5_and_50_enterprises(admin_client):
    def count():
        return count_queries(admin_client, "/enterprises/")

    EnterpriseFactory.create_batch(5)
    admin_client.get("/enterprises/")
    few = count()
    EnterpriseFactory.create_batch(45)
    assert count() == few
    assert few <= 12


def test_stale_enterprise_edit_is_refused(admin_client):
    enterprise = EnterpriseFactory(name="原名")
    form = {"status": "operating", "listing_stage": "none", "version": 1}
    assert admin_client.post(f"/enterprises/{enterprise.pk}/edit/", {**form, "name": "甲改"}).status_code == 302
    assert admin_client.post(f"/enterprises/{enterprise.pk}/edit/", {**form, "name": "乙改"}).status_code == 409
    enterprise.refresh_from_db()
    assert enterprise.name == "甲改"


def test_detail_shows_history_with_the_editors_name(admin_client, admin_user):
    enterprise = EnterpriseFactory(name="原名")
    admin_client.post(
        f"/enterprises/{enterprise.pk}/edit/",
        {"name": "新名", "status": "operating", "listing_stage": "none", "version": 1},
    )
    html = admin_client.get(enterprise.get_absolute_url()).content.decode()
    assert "原名" in html and "新名" in html and admin_user.first_name in html


def test_api_uses_codes_for_cluster_and_park_and_validates_the_credit_code(admin_client):
    IndustryClusterFactory(code="EIT")
    ParkFactory(code="core")
    created = admin_client.post(
        "/api/enterprises/",
        {"name": "接口企业", "credit_code": "91350100m000100y43", "cluster": "EIT", "park": "core"},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["credit_code"], body["cluster"], body["park"], body["version"]) == (
        "91350100M000100Y43",
        "EIT",
        "core",
        1,
    )
    bad = admin_client.post(
        "/api/enterprises/", {"name": "坏代码", "credit_code": "91350100M000100Y44"}, content_type="application/json"
    )
    assert bad.status_code == 400 and "credit_code" in bad.json()
    duplicate = admin_client.post(
        "/api/enterprises/", {"name": "重复", "credit_code": "91350100M000100Y43"}, content_type="application/json"
    )
    assert duplicate.status_code == 400 and "credit_code" in duplicate.json()


def test_demo_loads_the_enterprises_the_article_names():
    from django.core.management import call_command

    call_command("load_demo")
    names = set(Enterprise.objects.values_list("name", flat=True))
    assert {"骏泰科技", "正清制药", "金升阳", "怀化鸿蒙云网络科技有限公司"} <= names
    assert "福建傲农生物科技集团股份有限公司" not in names
    assert Enterprise.objects.get(name="金升阳").park.code == "eit-park"
    # The article's enterprises are its own; the demo's sample enterprises are marked so.
    assert not Enterprise.objects.filter(name__in=names & {"骏泰科技", "正清制药", "金升阳"}, is_sample=True).exists()
    assert Enterprise.objects.filter(is_sample=False).count() == 16
