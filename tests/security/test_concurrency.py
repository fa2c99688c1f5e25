"""No lost update: two people saving the same record at the same moment, through the pages or the API.

Each race starts two threads at a barrier, each with its own test client (its own session and database
connection), both sending an edit made from the same version. Exactly one is saved; the other is refused with the
conflict (409) and nothing of it is written. Real concurrency needs PostgreSQL; on SQLite these are skipped.
"""

from __future__ import annotations

import datetime
import threading
from decimal import Decimal

import pytest
from django.db import connection, connections
from django.test import Client
from django.utils import timezone

from enterprises.models import ServiceRequest
from projects.models import StageChange
from tests.factories import (
    EnterpriseFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    ProjectFactory,
    ServiceRequestFactory,
    UserFactory,
)
from tests.harness import make_user

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="two concurrent connections need PostgreSQL"),
]


def race(*requests) -> list:
    """Run each `request(client)` in its own thread, all released together; returns their responses in order."""
    barrier = threading.Barrier(len(requests))
    responses: list = [None] * len(requests)
    errors: list = []

    def run(index, client, send):
        try:
            barrier.wait(timeout=10)
            responses[index] = send(client)
        except Exception as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=run, args=(index, client, send)) for index, (client, send) in enumerate(requests)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    return responses


@pytest.fixture
def clients(db) -> tuple[Client, Client]:
    """Two administrators, each signed in with their own session."""
    first, second = Client(), Client()
    first.force_login(make_user("administrator"))
    other = UserFactory(username="second-admin", is_superuser=True, first_name="乙")
    second.force_login(other)
    return first, second


def statuses(responses) -> list[int]:
    return sorted(response.status_code for response in responses)


def form_data(form) -> dict:
    """What a browser posts for an unchanged form: each field's current value."""
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False:
            continue
        if value is True:
            data[name] = "on"
        elif isinstance(value, list | tuple):
            data[name] = [str(v) for v in value]
        elif isinstance(value, datetime.date):
            data[name] = value.isoformat()
        else:
            data[name] = str(value)
    return data


# --- pages ----------------------------------------------------------------------------------------------------


def test_two_people_saving_an_enterprise_page_at_once_one_wins(clients):
    from enterprises.forms import EnterpriseForm

    enterprise = EnterpriseFactory(name="原名有限公司")
    base = form_data(EnterpriseForm(instance=enterprise))
    url = f"/enterprises/{enterprise.pk}/edit/"
    responses = race(
        (clients[0], lambda c: c.post(url, {**base, "name": "甲改的名字有限公司"})),
        (clients[1], lambda c: c.post(url, {**base, "name": "乙改的名字有限公司"})),
    )
    assert statuses(responses) == [302, 409]
    loser = next(r for r in responses if r.status_code == 409)
    assert "您的修改均未保存" in loser.content.decode()
    enterprise.refresh_from_db()
    assert enterprise.version == 2
    winner_name = "甲改的名字有限公司" if responses[0].status_code == 302 else "乙改的名字有限公司"
    assert enterprise.name == winner_name
    assert enterprise.history.count() == 2  # created, and the one save that won


def test_two_people_saving_a_project_page_at_once_one_wins(clients):
    from projects.forms import ProjectForm

    project = ProjectFactory(contract_investment=Decimal("10000.00"))
    base = form_data(ProjectForm(instance=project))
    url = f"/projects/{project.pk}/edit/"
    responses = race(
        (clients[0], lambda c: c.post(url, {**base, "contract_investment": "12000"})),
        (clients[1], lambda c: c.post(url, {**base, "contract_investment": "15000"})),
    )
    assert statuses(responses) == [302, 409]
    project.refresh_from_db()
    assert project.version == 2
    assert project.contract_investment in (Decimal("12000.00"), Decimal("15000.00"))


def test_two_stage_moves_of_a_project_page_at_once_one_wins(clients):
    project = ProjectFactory(stage_on=datetime.date(2020, 1, 10))
    today = timezone.localdate().isoformat()
    url = f"/projects/{project.pk}/stage/"
    responses = race(
        (clients[0], lambda c: c.post(url, {"stage": "signed", "on": today, "version": 1})),
        (clients[1], lambda c: c.post(url, {"stage": "signed", "on": today, "version": 1})),
    )
    assert statuses(responses) == [302, 409]
    project.refresh_from_db()
    assert (project.stage, project.version) == ("signed", 2)
    assert StageChange.objects.filter(project=project, stage="signed").count() == 1


def test_a_stage_move_racing_a_drop_one_wins(clients):
    project = ProjectFactory(stage_on=datetime.date(2020, 1, 10))
    today = timezone.localdate().isoformat()
    url = f"/projects/{project.pk}/stage/"
    responses = race(
        (clients[0], lambda c: c.post(url, {"stage": "signed", "on": today, "version": 1})),
        (clients[1], lambda c: c.post(url, {"stage": "dropped", "on": today, "version": 1, "note": "投资方撤回"})),
    )
    assert statuses(responses) == [302, 409]
    project.refresh_from_db()
    assert project.version == 2
    assert StageChange.objects.filter(project=project).count() == 2  # the first, and the one move that won


def test_two_people_saving_an_indicator_value_page_at_once_one_wins(clients):
    indicator = IndicatorFactory(code="fiscal_x", name="财政收入", unit="亿元")
    value = IndicatorValueFactory(indicator=indicator, year=2019, value=Decimal("7.01"))
    url = f"/indicators/values/{value.pk}/edit/"
    base = {"indicator": "fiscal_x", "park": "", "year": "2019", "source": "", "note": "", "version": "1"}
    responses = race(
        (clients[0], lambda c: c.post(url, {**base, "value": "7.10", "action": "draft"})),
        (clients[1], lambda c: c.post(url, {**base, "value": "7.20", "action": "draft"})),
    )
    assert statuses(responses) == [302, 409]
    value.refresh_from_db()
    assert value.version == 2 and value.value in (Decimal("7.10"), Decimal("7.20"))


def test_two_people_closing_out_a_problem_at_once_one_wins(clients):
    problem = ServiceRequestFactory(raised_on=datetime.date(2024, 5, 1))
    url = f"/enterprises/service-requests/{problem.pk}/status/"
    resolved = {"status": "resolved", "version": 1, "resolved_on": "2024-05-10"}
    responses = race(
        (clients[0], lambda c: c.post(url, {**resolved, "resolution": "甲：已协调解决"})),
        (clients[1], lambda c: c.post(url, {**resolved, "resolution": "乙：已协调解决"})),
    )
    assert statuses(responses) == [302, 409]
    problem.refresh_from_db()
    assert (problem.status, problem.version) == ("resolved", 2)
    winner = 0 if responses[0].status_code == 302 else 1
    assert problem.resolution.startswith("甲" if winner == 0 else "乙")


# --- the API --------------------------------------------------------------------------------------------------


def patch(url, body):
    return lambda c: c.patch(url, body, content_type="application/json")


def test_two_api_edits_of_an_enterprise_at_once_one_wins(clients):
    enterprise = EnterpriseFactory()
    url = f"/api/enterprises/{enterprise.pk}/"
    responses = race(
        (clients[0], patch(url, {"address": "甲路1号", "version": 1})),
        (clients[1], patch(url, {"address": "乙路2号", "version": 1})),
    )
    assert statuses(responses) == [200, 409]
    conflict = next(r for r in responses if r.status_code == 409).json()
    assert conflict["version"] == 2 and conflict["changes"]
    enterprise.refresh_from_db()
    assert enterprise.version == 2 and enterprise.address in ("甲路1号", "乙路2号")


def test_two_api_edits_of_a_project_at_once_one_wins(clients):
    project = ProjectFactory()
    url = f"/api/projects/{project.pk}/"
    responses = race(
        (clients[0], patch(url, {"investor": "甲投资", "version": 1})),
        (clients[1], patch(url, {"investor": "乙投资", "version": 1})),
    )
    assert statuses(responses) == [200, 409]
    project.refresh_from_db()
    assert project.version == 2


def test_two_api_stage_moves_at_once_one_wins(clients):
    project = ProjectFactory(stage_on=datetime.date(2020, 1, 10))
    today = timezone.localdate().isoformat()
    url = f"/api/projects/{project.pk}/stage/"

    def move(stage):
        return lambda c: c.post(url, {"stage": stage, "on": today, "version": 1}, content_type="application/json")

    responses = race((clients[0], move("signed")), (clients[1], move("signed")))
    assert statuses(responses) == [201, 409]
    project.refresh_from_db()
    assert (project.stage, project.version) == ("signed", 2)
    assert StageChange.objects.filter(project=project, stage="signed").count() == 1


def test_two_api_edits_of_an_indicator_value_at_once_one_wins(clients):
    indicator = IndicatorFactory(code="fiscal_y", name="财政收入", unit="亿元")
    value = IndicatorValueFactory(indicator=indicator, year=2019, value=Decimal("7.01"))
    url = f"/api/indicator-values/{value.pk}/"
    responses = race(
        (clients[0], patch(url, {"value": "7.10", "version": 1})),
        (clients[1], patch(url, {"value": "7.20", "version": 1})),
    )
    assert statuses(responses) == [200, 409]
    value.refresh_from_db()
    assert value.version == 2


def test_two_api_close_outs_of_a_problem_at_once_one_wins(clients):
    problem = ServiceRequestFactory(raised_on=datetime.date(2024, 5, 1))
    url = f"/api/service-requests/{problem.pk}/"
    body = {"status": "resolved", "resolved_on": "2024-05-10", "version": 1}
    responses = race(
        (clients[0], patch(url, {**body, "resolution": "甲：已解决"})),
        (clients[1], patch(url, {**body, "resolution": "乙：已解决"})),
    )
    assert statuses(responses) == [200, 409]
    problem.refresh_from_db()
    assert problem.version == 2 and problem.status == "resolved"


def test_a_page_edit_racing_an_api_edit_one_wins(clients):
    from enterprises.forms import EnterpriseForm

    enterprise = EnterpriseFactory()
    base = form_data(EnterpriseForm(instance=enterprise))
    responses = race(
        (clients[0], lambda c: c.post(f"/enterprises/{enterprise.pk}/edit/", {**base, "address": "页面路"})),
        (clients[1], patch(f"/api/enterprises/{enterprise.pk}/", {"address": "接口路", "version": 1})),
    )
    assert sorted(r.status_code for r in responses) in ([200, 409], [302, 409])
    enterprise.refresh_from_db()
    assert enterprise.version == 2


def test_many_edits_at_once_exactly_one_wins(clients):
    enterprise = EnterpriseFactory()
    url = f"/api/enterprises/{enterprise.pk}/"
    extra = [Client() for _ in range(4)]
    for number, client in enumerate(extra):
        client.force_login(UserFactory(username=f"admin-{number}", is_superuser=True))
    everyone = [*clients, *extra]
    responses = race(*[(c, patch(url, {"address": f"地址{i}", "version": 1})) for i, c in enumerate(everyone)])
    assert statuses(responses) == [200] + [409] * (len(everyone) - 1)
    enterprise.refresh_from_db()
    assert enterprise.version == 2


def test_problem_rows_stay_as_the_winner_left_them(clients):
    problem = ServiceRequestFactory(raised_on=datetime.date(2024, 5, 1))
    test_url = f"/api/service-requests/{problem.pk}/"
    race(
        (clients[0], patch(test_url, {"title": "甲的标题", "version": 1})),
        (clients[1], patch(test_url, {"description": "乙的描述", "version": 1})),
    )
    problem = ServiceRequest.objects.get(pk=problem.pk)
    # Never a mix of both edits: one of them, whole.
    assert (problem.title == "甲的标题") != (problem.description == "乙的描述")
