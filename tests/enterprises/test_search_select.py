"""Pickers of large choices (an enterprise among 5,000, a project among 2,000) carry only the chosen option and are
searched as the user types, through the API lists, which check login and permission."""

import re

import pytest

from tests.factories import EnterpriseFactory, ProjectFactory, QualificationFactory, UserFactory

pytestmark = pytest.mark.django_db

SELECT = re.compile(r'<select name="(\w+)"[^>]*data-pa-search="([^"]+)"[^>]*>(.*?)</select>', re.S)
OPTION = re.compile(r'<option value="(\d*)"( selected)?>([^<]*)</option>')


def pickers(response) -> dict[str, tuple[str, list[tuple[str, bool, str]]]]:
    """{field: (search URL, [(value, selected, label)])} of the page's search-as-you-type selects."""
    assert response.status_code == 200
    return {
        name: (url, [(v, bool(s), label) for v, s, label in OPTION.findall(body)])
        for name, url, body in SELECT.findall(response.content.decode())
    }


@pytest.mark.parametrize(
    ("page", "field", "url"),
    [
        ("/enterprises/qualifications/add/", "enterprise", "/api/enterprises/"),
        ("/enterprises/platforms/add/", "enterprise", "/api/enterprises/"),
        ("/enterprises/years/add/", "enterprise", "/api/enterprises/"),
        ("/enterprises/incubations/add/", "enterprise", "/api/enterprises/"),
        ("/enterprises/service-requests/add/", "enterprise", "/api/enterprises/"),
        ("/projects/add/", "enterprise", "/api/enterprises/"),
        ("/projects/fund-arrivals/add/", "project", "/api/projects/"),
    ],
)
def test_a_large_choice_is_drawn_with_no_option_but_the_empty_one(admin_client, page, field, url):
    for _ in range(30):
        EnterpriseFactory()
    response = admin_client.get(page)
    found = pickers(response)
    assert field in found, found.keys()
    assert found[field][0] == url
    assert [value for value, _s, _l in found[field][1]] == [""]
    assert "tom-select.complete.min.js" in response.content.decode()


def test_the_chosen_enterprise_is_the_one_option_drawn(admin_client):
    chosen = EnterpriseFactory(name="已选企业")
    for _ in range(10):
        EnterpriseFactory()
    _url, options = pickers(admin_client.get(f"/enterprises/qualifications/add/?enterprise={chosen.pk}"))["enterprise"]
    assert options == [("", False, "请选择…"), (str(chosen.pk), True, "已选企业")]
    record = QualificationFactory(enterprise=chosen)
    _url, options = pickers(admin_client.get(f"/enterprises/qualifications/{record.pk}/edit/"))["enterprise"]
    assert options[1:] == [(str(chosen.pk), True, "已选企业")]


def test_any_enterprise_may_still_be_posted_and_a_made_up_one_is_refused(admin_client):
    enterprise = EnterpriseFactory()
    data = {"kind": "hitech", "certificate_no": "GR201900001", "issued_on": "2019-01-01", "expires_on": "2021-12-31"}
    refused = admin_client.post("/enterprises/qualifications/add/", {**data, "enterprise": 999999})
    assert refused.status_code == 200 and "enterprise" in refused.context["form"].errors
    saved = admin_client.post("/enterprises/qualifications/add/", {**data, "enterprise": enterprise.pk})
    assert saved.status_code == 302
    assert enterprise.qualifications.count() == 1


def test_the_page_s_size_does_not_grow_with_the_number_of_enterprises(admin_client):
    EnterpriseFactory()
    few = len(admin_client.get("/enterprises/qualifications/add/").content)
    for _ in range(200):
        EnterpriseFactory()
    assert len(admin_client.get("/enterprises/qualifications/add/").content) == few


def test_the_search_answers_only_those_who_may_read_enterprises(client):
    EnterpriseFactory(name="搜索目标企业")
    assert client.get("/api/enterprises/", {"q": "搜索目标"}).status_code in (401, 403)
    client.force_login(UserFactory())
    assert client.get("/api/enterprises/", {"q": "搜索目标"}).status_code == 403


def test_the_search_finds_an_enterprise_by_part_of_its_name(admin_client):
    EnterpriseFactory(name="怀化搜索目标科技有限公司")
    EnterpriseFactory(name="别的公司")
    found = admin_client.get("/api/enterprises/", {"q": "搜索目标", "page_size": 20}).json()
    assert [row["name"] for row in found["results"]] == ["怀化搜索目标科技有限公司"]
    assert {"id", "name"} <= set(found["results"][0])
    ProjectFactory(name="搜索目标项目")
    projects = admin_client.get("/api/projects/", {"q": "搜索目标", "page_size": 20}).json()
    assert [row["name"] for row in projects["results"]] == ["搜索目标项目"]
