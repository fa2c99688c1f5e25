"""Whom a record may name as liaison officer or assignee: an active user, or the person it already names — the same
rule on the pages, in the API and in imports."""

import pytest
from django.forms.models import model_to_dict

from enterprises.models import Enterprise, ServiceRequest
from projects.forms import ProjectForm
from projects.models import Project
from tests.factories import EnterpriseFactory, ProjectFactory, ServiceRequestFactory, UserFactory
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


def test_projects_follow_the_same_rule_on_the_page_in_the_api_and_in_imports(admin_client):
    gone, liaison = UserFactory(username="gone", is_active=False), UserFactory()
    project = ProjectFactory(liaison=liaison)
    data = {k: v for k, v in model_to_dict(project, fields=list(ProjectForm.base_fields)).items() if v is not None}
    assert not ProjectForm(data={**data, "liaison": gone.pk, "version": 1}, instance=project).is_valid()
    liaison.is_active = False
    liaison.save()
    assert ProjectForm(data={**data, "version": 1}, instance=project).is_valid()  # keeps the one it names
    response = admin_client.patch(
        f"/api/projects/{project.pk}/", {"liaison": liaison.pk, "version": 1}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    response = admin_client.post(
        "/api/projects/", {"name": "新项目", "liaison": gone.pk}, content_type="application/json"
    )
    assert response.status_code == 400 and "liaison" in response.json()
    data, _headers = build("projects", [{"name": "冷链物流项目", "investor": "怀化物流有限公司", "liaison": "gone"}])
    result = run("projects", data)
    assert [(error.row, error.column) for error in result.errors] == [(2, "挂点干部")]
    assert not Project.objects.filter(name="冷链物流项目").exists()
