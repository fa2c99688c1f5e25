"""A step taken from an out-of-date page is refused as stale (409), not judged against a state nobody showed.

Regression tests: a stage move or a problem's close-out that lost a race used to be answered 400 ("already at
this stage", "a resolved problem cannot become resolved") instead of the conflict.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from enterprises.services import service_request_move
from indicators.models import IndicatorValue
from indicators.services import indicator_value_save
from parkadmin.locking import StaleVersionError
from projects.services import project_move_stage
from tests.factories import IndicatorFactory, IndicatorValueFactory, ProjectFactory, ServiceRequestFactory
from tests.harness import make_user

pytestmark = pytest.mark.django_db


def test_a_stage_move_from_a_stale_version_is_a_conflict_even_if_the_project_is_already_there():
    project = ProjectFactory(stage_on=datetime.date(2020, 1, 10))
    project_move_stage(project=project, stage="signed", on=timezone.localdate(), expected_version=1)
    with pytest.raises(StaleVersionError):
        project_move_stage(project=project, stage="signed", on=timezone.localdate(), expected_version=1)
    project.refresh_from_db()
    assert (project.stage, project.version, project.stage_changes.count()) == ("signed", 2, 2)


def test_a_stale_stage_move_page_answers_409(admin_client):
    project = ProjectFactory(stage_on=datetime.date(2020, 1, 10))
    project_move_stage(project=project, stage="signed", on=timezone.localdate(), expected_version=1)
    response = admin_client.post(
        f"/projects/{project.pk}/stage/", {"stage": "signed", "on": timezone.localdate().isoformat(), "version": 1}
    )
    assert response.status_code == 409


def test_a_stale_stage_move_through_the_api_is_a_409_even_if_the_project_is_already_there(admin_client):
    project = ProjectFactory(stage_on=datetime.date(2020, 1, 10))
    project_move_stage(project=project, stage="signed", on=timezone.localdate(), expected_version=1)
    response = admin_client.post(
        f"/api/projects/{project.pk}/stage/",
        {"stage": "signed", "on": timezone.localdate().isoformat(), "version": 1},
        content_type="application/json",
    )
    assert response.status_code == 409 and response.json()["version"] == 2
    assert project.stage_changes.count() == 2


def jumpy_value():
    """A value of 10 with last year's approved 10: entering 16 (+60 %) trips the checks' warning."""
    indicator = IndicatorFactory(code="fiscal")
    IndicatorValueFactory(indicator=indicator, year=2018, value=Decimal("10.00"), status="approved")
    return IndicatorValueFactory(indicator=indicator, year=2019, value=Decimal("10.00"))


def test_a_stale_value_edit_is_a_conflict_before_the_checks_judge_the_value(client):
    # Regression: the checks ran first, so a stale edit with an unexplained jump was answered 400, not 409.
    value = jumpy_value()
    with pytest.raises(StaleVersionError):
        indicator_value_save(
            indicator=value.indicator, year=2019, value=Decimal("16.00"), instance=value, expected_version=0
        )
    client.force_login(make_user("statistics"))
    url = f"/api/indicator-values/{value.pk}/"
    assert client.patch(url, {"note": "更正", "version": 1}, content_type="application/json").status_code == 200
    stale = client.patch(url, {"value": "16.00", "version": 1}, content_type="application/json")
    assert stale.status_code == 409, stale.content
    assert stale.json()["version"] == 2
    value.refresh_from_db()
    assert (value.value, value.note, value.version) == (Decimal("10.00"), "更正", 2)


def test_a_stale_value_edit_page_answers_409_before_the_checks(client):
    value = jumpy_value()
    client.force_login(make_user("statistics"))
    IndicatorValue.objects.filter(pk=value.pk).update(version=2)
    response = client.post(
        f"/indicators/values/{value.pk}/edit/",
        {"indicator": "fiscal", "year": 2019, "value": "16.00", "version": 1},
    )
    assert response.status_code == 409
    value.refresh_from_db()
    assert value.value == Decimal("10.00")


def test_a_problem_step_from_a_stale_version_is_a_conflict():
    problem = ServiceRequestFactory(raised_on=datetime.date(2024, 5, 1))
    service_request_move(
        request=problem,
        expected_version=1,
        status="resolved",
        resolution="已解决",
        resolved_on=datetime.date(2024, 5, 9),
    )
    with pytest.raises(StaleVersionError):
        service_request_move(
            request=problem, expected_version=1, status="resolved", resolution="又一次", resolved_on=None
        )
    problem.refresh_from_db()
    assert (problem.resolution, problem.version) == ("已解决", 2)


def test_a_stale_close_out_page_answers_409_with_the_message(admin_client):
    problem = ServiceRequestFactory(raised_on=datetime.date(2024, 5, 1))
    service_request_move(
        request=problem,
        expected_version=1,
        status="resolved",
        resolution="已解决",
        resolved_on=datetime.date(2024, 5, 9),
    )
    response = admin_client.post(
        f"/enterprises/service-requests/{problem.pk}/status/",
        {"status": "resolved", "version": 1, "resolution": "再次销号", "resolved_on": "2024-05-10"},
    )
    assert response.status_code == 409
    problem.refresh_from_db()
    assert problem.resolution == "已解决"


def test_a_close_out_the_rules_refuse_is_still_400(admin_client):
    problem = ServiceRequestFactory(raised_on=datetime.date(2024, 5, 1))
    response = admin_client.post(
        f"/enterprises/service-requests/{problem.pk}/status/", {"status": "closed", "version": 1}
    )
    assert response.status_code == 400


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/enterprises/qualifications/", {"enterprise": "99999999999999999999"}),
        ("/enterprises/service-requests/", {"raised_year": "-1"}),
        ("/projects/fund-arrivals/", {"year": "99999999999999999999"}),
        ("/enterprises/incubations/", {"left_year": "0"}),
    ],
)
def test_a_number_filter_beyond_its_range_is_ignored_on_pages(admin_client, path, params):
    response = admin_client.get(path, params)
    assert response.status_code == 200
    assert response.context["filterset"].errors


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/api/qualifications/", {"enterprise": "99999999999999999999"}),
        ("/api/service-requests/", {"raised_year": "-1"}),
        ("/api/stage-changes/", {"project": "-99999999999999999999"}),
        ("/api/fund-arrivals/", {"year": "10000"}),
    ],
)
def test_a_number_filter_beyond_its_range_is_a_400_on_the_api(admin_client, path, params):
    response = admin_client.get(path, params)
    assert response.status_code == 400
    assert set(response.json()) == set(params)


@pytest.mark.parametrize(
    "path",
    [
        "/?park=%00",
        "/reports/?park=core%00",
        "/api/indicators/fiscal_revenue/series/?park=%00",
        "/api/dashboard/?park=%00",
        "/enterprises/?q=a%00b",
        "/enterprises/%00/",
    ],
)
def test_a_nul_byte_in_the_url_is_a_400_not_a_database_error(admin_client, path):
    # Regression: PostgreSQL refuses NUL in a query, and `?park=` was looked up raw (a 500 there).
    response = admin_client.get(path)
    assert response.status_code == 400
