"""A person has one name everywhere — full name, else user name — in lists, on record pages, in pickers, in the
history and in conflict messages."""

import re

import pytest

from parkadmin.locking import save_versioned
from parkadmin.people import display_name
from tests.factories import EnterpriseFactory, ProjectFactory, ServiceRequestFactory, UserFactory

pytestmark = pytest.mark.django_db

USERNAME = "demo-staff"
NAME = "演示工作人员"


@pytest.fixture
def staff():
    return UserFactory(username=USERNAME, first_name=NAME, last_name="")


def main(response) -> str:
    """The page without its top bar (which names the signed-in user)."""
    assert response.status_code == 200
    return response.content.decode().split("<main", 1)[1]


def option_label(html: str, pk: int) -> str:
    found = re.findall(rf'<option value="{pk}"(?: selected)?>([^<]*)</option>', html)
    assert found, f"no option for {pk}"
    return found[0]


def test_the_name_is_the_full_name_else_the_user_name():
    assert display_name(UserFactory(username="li", first_name="丽", last_name="李")) == "丽 李"
    assert display_name(UserFactory(username="wang", first_name="", last_name="")) == "wang"
    assert display_name(None) == ""


def test_lists_record_pages_and_pickers_name_a_liaison_alike(admin_client, staff):
    enterprise = EnterpriseFactory(liaison=staff)
    assert NAME in main(admin_client.get("/enterprises/", {"q": enterprise.name}))
    detail = main(admin_client.get(f"/enterprises/{enterprise.pk}/"))
    assert NAME in detail and USERNAME not in detail
    form = main(admin_client.get(f"/enterprises/{enterprise.pk}/edit/"))
    assert option_label(form, staff.pk) == NAME
    project_form = main(admin_client.get("/projects/add/"))
    assert option_label(project_form, staff.pk) == NAME


def test_a_problem_names_its_assignee_alike_on_its_page_and_in_its_picker(admin_client, staff):
    problem = ServiceRequestFactory(assignee=staff)
    page = main(admin_client.get(f"/enterprises/service-requests/{problem.pk}/"))
    assert NAME in page and USERNAME not in page
    assert option_label(main(admin_client.get(f"/enterprises/service-requests/{problem.pk}/edit/")), staff.pk) == NAME


def test_the_history_names_the_person_in_its_changes_and_its_filter(admin_client, staff):
    enterprise = EnterpriseFactory()
    enterprise.liaison = staff
    save_versioned(enterprise, expected_version=1)
    panel = main(admin_client.get(f"/enterprises/{enterprise.pk}/"))
    assert f'<span class="pa-new">{NAME}</span>' in panel
    history = main(admin_client.get("/history/"))
    assert f'<span class="pa-new">{NAME}</span>' in history
    assert option_label(history, staff.pk) == NAME


def test_a_project_page_names_who_recorded_its_stages(admin_client, staff):
    project = ProjectFactory()
    project.stage_changes.update(recorded_by=staff)
    page = main(admin_client.get(f"/projects/{project.pk}/"))
    assert NAME in page and USERNAME not in page
