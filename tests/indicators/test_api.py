"""The indicators API: definitions and their series, values with the checks at entry and the review steps,
targets."""

import itertools
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.translation import gettext

from indicators.models import Indicator, IndicatorValue, Target
from tests.factories import (
    IndicatorFactory,
    IndicatorValueFactory,
    ParkFactory,
    TargetFactory,
    UserFactory,
)
from tests.harness import EVERY_ROLE, ROLE_GROUPS, Access, Endpoint, check_access, crud_accesses, make_user, matrix

pytestmark = pytest.mark.django_db

DEFINERS = frozenset({"administrator"})
VALUE_EDITORS = frozenset({"administrator", "statistics"})
REVIEWERS = frozenset({"administrator", "reviewer"})
D = Decimal

INDICATOR_FIELDS = {
    "code",
    "name",
    "name_en",
    "unit",
    "category",
    "decimals",
    "higher_is_better",
    "kind",
    "definition",
    "min_value",
    "max_value",
    "is_headline",
    "reconciles",
    "records_complete",
    "version",
}
VALUE_FIELDS = {
    "id",
    "indicator",
    "park",
    "span_start",
    "span_kind",
    "period_label",
    "year",
    "value",
    "status",
    "source",
    "note",
    "explanation",
    "review_comment",
    "entered_by",
    "approved_by",
    "version",
}
TARGET_FIELDS = {"id", "indicator", "park", "year", "value", "source", "note", "version"}

_numbers = itertools.count(1)


def constraint_message(model) -> str:
    """The one-per-indicator-park-year message, as the API says it in the active language."""
    return str(model._meta.constraints[0].violation_error_message)


def post(client, path, data=None):
    return client.post(path, data or {}, content_type="application/json")


def patch(client, path, data):
    return client.patch(path, data, content_type="application/json")


def login(client, role):
    user = make_user(role)
    client.force_login(user)
    return user


def value_state():
    return sorted(IndicatorValue.objects.values_list("pk", "version", "status"))


def submitted_value(**fields):
    return IndicatorValueFactory(status="submitted", **fields)


# --- who may do what ----------------------------------------------------------------------------------------------

INDICATORS = Endpoint(
    "/api/indicators/",
    Indicator,
    IndicatorFactory,
    lambda: {"code": f"new_{next(_numbers)}", "name": "新指标", "unit": "家", "decimals": 0},
    {"name": "改名"},
    lookup="code",
)
TARGETS = Endpoint(
    "/api/targets/",
    Target,
    TargetFactory,
    lambda: {"indicator": IndicatorFactory().code, "year": 2020, "value": "8.00"},
    {"value": "9.00"},
)


ACCESSES = [
    # definitions
    *crud_accesses(INDICATORS, DEFINERS),
    Access("indicator series", lambda: f"/api/indicators/{IndicatorFactory().code}/series/", EVERY_ROLE, api=True),
    # values
    Access("values list", lambda: "/api/indicator-values/", EVERY_ROLE, api=True),
    Access(
        "value detail",
        lambda: f"/api/indicator-values/{IndicatorValueFactory(status='approved').pk}/",
        EVERY_ROLE,
        api=True,
    ),
    Access(
        "value create",
        lambda: "/api/indicator-values/",
        VALUE_EDITORS,
        method="post",
        api=True,
        data=lambda: {"indicator": IndicatorFactory().code, "year": 2019, "value": "5.50"},
        state=value_state,
        model=IndicatorValue,
        action="create",
    ),
    Access(
        "value update",
        lambda: f"/api/indicator-values/{IndicatorValueFactory().pk}/",
        VALUE_EDITORS,
        method="patch",
        api=True,
        data=lambda: {"value": "11.00", "version": 1},
        state=value_state,
        model=IndicatorValue,
        action="edit",
    ),
    Access(
        "value delete",
        lambda: f"/api/indicator-values/{IndicatorValueFactory().pk}/",
        VALUE_EDITORS,
        method="delete",
        api=True,
        state=value_state,
        model=IndicatorValue,
        action="delete",
    ),
    Access(
        "value submit",
        lambda: f"/api/indicator-values/{IndicatorValueFactory().pk}/submit/",
        VALUE_EDITORS,
        method="post",
        api=True,
        data=dict,
        state=value_state,
    ),
    Access(
        "value approve",
        lambda: f"/api/indicator-values/{submitted_value().pk}/approve/",
        REVIEWERS,
        method="post",
        api=True,
        data=lambda: {"version": 1},
        state=value_state,
    ),
    Access(
        "value return",
        lambda: f"/api/indicator-values/{submitted_value().pk}/return/",
        REVIEWERS,
        method="post",
        api=True,
        data=lambda: {"comment": "与统计局快报不一致", "version": 1},
        state=value_state,
    ),
    *crud_accesses(TARGETS, VALUE_EDITORS),
]


@pytest.mark.parametrize(("access", "role"), matrix(*ACCESSES))
def test_role_matrix(client, access, role):
    check_access(client, access, role)


# --- contract fields, pagination, query counts, token -------------------------------------------------------------


def test_records_carry_the_contract_fields(admin_client):
    park = ParkFactory(code="core")
    IndicatorValueFactory(park=park)
    TargetFactory()
    indicator = admin_client.get("/api/indicators/").json()["results"][0]
    assert set(indicator) == INDICATOR_FIELDS
    value = admin_client.get("/api/indicator-values/").json()["results"][0]
    assert VALUE_FIELDS <= set(value), VALUE_FIELDS - set(value)
    assert "submit" not in value
    assert value["park"] == "core" and value["status"] == "draft" and value["version"] == 1
    target = admin_client.get("/api/targets/").json()["results"][0]
    assert TARGET_FIELDS <= set(target)
    assert target["park"] is None


def test_indicators_are_addressed_by_their_code(admin_client):
    IndicatorFactory(code="fiscal_revenue", name="公共财政收入", decimals=2)
    response = admin_client.get("/api/indicators/fiscal_revenue/")
    assert response.status_code == 200
    assert (response.json()["code"], response.json()["name"]) == ("fiscal_revenue", "公共财政收入")
    assert admin_client.get("/api/indicators/nothing_here/").status_code == 404


# The computed indicators exist from the start: the definitions counted are the reported ones.
@pytest.mark.parametrize(
    ("path", "params", "factory"),
    [
        ("/api/indicators/", {"kind": "reported"}, IndicatorFactory),
        ("/api/indicator-values/", {}, IndicatorValueFactory),
        ("/api/targets/", {}, TargetFactory),
    ],
)
def test_lists_are_paginated(admin_client, path, params, factory):
    for _ in range(3):
        factory()
    first = admin_client.get(path, {**params, "page_size": 2}).json()
    assert set(first) == {"count", "next", "previous", "results"}
    assert (first["count"], len(first["results"]), first["previous"]) == (3, 2, None)
    second = admin_client.get(first["next"]).json()
    assert (len(second["results"]), second["next"]) == (1, None)


@pytest.mark.parametrize(
    ("path", "factory"),
    [
        ("/api/indicators/?kind=reported", IndicatorFactory),
        ("/api/indicator-values/", lambda: IndicatorValueFactory(park=ParkFactory(), approved_by=UserFactory())),
        ("/api/targets/", lambda: TargetFactory(park=ParkFactory())),
    ],
)
def test_list_query_count_does_not_grow_with_the_rows(admin_client, path, factory):
    def count():
        with CaptureQueriesContext(connection) as queries:
            response = admin_client.get(path)
            assert response.status_code == 200
        return len(queries), response.json()["count"]

    for _ in range(5):
        factory()
    few, rows = count()
    assert rows == 5
    for _ in range(45):
        factory()
    assert count() == (few, 50)


def test_token_authentication(client):
    from rest_framework.authtoken.models import Token

    IndicatorValueFactory(status="approved")
    token = Token.objects.create(user=make_user("official"))
    response = client.get("/api/indicator-values/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200 and response.json()["count"] == 1
    assert client.get("/api/indicator-values/", HTTP_AUTHORIZATION="Token wrong").status_code == 401
    assert client.get("/api/indicators/").status_code == 401


# --- definitions -----------------------------------------------------------------------------------------------


def test_administrator_creates_a_reported_indicator(admin_client):
    response = post(
        admin_client,
        "/api/indicators/",
        {"code": "new_patents", "name": "新增专利", "unit": "件", "decimals": 0, "min_value": "0", "kind": "computed"},
    )
    assert response.status_code == 201, response.content
    assert response.json()["kind"] == "reported"
    assert Indicator.objects.get(code="new_patents").kind == "reported"


def test_an_indicator_code_must_be_a_code(admin_client):
    response = post(admin_client, "/api/indicators/", {"code": "财政 收入", "name": "x", "unit": "亿元"})
    assert response.status_code == 400 and "code" in response.json()


def test_lowest_possible_value_above_the_highest_is_refused(admin_client):
    response = post(
        admin_client,
        "/api/indicators/",
        {"code": "share", "name": "占比", "unit": "%", "min_value": "100", "max_value": "0"},
    )
    assert response.status_code == 400 and "max_value" in response.json()


def test_a_computed_indicator_keeps_its_code(admin_client):
    computed = Indicator.objects.filter(kind="computed").first()
    assert computed is not None
    url = f"/api/indicators/{computed.code}/"
    response = patch(admin_client, url, {"code": "renamed", "version": computed.version})
    assert response.status_code == 400 and "code" in response.json()


def indicator_state():
    return sorted(Indicator.objects.values_list("code", "name", "min_value", "max_value", "is_headline", "version"))


def test_a_reported_indicator_keeps_its_code_as_the_form_keeps_it(admin_client):
    # Regression: the form fixes the code once the indicator exists; the API let PATCH rename it.
    IndicatorFactory(code="abc")
    before = indicator_state()
    response = patch(admin_client, "/api/indicators/abc/", {"code": "xyz", "version": 1})
    assert response.status_code == 400 and "code" in response.json()
    assert indicator_state() == before
    # A full update sending the code unchanged is no rename.
    body = admin_client.get("/api/indicators/abc/").json()
    response = admin_client.put("/api/indicators/abc/", {**body, "name": "改名"}, content_type="application/json")
    assert response.status_code == 200, response.content
    assert Indicator.objects.get(code="abc").name == "改名"


def test_a_computed_indicator_changes_only_what_the_form_lets_change(admin_client):
    # Regression: the form leaves only the headline flag and the bounds editable; the API let PATCH rename it.
    computed = Indicator.objects.filter(kind="computed").first()
    url = f"/api/indicators/{computed.code}/"
    before = indicator_state()
    response = patch(admin_client, url, {"name": "改名", "unit": "个", "version": computed.version})
    assert response.status_code == 400 and {"name", "unit"} <= set(response.json())
    assert indicator_state() == before
    allowed = patch(admin_client, url, {"is_headline": True, "min_value": "0", "version": computed.version})
    assert allowed.status_code == 200, allowed.content
    computed.refresh_from_db()
    assert computed.is_headline and computed.min_value == 0


def test_bounds_are_checked_on_update_too(admin_client):
    IndicatorFactory(code="share", min_value=D(0))
    response = patch(admin_client, "/api/indicators/share/", {"max_value": "-1", "version": 1})
    assert response.status_code == 400 and "max_value" in response.json()
    assert Indicator.objects.get(code="share").max_value is None


def test_indicators_filter_by_category_and_kind(admin_client):
    IndicatorFactory(code="fiscal_revenue", category="fiscal")
    IndicatorFactory(code="hitech_enterprises", category="innovation")
    rows = admin_client.get("/api/indicators/", {"category": "fiscal"}).json()["results"]
    assert [row["code"] for row in rows] == ["fiscal_revenue"]
    rows = admin_client.get("/api/indicators/", {"kind": "reported"}).json()["results"]
    assert {row["code"] for row in rows} == {"fiscal_revenue", "hitech_enterprises"}


def test_stale_indicator_update_is_refused(admin_client):
    IndicatorFactory(code="fiscal_revenue")
    assert patch(admin_client, "/api/indicators/fiscal_revenue/", {"name": "一", "version": 1}).status_code == 200
    stale = patch(admin_client, "/api/indicators/fiscal_revenue/", {"name": "二", "version": 1})
    assert stale.status_code == 409 and stale.json()["version"] == 2
    assert Indicator.objects.get(code="fiscal_revenue").name == "一"


# --- series ------------------------------------------------------------------------------------------------------


@pytest.fixture
def demo():
    import demo

    return demo.load(with_accounts=False)


def test_series_of_the_demo_fiscal_revenue(admin_client, demo):
    response = admin_client.get("/api/indicators/fiscal_revenue/series/")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"indicator", "unit", "points", "cagr_pct"}
    assert (body["indicator"], body["unit"]) == ("fiscal_revenue", "亿元")
    assert all(set(point) == {"year", "value", "yoy_pct", "status"} for point in body["points"])
    assert [(p["year"], p["value"], p["yoy_pct"], p["status"]) for p in body["points"]] == [
        (2017, 7.01, None, "approved"),
        (2018, 6.55, -6.56, "approved"),
        (2019, 7.26, 10.84, "approved"),
        (2020, 7.68, 5.79, "approved"),  # the demo's sample value for its latest year
    ]
    assert body["cagr_pct"] == 3.09
    # numbers, not strings, so scripts can compute with them
    assert b'"value":7.01' in response.content and b'"cagr_pct":3.09' in response.content


def test_series_values_are_rounded_to_the_indicator_decimals(admin_client):
    count = IndicatorFactory(code="firms", unit="家", decimals=0)
    IndicatorValueFactory(indicator=count, year=2018, value=D("13"), status="approved")
    IndicatorValueFactory(indicator=count, year=2019, value=D("33"), status="approved")
    body = admin_client.get("/api/indicators/firms/series/").json()
    assert [p["value"] for p in body["points"]] == [13, 33]
    assert body["points"][1]["yoy_pct"] == 153.85 and body["cagr_pct"] == 153.85


def test_series_of_one_park_and_an_unknown_park(admin_client, demo):
    park = ParkFactory(code="agri-park")
    fiscal = Indicator.objects.get(code="fiscal_revenue")
    IndicatorValueFactory(indicator=fiscal, park=park, year=2019, value=D("1.20"), status="approved")
    body = admin_client.get("/api/indicators/fiscal_revenue/series/", {"park": "agri-park"}).json()
    assert [(p["year"], p["value"], p["yoy_pct"]) for p in body["points"]] == [(2019, 1.2, None)]
    assert body["cagr_pct"] is None
    zone = admin_client.get("/api/indicators/fiscal_revenue/series/").json()
    assert [p["year"] for p in zone["points"]] == [2017, 2018, 2019, 2020]

    unknown = admin_client.get("/api/indicators/fiscal_revenue/series/", {"park": "nowhere"})
    assert unknown.status_code == 400
    assert "park" in unknown.json() and "nowhere" in str(unknown.json()["park"])


def test_series_with_pending_values_marks_them(client, demo):
    fiscal = Indicator.objects.get(code="fiscal_revenue")
    submitted_value(indicator=fiscal, year=2021, value=D("7.50"))
    login(client, "official")
    plain = client.get("/api/indicators/fiscal_revenue/series/").json()
    assert [p["year"] for p in plain["points"]] == [2017, 2018, 2019, 2020]
    pending = client.get("/api/indicators/fiscal_revenue/series/", {"include_pending": "1"}).json()
    assert [(p["year"], p["status"]) for p in pending["points"]][-2:] == [(2020, "approved"), (2021, "submitted")]
    assert pending["points"][-1]["yoy_pct"] == -2.34


# --- values: checks at entry -----------------------------------------------------------------------------------


def create_value(client, indicator, value, year=2019, **more):
    return post(client, "/api/indicator-values/", {"indicator": indicator.code, "year": year, "value": value, **more})


@pytest.mark.parametrize(
    ("fields", "value"),
    [
        ({"code": "firms", "unit": "家", "decimals": 0, "min_value": D(0)}, "-1"),
        ({"code": "share", "unit": "%", "min_value": D(0), "max_value": D(100)}, "100.5"),
        (
            {
                "code": "rank",
                "unit": "位",
                "decimals": 0,
                "higher_is_better": False,
                "min_value": D(1),
                "max_value": D(37),
            },
            "0",
        ),
        ({"code": "firms", "unit": "家", "decimals": 0, "min_value": D(0)}, "2.5"),
    ],
    ids=["negative-count", "share-over-100", "rank-0", "fractional-count"],
)
def test_impossible_values_are_refused(client, fields, value):
    login(client, "statistics")
    indicator = IndicatorFactory(**fields)
    response = create_value(client, indicator, value, explanation="确认无误")
    assert response.status_code == 400, response.content
    assert "value" in response.json()
    assert not IndicatorValue.objects.exists()


def test_a_jump_of_60_percent_needs_an_explanation(client):
    login(client, "statistics")
    indicator = IndicatorFactory(code="fiscal")
    IndicatorValueFactory(indicator=indicator, year=2018, value=D("10.00"), status="approved")
    refused = create_value(client, indicator, "16.00")
    assert refused.status_code == 400
    assert "explanation" in refused.json() and "+60.00%" in str(refused.json()["explanation"])
    assert IndicatorValue.objects.count() == 1

    explained = create_value(client, indicator, "16.00", explanation="新增两家规上企业入统")
    assert explained.status_code == 201, explained.content
    assert explained.json()["explanation"] == "新增两家规上企业入统"


def test_computed_indicators_are_not_typed_in(admin_client):
    computed = Indicator.objects.filter(kind="computed").first()
    response = create_value(admin_client, computed, "3")
    assert response.status_code == 400 and "indicator" in response.json()


def test_a_second_value_for_the_same_year_and_park_is_refused(admin_client):
    existing = IndicatorValueFactory(year=2019)
    response = create_value(admin_client, existing.indicator, "10.00")
    assert response.status_code == 400
    assert constraint_message(IndicatorValue) in str(response.json())
    park = ParkFactory(code="core")
    assert create_value(admin_client, existing.indicator, "3.00", park="core").status_code == 201
    assert create_value(admin_client, existing.indicator, "3.00", park="core").status_code == 400
    assert IndicatorValue.objects.filter(park=park).count() == 1


def test_an_unknown_indicator_or_park_is_a_field_error(admin_client):
    indicator = IndicatorFactory()
    assert "indicator" in create_value(admin_client, Indicator(code="nothing"), "1").json()
    assert "park" in create_value(admin_client, indicator, "1", park="nowhere").json()


# --- values: never approved on entry, and who sees what --------------------------------------------------------


@pytest.mark.parametrize("role", sorted(VALUE_EDITORS))
def test_new_values_are_never_approved(client, role):
    user = login(client, role)
    indicator = IndicatorFactory()
    draft = create_value(client, indicator, "5.00", status="approved", approved_by=user.pk)
    assert draft.status_code == 201, draft.content
    assert (draft.json()["status"], draft.json()["approved_by"], draft.json()["entered_by"]) == ("draft", None, user.pk)
    submitted = create_value(client, indicator, "5.00", year=2020, submit=True)
    assert submitted.json()["status"] == "submitted"
    assert not IndicatorValue.objects.filter(status="approved").exists()


def test_editing_an_approved_value_sends_it_back_for_review(client):
    staff = login(client, "statistics")
    value = IndicatorValueFactory(status="approved", approved_by=make_user("reviewer"))
    response = patch(client, f"/api/indicator-values/{value.pk}/", {"value": "10.50", "version": 1, "submit": True})
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["approved_by"], body["entered_by"], body["version"]) == (
        "submitted",
        None,
        staff.pk,
        2,
    )
    assert body["value"] == "10.500000"


def test_editing_a_submitted_value_keeps_it_submitted_unless_told(client):
    login(client, "statistics")
    value = submitted_value()
    response = patch(client, f"/api/indicator-values/{value.pk}/", {"note": "快报数", "version": 1})
    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["note"], response.json()["value"]) == (
        "submitted",
        "快报数",
        "10.000000",
    )
    back = patch(client, f"/api/indicator-values/{value.pk}/", {"submit": False, "version": 2})
    assert back.json()["status"] == "draft"


def test_value_update_needs_the_current_version(admin_client):
    value = IndicatorValueFactory()
    url = f"/api/indicator-values/{value.pk}/"
    assert patch(admin_client, url, {"value": "11.00"}).status_code == 400
    assert patch(admin_client, url, {"value": "11.00", "version": 1}).status_code == 200
    stale = patch(admin_client, url, {"value": "12.00", "version": 1})
    assert stale.status_code == 409 and stale.json()["version"] == 2
    value.refresh_from_db()
    assert value.value == D("11.00")


def test_officials_and_reviewers_see_approved_values_unless_they_ask(client):
    approved = IndicatorValueFactory(status="approved", year=2017)
    pending = [
        IndicatorValueFactory(status=status, year=year) for status, year in (("draft", 2018), ("submitted", 2019))
    ]
    for role in ("official", "reviewer"):
        login(client, role)
        rows = client.get("/api/indicator-values/").json()["results"]
        assert [row["id"] for row in rows] == [approved.pk], role
        assert client.get(f"/api/indicator-values/{pending[0].pk}/").status_code == 404
        asked = client.get("/api/indicator-values/", {"include_pending": "1"}).json()["results"]
        assert {row["status"] for row in asked} == {"approved", "draft", "submitted"}
    login(client, "statistics")
    assert client.get("/api/indicator-values/").json()["count"] == 3


def test_values_filter_by_indicator_park_year_and_status(admin_client):
    park = ParkFactory(code="core")
    fiscal = IndicatorFactory(code="fiscal")
    zone_2019 = IndicatorValueFactory(indicator=fiscal, year=2019, status="approved")
    park_2019 = IndicatorValueFactory(indicator=fiscal, park=park, year=2019)
    IndicatorValueFactory(indicator=fiscal, year=2018)
    IndicatorValueFactory(year=2019)

    def ids(**params):
        return sorted(row["id"] for row in admin_client.get("/api/indicator-values/", params).json()["results"])

    assert ids(indicator="fiscal", year=2019) == sorted([zone_2019.pk, park_2019.pk])
    assert ids(indicator="fiscal", park="core") == [park_2019.pk]
    assert ids(indicator="fiscal", year=2019, whole_zone="true") == [zone_2019.pk]
    assert ids(indicator="fiscal", status="approved") == [zone_2019.pk]


# --- values: review steps --------------------------------------------------------------------------------------


def test_a_reviewer_approves_a_submitted_value(client):
    value = submitted_value()
    reviewer = login(client, "reviewer")
    response = post(client, f"/api/indicator-values/{value.pk}/approve/", {"version": 1})
    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["approved_by"], response.json()["version"]) == (
        "approved",
        reviewer.pk,
        2,
    )
    value.refresh_from_db()
    assert value.status == "approved" and value.approved_at is not None


def test_the_person_who_entered_a_value_cannot_approve_it(client):
    admin = login(client, "administrator")
    created = create_value(client, IndicatorFactory(), "5.00", submit=True)
    assert created.json()["entered_by"] == admin.pk
    response = post(client, f"/api/indicator-values/{created.json()['id']}/approve/", {"version": 1})
    assert response.status_code == 403
    assert response.json()["detail"] == gettext("A value is reviewed by someone other than the person who entered it.")
    assert IndicatorValue.objects.get().status == "submitted"
    refused = post(client, f"/api/indicator-values/{created.json()['id']}/return/", {"comment": "再核实", "version": 1})
    assert refused.status_code == 403


def test_approving_from_a_stale_version_is_a_conflict(client):
    value = submitted_value()
    login(client, "statistics")
    assert patch(client, f"/api/indicator-values/{value.pk}/", {"note": "更正口径", "version": 1}).status_code == 200
    login(client, "reviewer")
    response = post(client, f"/api/indicator-values/{value.pk}/approve/", {"version": 1})
    assert response.status_code == 409, response.content
    assert response.json()["version"] == 2
    assert IndicatorValue.objects.get().status == "submitted"


@pytest.mark.parametrize("status", ["draft", "approved", "returned"])
def test_only_submitted_values_are_approved(client, status):
    value = IndicatorValueFactory(status=status)
    login(client, "reviewer")
    response = post(client, f"/api/indicator-values/{value.pk}/approve/", {"version": 1})
    assert response.status_code == 400 and "status" in response.json()
    assert IndicatorValue.objects.get().status == status


def test_a_reviewer_returns_a_value_with_a_comment(client):
    value = submitted_value()
    login(client, "reviewer")
    url = f"/api/indicator-values/{value.pk}/return/"
    assert "comment" in post(client, url, {"version": 1}).json()
    assert "comment" in post(client, url, {"comment": "  ", "version": 1}).json()
    response = post(client, url, {"comment": "与统计局快报不一致", "version": 1})
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["review_comment"]) == ("returned", "与统计局快报不一致")


def test_staff_submit_a_draft_or_returned_value_once(client):
    draft = IndicatorValueFactory()
    returned = IndicatorValueFactory(status="returned", year=2020, indicator=draft.indicator)
    login(client, "statistics")
    for value in (draft, returned):
        response = post(client, f"/api/indicator-values/{value.pk}/submit/")
        assert response.status_code == 200 and response.json()["status"] == "submitted"
    again = post(client, f"/api/indicator-values/{draft.pk}/submit/")
    assert again.status_code == 400 and "status" in again.json()
    stale = post(client, f"/api/indicator-values/{IndicatorValueFactory(year=2021).pk}/submit/", {"version": 5})
    assert stale.status_code == 409


# --- targets -----------------------------------------------------------------------------------------------------


def test_who_lacks_the_submit_permission_cannot_submit_through_the_api(client):
    # Regression: only the submit action asked for the permission; `submit: true` on a write did not.
    from django.contrib.auth.models import Permission

    user = UserFactory(username="no-submit")
    codenames = ("view_indicatorvalue", "add_indicatorvalue", "change_indicatorvalue")
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="indicators", codename__in=codenames))
    client.force_login(user)
    indicator = IndicatorFactory()
    refused = create_value(client, indicator, "5.00", submit=True)
    assert refused.status_code == 403, refused.content
    assert not IndicatorValue.objects.exists()
    draft = create_value(client, indicator, "5.00")
    assert draft.status_code == 201 and draft.json()["status"] == "draft"
    url = f"/api/indicator-values/{draft.json()['id']}/"
    assert patch(client, url, {"submit": True, "version": 1}).status_code == 403
    assert post(client, f"{url}submit/", {"version": 1}).status_code == 403
    assert value_state() == [(draft.json()["id"], 1, "draft")]


def test_targets_are_written_by_code_and_unique_per_park_and_year(client):
    login(client, "statistics")
    IndicatorFactory(code="new_patents", unit="件", decimals=0)
    ParkFactory(code="core")
    body = {"indicator": "new_patents", "year": 2020, "value": "120"}
    created = post(client, "/api/targets/", body)
    assert created.status_code == 201, created.content
    assert (created.json()["indicator"], created.json()["park"]) == ("new_patents", None)
    duplicate = post(client, "/api/targets/", body)
    assert duplicate.status_code == 400 and constraint_message(Target) in str(duplicate.json())
    assert post(client, "/api/targets/", {**body, "park": "core"}).status_code == 201
    rows = client.get("/api/targets/", {"park": "core"}).json()["results"]
    assert [(row["park"], row["value"]) for row in rows] == [("core", "120.000000")]


def person(name, *roles):
    """A user of their own (the harness's role users are shared), holding the groups of `roles`."""
    return UserFactory(username=f"four-eyes-{name}", groups=[g for role in roles for g in ROLE_GROUPS[role]])


def test_a_save_that_leaves_the_figure_as_it_was_keeps_who_entered_it_so_they_cannot_approve_it(client):
    """The attack: X (statistics and reviewer) submits a figure; Y saves it unchanged; X would no longer be its
    author, and could approve their own figure."""
    x = person("x", "statistics", "reviewer")
    client.force_login(x)
    created = create_value(client, IndicatorFactory(), "7777.00", submit=True).json()
    client.force_login(person("y", "statistics"))
    touched = patch(client, f"/api/indicator-values/{created['id']}/", {"version": created["version"]})
    assert touched.status_code == 200, touched.content
    assert touched.json()["entered_by"] == x.pk
    client.force_login(x)
    refused = post(client, f"/api/indicator-values/{created['id']}/approve/", {"version": touched.json()["version"]})
    assert refused.status_code == 403
    assert IndicatorValue.objects.get().status == "submitted"


def test_whoever_typed_the_figure_since_the_last_approval_cannot_approve_it(client):
    """X types a figure, Y types another over it: X still may not approve the value (X set it since it was last
    approved); a third person may."""
    x = person("x", "statistics", "reviewer")
    client.force_login(x)
    created = create_value(client, IndicatorFactory(), "10.00", submit=True).json()
    y = person("y", "statistics")
    client.force_login(y)
    changed = patch(
        client, f"/api/indicator-values/{created['id']}/", {"value": "11.00", "version": created["version"]}
    )
    assert changed.status_code == 200 and changed.json()["entered_by"] == y.pk
    assert changed.json()["status"] == "submitted"  # an edit of a submitted value stays submitted
    client.force_login(x)
    current = {"version": changed.json()["version"]}
    assert post(client, f"/api/indicator-values/{created['id']}/approve/", current).status_code == 403
    client.force_login(person("z", "reviewer"))
    assert post(client, f"/api/indicator-values/{created['id']}/approve/", current).status_code == 200
    assert IndicatorValue.objects.get().status == "approved"


@pytest.mark.parametrize("step", ["approve", "return"])
def test_a_review_without_the_version_reviewed_is_refused_and_changes_nothing(client, step):
    """The attack: a reviewer approves `{}`, i.e. whatever the value has become since they read it."""
    value = submitted_value()
    login(client, "reviewer")
    body = {"comment": "与统计局快报不一致"} if step == "return" else {}
    response = post(client, f"/api/indicator-values/{value.pk}/{step}/", body)
    assert response.status_code == 400, response.content
    assert response.json() == {
        "version": [gettext("Send the version of the value you reviewed (read it again if unsure).")]
    }
    assert value_state() == [(value.pk, 1, "submitted")]


@pytest.mark.parametrize("step", ["approve", "return"])
def test_a_review_of_a_figure_changed_since_it_was_read_is_a_conflict(client, step):
    """The reviewer read version 1 (7777); the figure has since become 8888: their decision on 7777 is refused."""
    value = submitted_value(value=D("7777.00"))
    login(client, "statistics")
    changed = patch(client, f"/api/indicator-values/{value.pk}/", {"value": "8888.00", "version": 1})
    assert changed.status_code == 200, changed.content
    login(client, "reviewer")
    body = {"version": 1, **({"comment": "与统计局快报不一致"} if step == "return" else {})}
    response = post(client, f"/api/indicator-values/{value.pk}/{step}/", body)
    assert response.status_code == 409, response.content
    assert response.json()["version"] == 2
    assert value_state() == [(value.pk, 2, "submitted")]


def test_the_schema_says_a_review_requires_the_version(client):
    login(client, "reviewer")
    schema = client.get("/api/schema/", {"format": "json"}).json()
    for step in ("approve", "return"):
        body = schema["paths"][f"/api/indicator-values/{{id}}/{step}/"]["post"]["requestBody"]
        assert body["required"] is True, step
        for media in body["content"].values():
            component = media["schema"]["$ref"].rsplit("/", 1)[-1]
            assert "version" in schema["components"]["schemas"][component]["required"], (step, component)
