"""enterprises.services.service_request_update: a problem's edit is a plain edit, or a move when its status changes."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from enterprises.choices import ProblemStatus
from enterprises.services import service_request_move, service_request_update
from parkadmin.locking import StaleVersionError
from tests.factories import ServiceRequestFactory

pytestmark = pytest.mark.django_db


def stored(problem):
    problem.refresh_from_db()
    return problem


def test_without_a_change_of_status_it_is_a_plain_edit():
    problem = ServiceRequestFactory(title="融资难")
    service_request_update(request=problem, expected_version=1, changes={"title": "融资难题", "status": "open"})
    problem = stored(problem)
    assert (problem.title, problem.status, problem.version) == ("融资难题", ProblemStatus.OPEN, 2)


def test_a_change_of_status_is_a_move_with_what_the_move_records():
    problem = ServiceRequestFactory()
    service_request_update(
        request=problem,
        expected_version=1,
        changes={"status": "resolved", "resolution": "已协调银行", "resolved_on": datetime.date(2024, 5, 20)},
    )
    problem = stored(problem)
    assert (problem.status, problem.resolution, problem.resolved_on) == (
        ProblemStatus.RESOLVED,
        "已协调银行",
        datetime.date(2024, 5, 20),
    )


def test_a_move_the_rules_refuse_is_refused_and_writes_nothing():
    problem = ServiceRequestFactory(title="融资难")
    with pytest.raises(ValidationError) as refused:
        service_request_update(request=problem, expected_version=1, changes={"status": "closed", "title": "改"})
    assert "status" in refused.value.message_dict
    problem = stored(problem)
    assert (problem.title, problem.status, problem.version) == ("融资难", ProblemStatus.OPEN, 1)


def test_what_a_move_records_does_not_change_without_one():
    problem = ServiceRequestFactory()
    with pytest.raises(ValidationError) as refused:
        service_request_update(request=problem, expected_version=1, changes={"resolution": "已解决"})
    assert "status" in refused.value.message_dict
    assert stored(problem).resolution == ""


def test_sending_back_what_a_move_recorded_unchanged_is_a_plain_edit():
    problem = ServiceRequestFactory()
    resolved_on = datetime.date(2024, 5, 9)
    service_request_move(
        request=problem, expected_version=1, status="resolved", resolution="已协调", resolved_on=resolved_on
    )
    service_request_update(
        request=problem, expected_version=2, changes={"resolution": "已协调", "title": "新标题", "status": "resolved"}
    )
    assert (stored(problem).title, problem.version) == ("新标题", 3)


@pytest.mark.parametrize("changes", [{"title": "改"}, {"status": "in_progress"}], ids=["edit", "move"])
def test_an_update_from_a_stale_version_is_a_conflict_either_way(changes):
    problem = ServiceRequestFactory(title="融资难")
    service_request_update(request=problem, expected_version=1, changes={"description": "补充"})
    with pytest.raises(StaleVersionError):
        service_request_update(request=stored(problem), expected_version=1, changes=changes)
    problem = stored(problem)
    assert (problem.title, problem.status, problem.version) == ("融资难", ProblemStatus.OPEN, 2)
