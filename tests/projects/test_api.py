"""The projects API: projects, their stage moves, the stage log and the money that arrived."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from projects.models import FundArrival, Project, StageChange
from projects.services import project_move_stage
from tests.factories import (
    EnterpriseFactory,
    FundArrivalFactory,
    IndustryClusterFactory,
    ParkFactory,
    ProjectFactory,
    UserFactory,
)
from tests.harness import EVERY_ROLE, Access, Endpoint, check_access, crud_accesses, matrix

pytestmark = pytest.mark.django_db
D = datetime.date

WRITERS = frozenset({"administrator", "investment"})


def post(client, path, data):
    return client.post(path, data, content_type="application/json")


def patch(client, path, data):
    return client.patch(path, data, content_type="application/json")


def move(project, stage, on, **kwargs):
    project.refresh_from_db()
    return project_move_stage(project=project, stage=stage, on=on, **kwargs)


def stage_url(project) -> str:
    return f"/api/projects/{project.pk}/stage/"


def log(project) -> list[tuple[str, datetime.date, bool]]:
    return list(project.stage_changes.order_by("on", "pk").values_list("stage", "on", "superseded"))


def projects_state():
    return sorted(Project.objects.values_list("pk", "version", "stage")), StageChange.objects.count()


PROJECTS = Endpoint(
    "/api/projects/",
    Project,
    ProjectFactory,
    lambda: {"name": "智能装备产业园", "investor": "某某集团", "contract_investment": "120000.00"},
    {"contract_investment": "150000.00"},
    (
        "id",
        "name",
        "investor",
        "investor_origin",
        "enterprise",
        "cluster",
        "park",
        "stage",
        "contract_investment",
        "planned_fixed_asset_investment",
        "land_mu",
        "expected_completion",
        "expected_annual_output",
        "expected_annual_sales",
        "expected_annual_tax",
        "key_levels",
        "liaison",
        "notes",
        "source",
        "is_sample",
        "signed_on",
        "version",
    ),
)
FUND_ARRIVALS = Endpoint(
    "/api/fund-arrivals/",
    FundArrival,
    FundArrivalFactory,
    lambda: {"project": ProjectFactory().pk, "arrived_on": "2019-07-01", "amount": "800.00"},
    {"amount": "900.00"},
    ("id", "project", "arrived_on", "amount", "source", "note", "is_sample", "version"),
)
ENDPOINTS = [PROJECTS, FUND_ARRIVALS]


def accesses(endpoint: Endpoint) -> list[Access]:
    return crud_accesses(endpoint, WRITERS)


OTHER_ACCESSES = [
    Access("stage-changes list", lambda: "/api/stage-changes/", EVERY_ROLE, api=True),
    Access(
        "stage-changes detail",
        lambda: f"/api/stage-changes/{ProjectFactory().stage_changes.get().pk}/",
        EVERY_ROLE,
        api=True,
    ),
    Access(
        "projects stage",
        lambda: stage_url(ProjectFactory()),
        WRITERS,
        method="post",
        api=True,
        data=lambda: {"stage": "signed", "on": "2019-03-01"},
        state=projects_state,
        expect=201,
    ),
]


@pytest.mark.parametrize(
    ("access", "role"), matrix(*(a for endpoint in ENDPOINTS for a in accesses(endpoint)), *OTHER_ACCESSES)
)
def test_role_matrix(client, access, role):
    check_access(client, access, role)


# The conventions every endpoint shares


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.path)
def test_records_carry_the_contract_fields_and_a_version(admin_client, endpoint):
    endpoint.factory()
    record = admin_client.get(endpoint.path).json()["results"][0]
    assert set(endpoint.contract) <= set(record), set(endpoint.contract) - set(record)
    assert record["version"] == 1


def test_stage_changes_carry_the_contract_fields(admin_client):
    ProjectFactory()
    record = admin_client.get("/api/stage-changes/").json()["results"][0]
    expected = {"id", "project", "stage", "on", "note", "is_correction", "superseded", "recorded_by"}
    assert expected <= set(record), expected - set(record)


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.path)
def test_writer_creates_updates_and_deletes(client, endpoint):
    client.force_login(UserFactory(username="investment-user", groups=["招商 investment staff"]))
    created = post(client, endpoint.path, endpoint.new())
    assert created.status_code == 201, created.content
    url = endpoint.detail(created.json()["id"])
    updated = patch(client, url, {**endpoint.change, "version": 1})
    assert updated.status_code == 200, updated.content
    assert updated.json()["version"] == 2
    for field, value in endpoint.change.items():
        assert updated.json()[field] == value
    assert client.delete(url).status_code == 204
    assert not endpoint.model.objects.filter(pk=created.json()["id"]).exists()


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.path)
def test_stale_version_is_refused_with_409_and_changes_nothing(admin_client, endpoint):
    url = endpoint.detail(endpoint.factory().pk)
    assert patch(admin_client, url, {**endpoint.change, "version": 1}).status_code == 200
    before = endpoint.state()
    stale = patch(admin_client, url, {**endpoint.change, "version": 1})
    assert stale.status_code == 409, stale.content
    assert {"detail", "version", "changed_by", "changes"} <= set(stale.json())
    assert stale.json()["version"] == 2
    assert endpoint.state() == before


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.path)
def test_update_without_a_version_is_refused(admin_client, endpoint):
    response = patch(admin_client, endpoint.detail(endpoint.factory().pk), endpoint.change)
    assert response.status_code == 400 and "version" in response.json()


def test_list_is_paginated(admin_client):
    for _ in range(3):
        ProjectFactory()
    first = admin_client.get("/api/projects/", {"page_size": 2}).json()
    assert set(first) == {"count", "next", "previous", "results"}
    assert (first["count"], len(first["results"]), first["previous"]) == (3, 2, None)
    second = admin_client.get(first["next"]).json()
    assert (len(second["results"]), second["next"]) == (1, None)
    assert second["previous"] is not None


@pytest.mark.parametrize("path", ["/api/projects/", "/api/stage-changes/", "/api/fund-arrivals/"])
def test_list_query_count_is_the_same_for_5_and_50_rows(admin_client, path):
    liaison = UserFactory()

    def add(n):
        for _ in range(n):
            project = ProjectFactory(enterprise=EnterpriseFactory(), liaison=liaison, key_city=True)
            move(project, "signed", D(2019, 3, 1))
            FundArrivalFactory(project=project)

    def count():
        with CaptureQueriesContext(connection) as queries:
            response = admin_client.get(path, {"page_size": 100})
            assert response.status_code == 200
        return len(queries), response.json()["count"]

    add(5)
    few, rows = count()
    assert rows >= 5
    add(45)
    many, rows = count()
    assert rows >= 50
    assert many == few


def test_token_authentication(client, admin_user):
    from rest_framework.authtoken.models import Token

    ProjectFactory()
    token = Token.objects.create(user=admin_user)
    response = client.get("/api/projects/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200 and response.json()["count"] == 1
    assert client.get("/api/projects/", HTTP_AUTHORIZATION="Token wrong").status_code == 401


def test_token_authenticated_stage_move(client, admin_user):
    from rest_framework.authtoken.models import Token

    project = ProjectFactory()
    token = Token.objects.create(user=admin_user)
    response = client.post(
        stage_url(project),
        {"stage": "signed", "on": "2019-03-01"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {token.key}",
    )
    assert response.status_code == 201, response.content
    assert project.stage_changes.get(stage="signed").recorded_by == admin_user


# Projects


def test_create_goes_through_the_service_and_starts_the_stage_log(admin_client, admin_user):
    IndustryClusterFactory(code="NM")
    ParkFactory(code="core")
    response = post(
        admin_client,
        "/api/projects/",
        {
            "name": "新材料项目",
            "investor": "某材料公司",
            "investor_origin": "other_province",
            "cluster": "NM",
            "park": "core",
            "contract_investment": "30000.00",
            "stage_on": "2019-02-01",
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["stage"], body["cluster"], body["park"], body["version"]) == ("negotiating", "NM", "core", 1)
    assert body["signed_on"] is None
    assert "stage_on" not in body
    project = Project.objects.get(pk=body["id"])
    assert log(project) == [("negotiating", D(2019, 2, 1), False)]
    assert project.stage_changes.get().recorded_by == admin_user


def test_create_without_a_date_starts_the_log_today(admin_client):
    response = post(admin_client, "/api/projects/", PROJECTS.new())
    assert response.status_code == 201, response.content
    project = Project.objects.get(pk=response.json()["id"])
    assert log(project) == [("negotiating", timezone.localdate(), False)]


def test_create_with_a_future_first_date_is_refused(admin_client):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = post(admin_client, "/api/projects/", {**PROJECTS.new(), "stage_on": tomorrow.isoformat()})
    assert response.status_code == 400 and "stage_on" in response.json()
    assert not Project.objects.exists() and not StageChange.objects.exists()


def test_create_ignores_a_stage_and_a_sample_flag_in_the_body(admin_client):
    response = post(admin_client, "/api/projects/", {**PROJECTS.new(), "stage": "production", "is_sample": True})
    assert response.status_code == 201, response.content
    assert (response.json()["stage"], response.json()["is_sample"]) == ("negotiating", False)
    assert list(StageChange.objects.values_list("stage", flat=True)) == ["negotiating"]


def test_invalid_create_writes_nothing(admin_client):
    response = post(
        admin_client,
        "/api/projects/",
        {"name": "", "investor": "某某", "contract_investment": "-1", "park": "nowhere", "investor_origin": "mars"},
    )
    assert response.status_code == 400
    assert {"name", "contract_investment", "park", "investor_origin"} <= set(response.json())
    assert not Project.objects.exists() and not StageChange.objects.exists()


def test_key_levels_are_read_and_written_as_codes(admin_client):
    response = post(admin_client, "/api/projects/", {**PROJECTS.new(), "key_levels": ["provincial", "city"]})
    assert response.status_code == 201, response.content
    assert sorted(response.json()["key_levels"]) == ["city", "provincial"]
    project = Project.objects.get(pk=response.json()["id"])
    assert (project.key_provincial, project.key_city, project.key_provincial_industry) == (True, True, False)

    url = f"/api/projects/{project.pk}/"
    updated = patch(admin_client, url, {"key_levels": ["provincial_tech"], "version": 1})
    assert updated.status_code == 200, updated.content
    assert updated.json()["key_levels"] == ["provincial_tech"]
    project.refresh_from_db()
    assert project.key_levels == ["provincial_tech"]

    untouched = patch(admin_client, url, {"notes": "推进中", "version": 2})
    assert untouched.json()["key_levels"] == ["provincial_tech"]
    cleared = patch(admin_client, url, {"key_levels": [], "version": 3})
    assert cleared.json()["key_levels"] == []

    unknown = patch(admin_client, url, {"key_levels": ["national"], "version": 4})
    assert unknown.status_code == 400 and "key_levels" in unknown.json()


def test_stage_is_not_writable_by_patch(admin_client):
    project = ProjectFactory()
    response = patch(admin_client, f"/api/projects/{project.pk}/", {"stage": "production", "version": 1})
    assert response.status_code == 200
    assert response.json()["stage"] == "negotiating"
    project.refresh_from_db()
    assert project.stage == "negotiating"
    assert log(project) == [("negotiating", D(2019, 1, 10), False)]


def test_first_date_is_not_writable_by_patch(admin_client):
    project = ProjectFactory()
    response = patch(admin_client, f"/api/projects/{project.pk}/", {"stage_on": "2018-01-01", "version": 1})
    assert response.status_code == 400 and "stage_on" in response.json()
    assert log(project) == [("negotiating", D(2019, 1, 10), False)]


def test_signed_on_is_the_counting_signing_date(admin_client):
    project = ProjectFactory()
    url = f"/api/projects/{project.pk}/"
    assert admin_client.get(url).json()["signed_on"] is None
    move(project, "signed", D(2019, 3, 1))
    assert admin_client.get(url).json()["signed_on"] == "2019-03-01"
    assert admin_client.get("/api/projects/").json()["results"][0]["signed_on"] == "2019-03-01"
    move(project, "negotiating", D(2019, 3, 5), correction=True, note="合同未生效")
    assert admin_client.get(url).json()["signed_on"] is None
    read_only = patch(admin_client, url, {"signed_on": "2018-01-01", "version": 3})
    assert read_only.status_code == 200 and read_only.json()["signed_on"] is None


def test_projects_order_by_contract_investment_and_signed_on(admin_client):
    late = ProjectFactory(contract_investment="300.00")
    early = ProjectFactory(contract_investment="100.00")
    move(late, "signed", D(2019, 9, 1))
    move(early, "signed", D(2019, 2, 1))
    rows = admin_client.get("/api/projects/", {"ordering": "-contract_investment"}).json()["results"]
    assert [row["id"] for row in rows] == [late.pk, early.pk]
    rows = admin_client.get("/api/projects/", {"ordering": "signed_on"}).json()["results"]
    assert [row["id"] for row in rows] == [early.pk, late.pk]


# The stage endpoint


def test_forward_move_is_logged_and_answers_with_the_change_and_the_new_version(admin_client, admin_user):
    project = ProjectFactory()
    response = post(admin_client, stage_url(project), {"stage": "signed", "on": "2019-03-01", "version": 1})
    assert response.status_code == 201, response.content
    body = response.json()
    change = project.stage_changes.get(stage="signed")
    assert body["id"] == change.pk
    assert (body["project"], body["stage"], body["on"], body["is_correction"]) == (
        project.pk,
        "signed",
        "2019-03-01",
        False,
    )
    assert (body["project_stage"], body["project_version"]) == ("signed", 2)
    assert body["recorded_by"] == admin_user.pk
    project.refresh_from_db()
    assert (project.stage, project.version) == ("signed", 2)
    assert admin_client.get(f"/api/projects/{project.pk}/").json()["version"] == 2


def test_forward_moves_may_skip_stages_and_share_a_day(admin_client):
    project = ProjectFactory()
    assert post(admin_client, stage_url(project), {"stage": "signed", "on": "2019-03-01"}).status_code == 201
    assert post(admin_client, stage_url(project), {"stage": "construction", "on": "2019-03-01"}).status_code == 201
    assert post(admin_client, stage_url(project), {"stage": "full_production", "on": "2019-09-01"}).status_code == 201
    assert [stage for stage, _, _ in log(project)] == ["negotiating", "signed", "construction", "full_production"]


def test_move_back_without_correction_is_refused(admin_client):
    project = ProjectFactory()
    move(project, "signed", D(2019, 3, 1))
    move(project, "construction", D(2019, 4, 1))
    before = projects_state()
    response = post(admin_client, stage_url(project), {"stage": "signed", "on": "2019-04-02", "note": "录错了"})
    assert response.status_code == 400 and "stage" in response.json()
    assert projects_state() == before


def test_correction_without_a_note_is_refused(admin_client):
    project = ProjectFactory()
    move(project, "signed", D(2019, 3, 1))
    move(project, "construction", D(2019, 4, 1))
    before = projects_state()
    for note in ("", "   "):
        response = post(
            admin_client, stage_url(project), {"stage": "signed", "on": "2019-04-02", "correction": True, "note": note}
        )
        assert response.status_code == 400 and "note" in response.json()
    assert projects_state() == before


def test_correction_with_a_note_moves_back_and_supersedes_the_undone_moves(admin_client):
    project = ProjectFactory()
    move(project, "signed", D(2019, 3, 1))
    move(project, "construction", D(2019, 4, 1))
    response = post(
        admin_client,
        stage_url(project),
        # A correction re-records the stage it returns to, with its true date (which may precede the current one).
        {"stage": "signed", "on": "2019-03-02", "correction": True, "note": "误录开工，实际尚未开工", "version": 3},
    )
    assert response.status_code == 201, response.content
    assert (response.json()["is_correction"], response.json()["project_version"]) == (True, 4)
    assert log(project) == [
        ("negotiating", D(2019, 1, 10), False),
        ("signed", D(2019, 3, 1), True),
        ("signed", D(2019, 3, 2), False),
        ("construction", D(2019, 4, 1), True),
    ]
    rows = admin_client.get("/api/stage-changes/", {"project": project.pk, "counted": "true"}).json()["results"]
    assert sorted((row["stage"], row["on"]) for row in rows) == [
        ("negotiating", "2019-01-10"),
        ("signed", "2019-03-02"),
    ]
    assert admin_client.get(f"/api/projects/{project.pk}/").json()["signed_on"] == "2019-03-02"


def test_date_before_the_current_stages_is_refused(admin_client):
    project = ProjectFactory()
    move(project, "signed", D(2019, 3, 1))
    before = projects_state()
    response = post(admin_client, stage_url(project), {"stage": "construction", "on": "2019-02-28"})
    assert response.status_code == 400 and "on" in response.json()
    assert "2019-03-01" in str(response.json()["on"])
    assert projects_state() == before


def test_future_date_is_refused(admin_client):
    project = ProjectFactory()
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = post(admin_client, stage_url(project), {"stage": "signed", "on": tomorrow.isoformat()})
    assert response.status_code == 400 and "on" in response.json()


def test_dropping_needs_a_reason(admin_client):
    project = ProjectFactory()
    refused = post(admin_client, stage_url(project), {"stage": "dropped", "on": "2019-05-01"})
    assert refused.status_code == 400 and "note" in refused.json()
    dropped = post(admin_client, stage_url(project), {"stage": "dropped", "on": "2019-05-01", "note": "投资方撤回"})
    assert dropped.status_code == 201 and dropped.json()["project_stage"] == "dropped"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"on": "2019-03-01"}, "stage"),
        ({"stage": "signed"}, "on"),
        ({"stage": "approved", "on": "2019-03-01"}, "stage"),
        ({"stage": "signed", "on": "3 March"}, "on"),
        ({"stage": "negotiating", "on": "2019-03-01"}, "stage"),
        ({"stage": "signed", "on": "2019-03-01", "version": 0}, "version"),
    ],
    ids=["no-stage", "no-date", "unknown-stage", "bad-date", "same-stage", "bad-version"],
)
def test_malformed_moves_are_field_errors(admin_client, body, field):
    project = ProjectFactory()
    response = post(admin_client, stage_url(project), body)
    assert response.status_code == 400 and field in response.json(), response.content
    assert log(project) == [("negotiating", D(2019, 1, 10), False)]


def test_stale_version_on_a_move_is_a_409_and_changes_nothing(admin_client):
    project = ProjectFactory()
    assert patch(admin_client, f"/api/projects/{project.pk}/", {"notes": "已拜访", "version": 1}).status_code == 200
    before = projects_state()
    response = post(admin_client, stage_url(project), {"stage": "signed", "on": "2019-03-01", "version": 1})
    assert response.status_code == 409, response.content
    assert {"detail", "version", "changed_by", "changes"} <= set(response.json())
    assert response.json()["version"] == 2
    assert projects_state() == before


def test_stale_version_wins_over_a_rule_the_move_breaks(admin_client):
    project = ProjectFactory()
    move(project, "signed", D(2019, 3, 1))
    response = post(admin_client, stage_url(project), {"stage": "signed", "on": "2019-03-01", "version": 1})
    assert response.status_code == 409


def test_unknown_project_is_a_404(admin_client):
    assert post(admin_client, "/api/projects/999999/stage/", {"stage": "signed", "on": "2019-03-01"}).status_code == 404


# The stage log


def test_stage_log_is_read_only(admin_client):
    project = ProjectFactory()
    change = project.stage_changes.get()
    assert post(admin_client, "/api/stage-changes/", {"project": project.pk, "stage": "signed"}).status_code == 405
    assert patch(admin_client, f"/api/stage-changes/{change.pk}/", {"note": "x"}).status_code == 405
    assert admin_client.delete(f"/api/stage-changes/{change.pk}/").status_code == 405
    assert StageChange.objects.count() == 1


def test_stage_changes_filter_by_project_stage_and_year(admin_client):
    first = ProjectFactory()
    second = ProjectFactory(stage_on=D(2020, 1, 5))
    move(first, "signed", D(2019, 3, 1))
    move(second, "signed", D(2020, 4, 1))

    def found(**params):
        rows = admin_client.get("/api/stage-changes/", params).json()["results"]
        return sorted((row["project"], row["stage"], row["on"]) for row in rows)

    assert found(project=first.pk) == [(first.pk, "negotiating", "2019-01-10"), (first.pk, "signed", "2019-03-01")]
    assert found(stage="signed", year=2020) == [(second.pk, "signed", "2020-04-01")]
    assert len(found(year=2019)) == 2


# Fund arrivals


@pytest.mark.parametrize(
    "amount",
    ["0", "0.00", "-5", "-0.01", "123456789012345678", "1e30", "abc", "", "NaN", "Infinity", None],
    ids=[
        "zero",
        "zero-decimals",
        "negative",
        "tiny-negative",
        "too-many-digits",
        "huge",
        "text",
        "empty",
        "nan",
        "infinity",
        "null",
    ],
)
def test_fund_arrival_amount_must_be_a_positive_sane_number(admin_client, amount):
    project = ProjectFactory()
    response = post(
        admin_client, "/api/fund-arrivals/", {"project": project.pk, "arrived_on": "2019-07-01", "amount": amount}
    )
    assert response.status_code == 400 and "amount" in response.json(), response.content
    assert not FundArrival.objects.exists()


def test_fund_arrival_amount_cannot_be_changed_to_zero(admin_client):
    arrival = FundArrivalFactory(amount="500.00")
    response = patch(admin_client, f"/api/fund-arrivals/{arrival.pk}/", {"amount": "0", "version": 1})
    assert response.status_code == 400 and "amount" in response.json()
    arrival.refresh_from_db()
    assert (str(arrival.amount), arrival.version) == ("500.00", 1)


def test_smallest_and_largest_amounts_are_accepted(admin_client):
    project = ProjectFactory()
    for amount in ("0.01", "99999999999999.99"):
        response = post(
            admin_client, "/api/fund-arrivals/", {"project": project.pk, "arrived_on": "2019-07-01", "amount": amount}
        )
        assert response.status_code == 201, response.content
        assert response.json()["amount"] == amount


def test_a_fund_arrival_in_the_future_is_refused_as_the_form_refuses_it(admin_client):
    # Regression: the form refused a future date, the API wrote it (201).
    project = ProjectFactory()
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    response = post(admin_client, "/api/fund-arrivals/", {"project": project.pk, "arrived_on": tomorrow, "amount": "1"})
    assert response.status_code == 400 and "arrived_on" in response.json(), response.content
    assert not FundArrival.objects.exists()
    arrival = FundArrivalFactory(project=project, arrived_on=D(2019, 7, 1))
    moved = patch(admin_client, f"/api/fund-arrivals/{arrival.pk}/", {"arrived_on": tomorrow, "version": 1})
    assert moved.status_code == 400 and "arrived_on" in moved.json()
    arrival.refresh_from_db()
    assert (arrival.arrived_on, arrival.version) == (D(2019, 7, 1), 1)


def test_a_fund_arrival_today_is_accepted(admin_client):
    project = ProjectFactory()
    today = timezone.localdate().isoformat()
    response = post(admin_client, "/api/fund-arrivals/", {"project": project.pk, "arrived_on": today, "amount": "1"})
    assert response.status_code == 201, response.content


def test_expected_profit_and_tax_is_written_and_read_as_on_the_form(admin_client):
    # Regression: the form, the importer and the demo had 利税; the API neither showed nor took it.
    response = post(admin_client, "/api/projects/", {**PROJECTS.new(), "expected_annual_profit_tax": "3200.00"})
    assert response.status_code == 201, response.content
    assert response.json()["expected_annual_profit_tax"] == "3200.00"
    project = Project.objects.get(pk=response.json()["id"])
    changed = patch(admin_client, f"/api/projects/{project.pk}/", {"expected_annual_profit_tax": "10", "version": 1})
    assert changed.status_code == 200, changed.content
    project.refresh_from_db()
    assert str(project.expected_annual_profit_tax) == "10.00"


def test_fund_arrival_needs_a_known_project_and_a_date(admin_client):
    response = post(admin_client, "/api/fund-arrivals/", {"project": 999999, "amount": "10.00"})
    assert response.status_code == 400 and {"project", "arrived_on"} <= set(response.json())


def test_fund_arrival_is_sample_is_read_only(admin_client):
    project = ProjectFactory()
    response = post(
        admin_client,
        "/api/fund-arrivals/",
        {"project": project.pk, "arrived_on": "2019-07-01", "amount": "10.00", "is_sample": True},
    )
    assert response.status_code == 201 and response.json()["is_sample"] is False


def test_fund_arrivals_filter_by_project_year_and_park(admin_client):
    core = ParkFactory(code="core")
    in_core = ProjectFactory(park=core)
    elsewhere = ProjectFactory()
    a = FundArrivalFactory(project=in_core, arrived_on=D(2019, 5, 1))
    b = FundArrivalFactory(project=in_core, arrived_on=D(2020, 5, 1))
    c = FundArrivalFactory(project=elsewhere, arrived_on=D(2019, 8, 1))

    def ids(**params):
        return sorted(row["id"] for row in admin_client.get("/api/fund-arrivals/", params).json()["results"])

    assert ids(project=in_core.pk) == sorted([a.pk, b.pk])
    assert ids(year=2019) == sorted([a.pk, c.pk])
    assert ids(year=2019, park="core") == [a.pk]
    assert ids(month=8) == [c.pk]


# Project filters


def ids(client, **params) -> list[int]:
    response = client.get("/api/projects/", params)
    assert response.status_code == 200, response.content
    return sorted(row["id"] for row in response.json()["results"])


def test_projects_filter_by_stage(admin_client):
    negotiating = ProjectFactory()
    signed = ProjectFactory()
    building = ProjectFactory()
    move(signed, "signed", D(2019, 3, 1))
    move(building, "signed", D(2019, 3, 1))
    move(building, "construction", D(2019, 5, 1))
    assert ids(admin_client, stage="signed") == [signed.pk]
    assert ids(admin_client, stage=["negotiating", "construction"]) == sorted([negotiating.pk, building.pk])
    assert admin_client.get("/api/projects/", {"stage": "approved"}).status_code == 400


def test_projects_band_1bn_starts_at_exactly_100000(admin_client):
    exactly = ProjectFactory(contract_investment="100000.00")
    just_under = ProjectFactory(contract_investment="99999.99")
    hundred_m = ProjectFactory(contract_investment="10000.00")
    ProjectFactory(contract_investment="9999.99")
    assert ids(admin_client, band="1bn") == [exactly.pk]
    assert ids(admin_client, band="100m") == sorted([exactly.pk, just_under.pk, hundred_m.pk])


def test_projects_filter_by_signed_year_counts_only_moves_that_still_count(admin_client):
    in_2019 = ProjectFactory()
    in_2020 = ProjectFactory()
    undone = ProjectFactory()
    move(in_2019, "signed", D(2019, 12, 31))
    move(in_2020, "signed", D(2020, 1, 1))
    move(undone, "signed", D(2019, 6, 1))
    move(undone, "negotiating", D(2019, 6, 2), correction=True, note="合同未签署")
    assert ids(admin_client, signed_year=2019) == [in_2019.pk]
    assert ids(admin_client, signed_year=2020) == [in_2020.pk]


def test_projects_filter_by_park_cluster_key_level_and_enterprise(admin_client):
    zone = ParkFactory(code="zone", kind="zone")
    core = ParkFactory(code="core", parent=zone)
    cluster = IndustryClusterFactory(code="BIO")
    enterprise = EnterpriseFactory()
    in_core = ProjectFactory(park=core, cluster=cluster, key_city=True, enterprise=enterprise)
    other = ProjectFactory(park=ParkFactory(parent=zone))
    assert ids(admin_client, park="core") == [in_core.pk]
    assert ids(admin_client, park="zone") == sorted([in_core.pk, other.pk])
    assert ids(admin_client, cluster="BIO") == [in_core.pk]
    assert ids(admin_client, key_level="city") == [in_core.pk]
    assert ids(admin_client, enterprise=enterprise.pk) == [in_core.pk]
    assert ids(admin_client, q=in_core.name) == [in_core.pk]
