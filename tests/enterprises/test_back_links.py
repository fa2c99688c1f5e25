"""An enterprise's records — qualifications, R&D platforms, yearly figures, incubations, problems — lead back to
their enterprise: on their page, on their edit page, on the add page opened from the enterprise's page, and on the
page a new record lands on."""

import re

import pytest
from django.contrib.auth.models import Permission

from tests.factories import (
    EnterpriseFactory,
    EnterpriseYearFactory,
    IncubationFactory,
    QualificationFactory,
    ResearchPlatformFactory,
    ServiceRequestFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

CHILDREN = [
    ("/enterprises/qualifications/", QualificationFactory),
    ("/enterprises/platforms/", ResearchPlatformFactory),
    ("/enterprises/years/", EnterpriseYearFactory),
    ("/enterprises/incubations/", IncubationFactory),
    ("/enterprises/service-requests/", ServiceRequestFactory),
]
PARENT_LINK = re.compile(r'<a href="([^"]+)" data-pa-parent>([^<]+)</a>')


def back_link(response) -> tuple[str, str] | None:
    """(URL, name) of the link back to the enterprise in the page's breadcrumb."""
    assert response.status_code == 200
    found = PARENT_LINK.findall(response.content.decode())
    assert len(found) <= 1
    return found[0] if found else None


@pytest.mark.parametrize(("base", "factory"), CHILDREN)
def test_a_record_s_page_and_edit_page_lead_back_to_its_enterprise(admin_client, base, factory):
    record = factory(enterprise=EnterpriseFactory(name="<b>回链企业</b>"))
    expected = (f"/enterprises/{record.enterprise_id}/", "&lt;b&gt;回链企业&lt;/b&gt;")
    assert back_link(admin_client.get(f"{base}{record.pk}/")) == expected
    assert back_link(admin_client.get(f"{base}{record.pk}/edit/")) == expected


@pytest.mark.parametrize(("base", "factory"), CHILDREN)
def test_the_add_page_opened_from_an_enterprise_leads_back_to_it(admin_client, base, factory):
    enterprise = EnterpriseFactory(name="来源企业")
    page = admin_client.get(f"{base}add/?enterprise={enterprise.pk}")
    assert back_link(page) == (f"/enterprises/{enterprise.pk}/", "来源企业")
    assert f'<a class="btn btn-link" href="/enterprises/{enterprise.pk}/">' in page.content.decode()  # Cancel
    # Opened from nowhere, or for an enterprise that does not exist: no way back to invent, and the page works.
    for query in ("", "?enterprise=999999", "?enterprise=abc", "?enterprise=-1"):
        assert back_link(admin_client.get(f"{base}add/{query}")) is None, query


def test_a_new_record_lands_on_a_page_that_leads_back_to_its_enterprise(admin_client):
    enterprise = EnterpriseFactory(name="新增问题企业")
    data = {
        "enterprise": enterprise.pk,
        "title": "用地指标不足",
        "category": "land",
        "raised_on": "2024-05-01",
        "due_on": "2024-05-31",
        "status": "open",
    }
    created = admin_client.post(f"/enterprises/service-requests/add/?enterprise={enterprise.pk}", data, follow=True)
    assert created.redirect_chain, created.context["form"].errors
    assert back_link(created) == (f"/enterprises/{enterprise.pk}/", "新增问题企业")


def test_an_invalid_add_form_still_leads_back_to_the_enterprise(admin_client):
    enterprise = EnterpriseFactory(name="表单有误企业")
    page = admin_client.post(
        f"/enterprises/qualifications/add/?enterprise={enterprise.pk}", {"enterprise": enterprise.pk}
    )
    assert page.context["form"].errors
    assert back_link(page) == (f"/enterprises/{enterprise.pk}/", "表单有误企业")


def test_someone_who_may_not_read_enterprises_sees_the_name_without_a_link(client):
    user = UserFactory()
    user.user_permissions.set(Permission.objects.filter(codename="view_qualification"))
    client.force_login(user)
    record = QualificationFactory(enterprise=EnterpriseFactory(name="无权查看企业"))
    page = client.get(f"/enterprises/qualifications/{record.pk}/")
    assert back_link(page) is None
    html = page.content.decode()
    assert "无权查看企业" in html and f'href="/enterprises/{record.enterprise_id}/"' not in html
    assert 'href="/enterprises/"' not in html.split("<main", 1)[1]  # nor the enterprise list in the breadcrumb
