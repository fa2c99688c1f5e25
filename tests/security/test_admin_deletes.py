"""The admin is no way around the apps' deletion rules: an administrator cannot delete through `/admin/` what the
pages and the API refuse to delete (a submitted or approved indicator value, an entry of a project's stage log),
neither one at a time nor with the "delete selected" action. What the rules allow is still deleted there."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.utils.translation import gettext

from indicators.models import IndicatorValue
from projects.models import StageChange
from tests.factories import IndicatorFactory, IndicatorValueFactory, ProjectFactory, UserFactory

pytestmark = pytest.mark.django_db

VALUES = "/admin/indicators/indicatorvalue/"


@pytest.fixture
def admin_client(client):
    """A superuser signed in to the admin: every permission the admin knows of."""
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


def values_by_status() -> list[tuple[int, str]]:
    return sorted(IndicatorValue.objects.values_list("year", "status"))


def refusals(response) -> list[str]:
    reason = gettext(
        "Only drafts and returned values can be deleted: a submitted or approved figure stays on record and is "
        "corrected by entering a new value."
    )
    return [str(m) for m in get_messages(response.wsgi_request) if reason in str(m)]


def bulk_delete(client, url, records):
    """What the admin's change list posts when "delete selected" is confirmed."""
    return client.post(
        url, {"action": "delete_selected", "_selected_action": [r.pk for r in records], "post": "yes"}, follow=True
    )


@pytest.mark.parametrize("status", ["approved", "submitted"])
def test_an_administrator_cannot_delete_an_approved_or_submitted_value_in_the_admin(admin_client, status):
    value = IndicatorValueFactory(status=status)
    url = f"{VALUES}{value.pk}/delete/"
    assert admin_client.get(url).status_code == 403
    assert admin_client.post(url, {"post": "yes"}).status_code == 403
    assert values_by_status() == [(2019, status)]
    page = admin_client.get(f"{VALUES}{value.pk}/change/").content.decode()
    assert f"{value.pk}/delete/" not in page  # no delete button offered


@pytest.mark.parametrize("status", ["draft", "returned"])
def test_a_draft_or_returned_value_is_still_deleted_in_the_admin(admin_client, status):
    value = IndicatorValueFactory(status=status)
    response = admin_client.post(f"{VALUES}{value.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302, response.content
    assert not IndicatorValue.objects.exists()


def test_delete_selected_with_an_approved_value_among_them_deletes_nothing_and_says_why(admin_client):
    indicator = IndicatorFactory()
    draft = IndicatorValueFactory(indicator=indicator, year=2018)
    approved = IndicatorValueFactory(indicator=indicator, year=2019, status="approved")
    response = bulk_delete(admin_client, VALUES, [draft, approved])
    assert response.status_code == 200
    assert values_by_status() == [(2018, "draft"), (2019, "approved")]
    assert [note for note in refusals(response) if str(approved) in note and str(draft) not in note]


def test_delete_selected_of_drafts_only_deletes_them(admin_client):
    indicator = IndicatorFactory()
    drafts = [IndicatorValueFactory(indicator=indicator, year=year) for year in (2018, 2019)]
    kept = IndicatorValueFactory(indicator=indicator, year=2020, status="approved")
    response = bulk_delete(admin_client, VALUES, drafts)
    assert response.status_code == 200
    assert values_by_status() == [(2020, "approved")]
    assert IndicatorValue.objects.get().pk == kept.pk


def test_a_value_approved_after_the_confirmation_page_is_not_deleted(admin_client):
    """The confirmation page was shown over a draft; it was approved before the administrator confirmed."""
    value = IndicatorValueFactory()
    assert admin_client.post(VALUES, {"action": "delete_selected", "_selected_action": [value.pk]}).status_code == 200
    IndicatorValue.objects.filter(pk=value.pk).update(status="approved")
    response = bulk_delete(admin_client, VALUES, [value])
    assert values_by_status() == [(2019, "approved")]
    assert refusals(response)


def test_the_stage_log_cannot_be_deleted_in_the_admin(admin_client):
    project = ProjectFactory()
    entry = StageChange.objects.get(project=project)
    url = "/admin/projects/stagechange/"
    assert admin_client.post(f"{url}{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    bulk_delete(admin_client, url, [entry])
    assert StageChange.objects.filter(pk=entry.pk).exists()
    assert "delete_selected" not in admin_client.get(url).content.decode()


def test_the_refusal_is_in_the_users_language(admin_client):
    approved = IndicatorValueFactory(status="approved")
    admin_client.cookies["django_language"] = "zh-hans"
    response = bulk_delete(admin_client, VALUES, [approved])
    notes = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("未删除任何记录" in note and "只能删除草稿和已退回的数值" in note for note in notes), notes
