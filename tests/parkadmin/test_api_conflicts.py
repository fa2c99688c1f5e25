"""Every stale write through the API is answered by the exception handler, one 409 of one shape.

Each kind of write that can meet a stale version — a plain update, a problem's update that is a status move, a
value saved by its service, a review step, a stage move — is tried from version 1 after someone saved version 2.
With DRF's own handler in place of ours the same write is not answered at all: no view maps the error itself.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.conf import settings
from django.test import override_settings
from django.utils import translation

from indicators.choices import ValueStatus
from parkadmin.api import Conflict
from parkadmin.locking import StaleVersionError, save_versioned
from tests.factories import (
    EnterpriseFactory,
    IndicatorValueFactory,
    ProjectFactory,
    ServiceRequestFactory,
    TargetFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class StaleWrite:
    name: str
    make: Callable  # () -> the record, at version 1
    field: str  # what someone else changes meanwhile
    method: str
    path: str  # of the record's pk
    body: dict


def submitted_value():
    return IndicatorValueFactory(value=Decimal("10.00"), status=ValueStatus.SUBMITTED)


PROBLEM = "/api/service-requests/{pk}/"

STALE_WRITES = [
    StaleWrite("plain update", EnterpriseFactory, "name", "patch", "/api/enterprises/{pk}/", {"name": "甲"}),
    StaleWrite("plain update", TargetFactory, "note", "patch", "/api/targets/{pk}/", {"note": "甲"}),
    StaleWrite("problem edit", ServiceRequestFactory, "title", "patch", PROBLEM, {"title": "甲"}),
    StaleWrite("problem move", ServiceRequestFactory, "title", "patch", PROBLEM, {"status": "in_progress"}),
    StaleWrite("value", IndicatorValueFactory, "note", "patch", "/api/indicator-values/{pk}/", {"value": "11"}),
    StaleWrite("approve", submitted_value, "note", "post", "/api/indicator-values/{pk}/approve/", {}),
    StaleWrite("return", submitted_value, "note", "post", "/api/indicator-values/{pk}/return/", {"comment": "核实"}),
    StaleWrite("submit", IndicatorValueFactory, "note", "post", "/api/indicator-values/{pk}/submit/", {}),
    StaleWrite(
        "stage move",
        lambda: ProjectFactory(stage_on=datetime.date(2020, 1, 10)),
        "name",
        "post",
        "/api/projects/{pk}/stage/",
        {"stage": "signed", "on": "2020-02-01"},
    ),
]


def made_stale(write: StaleWrite):
    """The record, saved at version 2 by someone else with one field changed."""
    record = write.make()
    assert record.version == 1
    setattr(record, write.field, "他人的修改")
    save_versioned(record, expected_version=1)
    return record


def send(client, write: StaleWrite, record):
    return getattr(client, write.method)(
        write.path.format(pk=record.pk), {**write.body, "version": 1}, content_type="application/json"
    )


def conflict_details() -> set[str]:
    details = set()
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            details.add(str(Conflict.default_detail))
    return details


@pytest.fixture
def reviewer_client(client):
    # A superuser who entered none of the values, so review steps reach the version check.
    client.force_login(UserFactory(username="checker", is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize("write", STALE_WRITES, ids=lambda w: f"{w.name} {w.path}")
def test_a_stale_write_is_answered_409_with_the_one_conflict_body(reviewer_client, write):
    record = made_stale(write)
    response = send(reviewer_client, write, record)
    assert response.status_code == 409, response.content
    body = response.json()
    assert set(body) == {"detail", "version", "changed_by", "changes"}
    assert body["detail"] in conflict_details()
    assert body["version"] == 2
    assert isinstance(body["changed_by"], str)
    assert write.field in {change["field"] for change in body["changes"]}
    assert all(set(change) == {"field", "old", "new"} for change in body["changes"])
    record.refresh_from_db()
    assert record.version == 2


@pytest.mark.parametrize("write", STALE_WRITES, ids=lambda w: f"{w.name} {w.path}")
def test_without_the_projects_exception_handler_no_view_answers_a_stale_write(reviewer_client, write):
    record = made_stale(write)
    plain = {**settings.REST_FRAMEWORK, "EXCEPTION_HANDLER": "rest_framework.views.exception_handler"}
    with override_settings(REST_FRAMEWORK=plain), pytest.raises(StaleVersionError):
        send(reviewer_client, write, record)


def test_the_handler_makes_the_conflict_from_the_stale_error():
    from parkadmin.api import exception_handler

    value = IndicatorValueFactory(note="原")
    value.note = "改"
    save_versioned(value, expected_version=1)
    with pytest.raises(StaleVersionError) as stale:
        save_versioned(value, expected_version=1)
    response = exception_handler(stale.value, {})
    assert response.status_code == 409
    assert response.data == Conflict.from_stale(stale.value).payload
    assert response.data["changes"] == [{"field": "note", "old": "原", "new": "改"}]


def test_a_write_that_lost_the_race_is_told_409_before_any_check_of_the_state_the_winner_left(reviewer_client):
    problem = ServiceRequestFactory(raised_on=datetime.date(2024, 5, 1))
    url = f"/api/service-requests/{problem.pk}/"
    body = {"status": "resolved", "resolved_on": "2024-05-10", "version": 1}
    first = reviewer_client.patch(url, {**body, "resolution": "甲：已解决"}, content_type="application/json")
    assert first.status_code == 200
    # The same close-out, sent with the version read before the first: a conflict, not "already resolved".
    second = reviewer_client.patch(url, {**body, "resolution": "乙：已解决"}, content_type="application/json")
    assert second.status_code == 409 and second.json()["version"] == 2
