"""The API of the enterprises' other records: qualifications, R&D platforms, yearly figures, incubators,
incubations and problems (service requests)."""

import datetime

import pytest
from django.utils import timezone

from enterprises.models import (
    EXPIRES_BEFORE_ISSUED,
    EnterpriseYear,
    Incubation,
    Incubator,
    Qualification,
    ResearchPlatform,
    ServiceRequest,
)
from tests.factories import (
    EnterpriseFactory,
    EnterpriseYearFactory,
    IncubationFactory,
    IncubatorFactory,
    ParkFactory,
    QualificationFactory,
    ResearchPlatformFactory,
    ServiceRequestFactory,
    UserFactory,
)
from tests.harness import Access, Endpoint, check_access, count_queries, crud_accesses, matrix

pytestmark = pytest.mark.django_db

EDITORS = frozenset({"administrator", "enterprise"})


def message(model, constraint_name: str) -> str:
    """A constraint's message as the API says it (in the active language)."""
    constraint = next(c for c in model._meta.constraints if c.name == constraint_name)
    return str(constraint.violation_error_message)


ENDPOINTS = [
    Endpoint(
        "/api/qualifications/",
        Qualification,
        QualificationFactory,
        lambda: {"enterprise": EnterpriseFactory().pk, "kind": "tech_sme", "issued_on": "2023-05-01"},
        {"certificate_no": "GR202300001"},
        ("id", "enterprise", "issued_on", "expires_on"),
    ),
    Endpoint(
        "/api/research-platforms/",
        ResearchPlatform,
        ResearchPlatformFactory,
        lambda: {"enterprise": EnterpriseFactory().pk, "name": "工程研究中心", "kind": "key_lab", "level": "national"},
        {"level": "national"},
        ("id", "enterprise", "approved_on"),
    ),
    Endpoint(
        "/api/enterprise-years/",
        EnterpriseYear,
        EnterpriseYearFactory,
        lambda: {"enterprise": EnterpriseFactory().pk, "year": 2023, "revenue": "1234.50", "employees": 80},
        {"tax": "60.00"},
        (
            "id",
            "enterprise",
            "year",
            "revenue",
            "industrial_output",
            "tax",
            "rd_expense",
            "employees",
            "export_value",
            "patents_granted",
            "source",
            "is_sample",
            "version",
        ),
    ),
    Endpoint(
        "/api/incubators/",
        Incubator,
        IncubatorFactory,
        lambda: {"name": f"新孵化器{Incubator.objects.count()}", "level": "provincial", "park": ParkFactory().code},
        {"operator": "园区投资公司"},
        ("id", "name", "level", "park"),
    ),
    Endpoint(
        "/api/incubations/",
        Incubation,
        IncubationFactory,
        lambda: {
            "enterprise": EnterpriseFactory().pk,
            "incubator": IncubatorFactory().pk,
            "entered_on": "2022-09-01",
        },
        {"area_m2": "120.00"},
        ("id", "enterprise", "incubator", "entered_on", "left_on", "status"),
    ),
    Endpoint(
        "/api/service-requests/",
        ServiceRequest,
        ServiceRequestFactory,
        lambda: {
            "enterprise": EnterpriseFactory().pk,
            "title": "用电增容",
            "category": "utilities",
            "raised_on": "2024-06-03",
        },
        {"status": "in_progress"},
        ("id", "enterprise", "title", "category", "status", "assignee", "due_on", "raised_on", "version"),
    ),
]
BY_PATH = {endpoint.path: endpoint for endpoint in ENDPOINTS}


def accesses(endpoint: Endpoint) -> list[Access]:
    return crud_accesses(endpoint, EDITORS)


@pytest.mark.parametrize(("access", "role"), matrix(*(a for endpoint in ENDPOINTS for a in accesses(endpoint))))
def test_role_matrix(client, access, role):
    check_access(client, access, role)


def post(client, path, data):
    return client.post(path, data, content_type="application/json")


def patch(client, path, data):
    return client.patch(path, data, content_type="application/json")


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.path)
def test_records_carry_the_contract_fields_and_a_version(admin_client, endpoint):
    endpoint.factory()
    record = admin_client.get(endpoint.path).json()["results"][0]
    assert set(endpoint.contract) <= set(record), set(endpoint.contract) - set(record)
    assert record["version"] == 1


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.path)
def test_editor_creates_updates_and_deletes(admin_client, endpoint):
    created = post(admin_client, endpoint.path, endpoint.new())
    assert created.status_code == 201, created.content
    url = endpoint.detail(created.json()["id"])
    updated = patch(admin_client, url, {**endpoint.change, "version": 1})
    assert updated.status_code == 200, updated.content
    assert updated.json()["version"] == 2
    for field, value in endpoint.change.items():
        assert updated.json()[field] == value
    assert admin_client.delete(url).status_code == 204
    assert not endpoint.model.objects.exists()


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.path)
def test_stale_version_is_refused_with_409_and_changes_nothing(admin_client, endpoint):
    url = endpoint.detail(endpoint.factory().pk)
    assert patch(admin_client, url, {**endpoint.change, "version": 1}).status_code == 200
    before = endpoint.state()
    stale = patch(admin_client, url, {**endpoint.change, "version": 1})
    assert stale.status_code == 409, stale.content
    assert stale.json()["version"] == 2
    assert endpoint.state() == before


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.path)
def test_update_without_a_version_is_refused(admin_client, endpoint):
    url = endpoint.detail(endpoint.factory().pk)
    response = patch(admin_client, url, endpoint.change)
    assert response.status_code == 400 and "version" in response.json()


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.path)
def test_list_query_count_does_not_grow_with_the_rows(admin_client, endpoint):
    def count():
        return count_queries(admin_client, endpoint.path)

    endpoint.factory()
    few = count()
    for _ in range(9):
        endpoint.factory()
    assert count() == few


def test_list_is_paginated(admin_client):
    for year in (2019, 2020, 2021):
        EnterpriseYearFactory(year=year)
    first = admin_client.get("/api/enterprise-years/", {"page_size": 2}).json()
    assert set(first) == {"count", "next", "previous", "results"}
    assert (first["count"], len(first["results"]), first["previous"]) == (3, 2, None)
    second = admin_client.get(first["next"]).json()
    assert (len(second["results"]), second["next"]) == (1, None)
    assert second["previous"] is not None


def test_token_authentication(client, admin_user):
    from rest_framework.authtoken.models import Token

    ServiceRequestFactory()
    token = Token.objects.create(user=admin_user)
    response = client.get("/api/service-requests/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200 and response.json()["count"] == 1
    assert client.get("/api/service-requests/", HTTP_AUTHORIZATION="Token wrong").status_code == 401


# Yearly figures


def test_duplicate_year_of_an_enterprise_is_refused_on_create_and_update(admin_client):
    existing = EnterpriseYearFactory(year=2019)
    other = EnterpriseYearFactory(enterprise=existing.enterprise, year=2020)
    before = BY_PATH["/api/enterprise-years/"].state()

    created = post(admin_client, "/api/enterprise-years/", {"enterprise": existing.enterprise_id, "year": 2019})
    assert created.status_code == 400
    assert message(EnterpriseYear, "enterprise_year_unique") in str(created.json())

    moved = patch(admin_client, f"/api/enterprise-years/{other.pk}/", {"year": 2019, "version": 1})
    assert moved.status_code == 400
    assert message(EnterpriseYear, "enterprise_year_unique") in str(moved.json())
    assert BY_PATH["/api/enterprise-years/"].state() == before


@pytest.mark.parametrize("field", ["revenue", "industrial_output", "tax", "rd_expense", "export_value"])
def test_negative_amounts_are_refused(admin_client, field):
    enterprise = EnterpriseFactory()
    response = post(admin_client, "/api/enterprise-years/", {"enterprise": enterprise.pk, "year": 2020, field: "-1"})
    assert response.status_code == 400 and field in response.json()
    assert not EnterpriseYear.objects.exists()


@pytest.mark.parametrize("field", ["employees", "patents_granted"])
def test_negative_counts_are_refused(admin_client, field):
    enterprise = EnterpriseFactory()
    response = post(admin_client, "/api/enterprise-years/", {"enterprise": enterprise.pk, "year": 2020, field: -5})
    assert response.status_code == 400 and field in response.json()
    assert not EnterpriseYear.objects.exists()


@pytest.mark.parametrize("year", [1989, 2101])
def test_year_outside_1990_to_2100_is_refused(admin_client, year):
    enterprise = EnterpriseFactory()
    response = post(admin_client, "/api/enterprise-years/", {"enterprise": enterprise.pk, "year": year})
    assert response.status_code == 400 and "year" in response.json()
    assert not EnterpriseYear.objects.exists()


def test_negative_amount_on_update_is_refused(admin_client):
    figures = EnterpriseYearFactory(revenue="10.00")
    response = patch(admin_client, f"/api/enterprise-years/{figures.pk}/", {"revenue": "-0.01", "version": 1})
    assert response.status_code == 400 and "revenue" in response.json()
    figures.refresh_from_db()
    assert (str(figures.revenue), figures.version) == ("10.00", 1)


def test_is_sample_is_read_only(admin_client):
    enterprise = EnterpriseFactory()
    response = post(
        admin_client, "/api/enterprise-years/", {"enterprise": enterprise.pk, "year": 2021, "is_sample": True}
    )
    assert response.status_code == 201 and response.json()["is_sample"] is False


def test_enterprise_years_filter_by_year_enterprise_and_park(admin_client):
    zone = ParkFactory(code="zone", kind="zone")
    core = ParkFactory(code="core", parent=zone)
    elsewhere = ParkFactory(code="north", parent=zone)
    in_core = EnterpriseFactory(park=core)
    EnterpriseYearFactory(enterprise=in_core, year=2019)
    EnterpriseYearFactory(enterprise=in_core, year=2020)
    EnterpriseYearFactory(enterprise=EnterpriseFactory(park=elsewhere), year=2019)

    def found(**params):
        return sorted(
            (row["enterprise"], row["year"])
            for row in admin_client.get("/api/enterprise-years/", params).json()["results"]
        )

    assert [year for _, year in found(year=2019)] == [2019, 2019]
    assert found(year=2019, park="core") == [(in_core.pk, 2019)]
    assert found(enterprise=in_core.pk) == [(in_core.pk, 2019), (in_core.pk, 2020)]
    assert len(found(park="zone")) == 3


def test_enterprise_years_order_by_revenue(admin_client):
    for revenue in ("30.00", "10.00", "20.00"):
        EnterpriseYearFactory(revenue=revenue)
    rows = admin_client.get("/api/enterprise-years/", {"ordering": "-revenue"}).json()["results"]
    assert [row["revenue"] for row in rows] == ["30.00", "20.00", "10.00"]


def test_an_out_of_range_year_filter_is_a_400(admin_client):
    assert admin_client.get("/api/enterprise-years/", {"year": 1800}).status_code == 400


# Qualifications and R&D platforms


def test_qualifications_filter_by_validity_date_and_kind(admin_client):
    in_force = QualificationFactory(issued_on=datetime.date(2019, 3, 1), expires_on=datetime.date(2021, 3, 1))
    QualificationFactory(issued_on=datetime.date(2016, 1, 1), expires_on=datetime.date(2018, 12, 31))
    open_ended = QualificationFactory(kind="little_giant", issued_on=datetime.date(2019, 12, 31), expires_on=None)
    QualificationFactory(issued_on=datetime.date(2020, 1, 1))

    def ids(**params):
        return sorted(row["id"] for row in admin_client.get("/api/qualifications/", params).json()["results"])

    assert ids(valid_on="2019-12-31") == sorted([in_force.pk, open_ended.pk])
    assert ids(valid_on="2019-12-31", kind="little_giant") == [open_ended.pk]


def test_qualification_cannot_expire_before_it_was_issued(admin_client):
    response = post(
        admin_client,
        "/api/qualifications/",
        {"enterprise": EnterpriseFactory().pk, "kind": "hitech", "issued_on": "2020-01-01", "expires_on": "2019-01-01"},
    )
    assert response.status_code == 400
    assert str(EXPIRES_BEFORE_ISSUED) in str(response.json())
    assert not Qualification.objects.exists()


def test_unknown_enterprise_is_a_field_error(admin_client):
    response = post(
        admin_client, "/api/qualifications/", {"enterprise": 999999, "kind": "hitech", "issued_on": "2020-01-01"}
    )
    assert response.status_code == 400 and "enterprise" in response.json()


def test_research_platforms_filter_by_level_and_enterprise(admin_client):
    national = ResearchPlatformFactory(level="national")
    ResearchPlatformFactory(level="provincial")
    rows = admin_client.get("/api/research-platforms/", {"level": "national"}).json()["results"]
    assert [row["id"] for row in rows] == [national.pk]
    rows = admin_client.get("/api/research-platforms/", {"enterprise": national.enterprise_id}).json()["results"]
    assert [row["id"] for row in rows] == [national.pk]


# Incubators and incubations


def test_incubator_park_is_its_code(admin_client):
    ParkFactory(code="core")
    created = post(admin_client, "/api/incubators/", {"name": "科创孵化器", "level": "national", "park": "core"})
    assert created.status_code == 201, created.content
    assert created.json()["park"] == "core"
    unknown = post(admin_client, "/api/incubators/", {"name": "别的孵化器", "level": "national", "park": "nowhere"})
    assert unknown.status_code == 400 and "park" in unknown.json()


def test_incubators_filter_by_level(admin_client):
    national = IncubatorFactory(level="national")
    IncubatorFactory(level="municipal")
    rows = admin_client.get("/api/incubators/", {"level": "national"}).json()["results"]
    assert [row["id"] for row in rows] == [national.pk]


def test_incubator_still_hosting_incubations_cannot_be_deleted(admin_client):
    incubation = IncubationFactory()
    response = admin_client.delete(f"/api/incubators/{incubation.incubator_id}/")
    assert response.status_code == 409
    assert Incubator.objects.filter(pk=incubation.incubator_id).exists()


def test_second_open_incubation_is_refused_on_create(admin_client):
    open_stay = IncubationFactory()
    response = post(
        admin_client,
        "/api/incubations/",
        {"enterprise": open_stay.enterprise_id, "incubator": IncubatorFactory().pk, "entered_on": "2023-01-01"},
    )
    assert response.status_code == 400
    assert message(Incubation, "incubation_one_open_per_enterprise") in str(response.json())
    assert Incubation.objects.count() == 1


def test_reopening_a_finished_incubation_while_another_is_open_is_refused(admin_client):
    finished = IncubationFactory(
        status="graduated", entered_on=datetime.date(2018, 1, 1), left_on=datetime.date(2020, 1, 1)
    )
    IncubationFactory(enterprise=finished.enterprise, entered_on=datetime.date(2021, 1, 1))
    before = BY_PATH["/api/incubations/"].state()
    response = patch(
        admin_client, f"/api/incubations/{finished.pk}/", {"status": "incubating", "left_on": None, "version": 1}
    )
    assert response.status_code == 400
    assert message(Incubation, "incubation_one_open_per_enterprise") in str(response.json())
    assert BY_PATH["/api/incubations/"].state() == before


def test_a_new_stay_is_allowed_once_the_first_has_ended(admin_client):
    finished = IncubationFactory(
        status="exited", entered_on=datetime.date(2018, 1, 1), left_on=datetime.date(2019, 6, 30)
    )
    response = post(
        admin_client,
        "/api/incubations/",
        {"enterprise": finished.enterprise_id, "incubator": finished.incubator_id, "entered_on": "2021-01-01"},
    )
    assert response.status_code == 201, response.content


@pytest.mark.parametrize(
    ("changes", "field"),
    [({"status": "graduated"}, "left_on"), ({"left_on": "2021-01-01"}, "left_on")],
    ids=["graduated-without-leaving-date", "incubating-with-leaving-date"],
)
def test_incubation_leaving_date_goes_with_its_status(admin_client, changes, field):
    incubation = IncubationFactory()
    response = patch(admin_client, f"/api/incubations/{incubation.pk}/", {**changes, "version": 1})
    assert response.status_code == 400 and field in response.json()
    incubation.refresh_from_db()
    assert (incubation.status, incubation.left_on, incubation.version) == ("incubating", None, 1)


def test_incubations_filter_by_status_and_incubator(admin_client):
    current = IncubationFactory()
    IncubationFactory(status="graduated", left_on=datetime.date(2022, 1, 1))
    rows = admin_client.get("/api/incubations/", {"status": "incubating"}).json()["results"]
    assert [row["id"] for row in rows] == [current.pk]
    rows = admin_client.get("/api/incubations/", {"incubator": current.incubator_id}).json()["results"]
    assert [row["id"] for row in rows] == [current.pk]


# Problems (service requests)


@pytest.mark.parametrize(("category", "days"), [("utilities", 7), ("land", 60), ("other", 30)])
def test_due_date_defaults_to_the_categorys_time_limit(admin_client, category, days):
    response = post(
        admin_client,
        "/api/service-requests/",
        {"enterprise": EnterpriseFactory().pk, "title": "问题", "category": category, "raised_on": "2024-06-03"},
    )
    assert response.status_code == 201, response.content
    expected = datetime.date(2024, 6, 3) + datetime.timedelta(days=days)
    assert response.json()["due_on"] == expected.isoformat()
    assert ServiceRequest.objects.get().due_on == expected


def test_a_given_due_date_is_kept_but_not_before_the_day_raised(admin_client):
    data = {"enterprise": EnterpriseFactory().pk, "title": "问题", "category": "land", "raised_on": "2024-06-03"}
    kept = post(admin_client, "/api/service-requests/", {**data, "due_on": "2024-06-10"})
    assert kept.status_code == 201 and kept.json()["due_on"] == "2024-06-10"
    early = post(admin_client, "/api/service-requests/", {**data, "due_on": "2024-06-01"})
    assert early.status_code == 400
    assert ServiceRequest.objects.count() == 1


def test_resolving_needs_a_resolution_and_a_date(admin_client):
    problem = ServiceRequestFactory()
    url = f"/api/service-requests/{problem.pk}/"
    refused = patch(admin_client, url, {"status": "resolved", "version": 1})
    assert refused.status_code == 400
    assert {"resolution", "resolved_on"} <= set(refused.json())
    problem.refresh_from_db()
    assert (problem.status, problem.version) == ("open", 1)

    resolved = patch(
        admin_client,
        url,
        {"status": "resolved", "resolution": "已协调供电公司增容", "resolved_on": "2024-05-20", "version": 1},
    )
    assert resolved.status_code == 200, resolved.content
    assert resolved.json()["status"] == "resolved"


def test_closing_needs_the_day_the_enterprise_confirmed(admin_client):
    problem = ServiceRequestFactory(status="resolved", resolution="已解决", resolved_on=datetime.date(2024, 5, 20))
    url = f"/api/service-requests/{problem.pk}/"
    refused = patch(admin_client, url, {"status": "closed", "version": 1})
    assert refused.status_code == 400 and "closed_on" in refused.json()
    problem.refresh_from_db()
    assert (problem.status, problem.version) == ("resolved", 1)
    closed = patch(admin_client, url, {"status": "closed", "closed_on": "2024-05-25", "version": 1})
    assert closed.status_code == 200, closed.content


def test_closing_straight_from_open_needs_everything(admin_client):
    problem = ServiceRequestFactory()
    response = patch(admin_client, f"/api/service-requests/{problem.pk}/", {"status": "closed", "version": 1})
    assert response.status_code == 400
    assert {"resolution", "resolved_on", "closed_on"} <= set(response.json())


def test_a_closed_problem_does_not_go_back_to_open_through_the_api(admin_client):
    """The API moves a problem by the rules of its page: a closed problem stays closed, with its dates."""
    problem = ServiceRequestFactory(
        status="closed",
        resolution="已解决",
        resolved_on=datetime.date(2024, 5, 20),
        closed_on=datetime.date(2024, 5, 25),
    )
    response = patch(admin_client, f"/api/service-requests/{problem.pk}/", {"status": "open", "version": 1})
    assert response.status_code == 400 and "status" in response.json()
    problem.refresh_from_db()
    assert (problem.status, problem.closed_on, problem.version) == ("closed", datetime.date(2024, 5, 25), 1)


def test_a_resolution_changes_only_with_a_move(admin_client):
    problem = ServiceRequestFactory(status="resolved", resolution="已解决", resolved_on=datetime.date(2024, 5, 20))
    url = f"/api/service-requests/{problem.pk}/"
    response = patch(admin_client, url, {"resolution": "改写", "version": 1})
    assert response.status_code == 400 and "status" in response.json()
    reopened = patch(admin_client, url, {"status": "in_progress", "title": "用电增容（复查）", "version": 1})
    assert reopened.status_code == 200, reopened.content
    problem.refresh_from_db()
    assert (problem.status, problem.resolved_on, problem.title, problem.version) == (
        "in_progress",
        None,
        "用电增容（复查）",
        2,
    )


def test_a_move_from_a_stale_version_is_a_conflict(admin_client):
    problem = ServiceRequestFactory(version=2)
    response = patch(
        admin_client,
        f"/api/service-requests/{problem.pk}/",
        {"status": "resolved", "resolution": "已协调", "resolved_on": "2024-05-20", "version": 1},
    )
    assert response.status_code == 409
    problem.refresh_from_db()
    assert (problem.status, problem.version) == ("open", 2)


def test_unknown_category_and_status_are_field_errors(admin_client):
    data = {"enterprise": EnterpriseFactory().pk, "title": "问题", "raised_on": "2024-06-03"}
    response = post(admin_client, "/api/service-requests/", {**data, "category": "weather", "status": "pending"})
    assert response.status_code == 400 and {"category", "status"} <= set(response.json())
    assert not ServiceRequest.objects.exists()


def test_assignee_is_a_user_id(admin_client):
    officer = UserFactory()
    problem = ServiceRequestFactory()
    response = patch(admin_client, f"/api/service-requests/{problem.pk}/", {"assignee": officer.pk, "version": 1})
    assert response.status_code == 200 and response.json()["assignee"] == officer.pk
    gone = UserFactory(is_active=False)
    response = patch(admin_client, f"/api/service-requests/{problem.pk}/", {"assignee": gone.pk, "version": 2})
    assert response.status_code == 400 and "assignee" in response.json()


def test_service_requests_filter_overdue_status_and_category(admin_client):
    today = timezone.localdate()
    late = ServiceRequestFactory(
        category="land", raised_on=today - datetime.timedelta(days=90), due_on=today - datetime.timedelta(days=1)
    )
    on_time = ServiceRequestFactory(raised_on=today, due_on=today + datetime.timedelta(days=10), status="in_progress")
    done_late = ServiceRequestFactory(
        raised_on=today - datetime.timedelta(days=90),
        due_on=today - datetime.timedelta(days=60),
        status="resolved",
        resolution="已解决",
        resolved_on=today - datetime.timedelta(days=30),
    )

    def ids(params):
        rows = admin_client.get("/api/service-requests/", params).json()["results"]
        return sorted(row["id"] for row in rows)

    assert ids({"overdue": "true"}) == [late.pk]
    assert ids({"overdue": "false"}) == sorted([on_time.pk, done_late.pk])
    assert ids({"status": ["open", "in_progress"]}) == sorted([late.pk, on_time.pk])
    assert ids({"category": "land"}) == [late.pk]
    late_row = admin_client.get(f"/api/service-requests/{late.pk}/").json()
    assert late_row["is_overdue"] is True
