"""Whom a record may name as liaison officer or assignee: an active user, or the person it already names — the same
rule on the pages, in the API and in imports."""

import pytest

from enterprises.models import Enterprise, ServiceRequest
from tests.factories import EnterpriseFactory, ServiceRequestFactory, UserFactory
from tests.imports.test_kinds import build, run

pytestmark = pytest.mark.django_db


def enterprise_form(enterprise, **changes) -> dict:
    data = {
        "name": enterprise.name,
        "status": enterprise.status,
        "size_class": enterprise.size_class,
        "listing_stage": enterprise.listing_stage,
        "liaison": enterprise.liaison_id or "",
        "version": enterprise.version,
    }
    return {**data, **changes}


def test_a_page_does_not_name_someone_who_has_left(admin_client):
    enterprise = EnterpriseFactory()
    gone = UserFactory(is_active=False)
    response = admin_client.post(f"/enterprises/{enterprise.pk}/edit/", enterprise_form(enterprise, liaison=gone.pk))
    assert response.status_code == 200 and "liaison" in response.context["form"].errors
    enterprise.refresh_from_db()
    assert enterprise.liaison is None


def test_a_record_keeps_the_person_it_names_after_they_leave(admin_client):
    liaison = UserFactory()
    enterprise = EnterpriseFactory(liaison=liaison)
    liaison.is_active = False
    liaison.save()
    response = admin_client.post(
        f"/enterprises/{enterprise.pk}/edit/", enterprise_form(enterprise, address="怀化高新区新路1号")
    )
    assert response.status_code == 302, response.context["form"].errors
    enterprise.refresh_from_db()
    assert (enterprise.liaison, enterprise.address) == (liaison, "怀化高新区新路1号")


def test_the_api_names_no_one_who_has_left(admin_client):
    gone = UserFactory(is_active=False)
    response = admin_client.post(
        "/api/enterprises/", {"name": "新企业有限公司", "liaison": gone.pk}, content_type="application/json"
    )
    assert response.status_code == 400 and "liaison" in response.json()
    assert not Enterprise.objects.exists()
    kept = ServiceRequestFactory(assignee=UserFactory())
    kept.assignee.is_active = False
    kept.assignee.save()
    response = admin_client.patch(
        f"/api/service-requests/{kept.pk}/",
        {"assignee": kept.assignee_id, "title": "改题目", "version": 1},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content


def test_an_import_names_no_one_who_has_left(db):
    gone = UserFactory(username="gone", is_active=False)
    enterprise = EnterpriseFactory()
    row = {"enterprise": enterprise.name, "title": "用电增容", "category": "utilities", "raised_on": "2024-05-01"}
    data, _headers = build("service-requests", [{**row, "assignee": gone.username}])
    result = run("service-requests", data)
    assert [(error.row, error.column) for error in result.errors] == [(2, "责任人")]
    assert not ServiceRequest.objects.exists()
    data, _headers = build("enterprises", [{"name": "新企业有限公司", "liaison": gone.username}])
    result = run("enterprises", data)
    assert [(error.row, error.column) for error in result.errors] == [(2, "挂点干部")]
    assert not Enterprise.objects.filter(name="新企业有限公司").exists()
