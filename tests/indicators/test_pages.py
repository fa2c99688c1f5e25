"""The indicators pages: who may do what, the entry grid with its checks, the review queue, the series page with
pending values and the reconciliation, the list with its latest values, exports and escaping."""

from __future__ import annotations

import csv
import datetime
import io
import re
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation
from django.utils.html import escape

from indicators import services
from indicators.checks import check_value
from indicators.choices import Kind, ValueStatus
from indicators.models import Indicator, IndicatorValue, Target
from parkadmin import roles
from projects.choices import Stage
from tests.factories import (
    IndicatorFactory,
    IndicatorValueFactory,
    ParkFactory,
    ProjectFactory,
    TargetFactory,
    UserFactory,
)
from tests.harness import EVERY_ROLE, Access, check_access, count_queries, make_user, matrix

pytestmark = pytest.mark.django_db
D = Decimal

WRITERS = frozenset({"administrator", "statistics"})
REVIEWERS = frozenset({"administrator", "reviewer"})
DEFINERS = frozenset({"administrator"})
HOSTILE = "<img src=x onerror=alert(1)>"
ENTRY = "/indicators/entry/"
QUEUE = "/indicators/review/"


# --- helpers -------------------------------------------------------------------------------------------------


def zh(message) -> str:
    with translation.override("zh-hans"):
        return str(translation.gettext(message) if isinstance(message, str) else message)


def shows(response, text: str) -> bool:
    return escape(text) in response.content.decode()


def approved(indicator, year, value, park=None, **fields):
    return services.indicator_value_save(
        indicator=indicator, year=year, value=D(str(value)), park=park, approve=True, explanation="测试", **fields
    )


def submitted(indicator, year, value, user=None, **fields):
    return services.indicator_value_save(
        indicator=indicator,
        year=year,
        value=D(str(value)),
        user=user or UserFactory(username="entrant", groups=[roles.STATISTICS_STAFF]),
        submit=True,
        **fields,
    )


def entrant():
    return UserFactory(username="entrant")


def draft_value(**fields):
    fields.setdefault("entered_by", entrant())
    return IndicatorValueFactory(**fields)


def submitted_value(**fields):
    return draft_value(status=ValueStatus.SUBMITTED, **fields)


def values_state():
    return sorted(IndicatorValue.objects.values_list("pk", "value", "status", "version"))


def targets_state():
    return sorted(Target.objects.values_list("pk", "value", "version"))


def indicators_state():
    return sorted(Indicator.objects.values_list("pk", "code", "name", "version"))


def grid(client, year=2020, park="", **rows):
    """POST the entry grid: rows as code=value or code=(value, {field: text}); `action` draft or submit."""
    action = rows.pop("action", "draft")
    data = {"action": action}
    for code, row in rows.items():
        value, fields = row if isinstance(row, tuple) else (row, {})
        data[f"{code}-value"] = value
        for name, text in fields.items():
            data[f"{code}-{name}"] = text
    return client.post(f"{ENTRY}?year={year}&park={park}", data)


def grid_row(response, code):
    return next(row for row in response.context["reported_rows"] if row.indicator.code == code)


def csv_rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))


@pytest.fixture
def staff(client):
    user = make_user("statistics")
    client.force_login(user)
    return user


@pytest.fixture
def reviewer(client):
    user = make_user("reviewer")
    client.force_login(user)
    return user


@pytest.fixture
def money():
    return IndicatorFactory(code="money", name="财政收入", unit="亿元", decimals=2, sort_order=1)


@pytest.fixture
def count():
    return IndicatorFactory(code="firms", name="企业数", unit="家", decimals=0, sort_order=2)


# --- who may do what --------------------------------------------------------------------------------------------


def indicator_code() -> str:
    return IndicatorFactory().code


ACCESSES = [
    Access("indicator list", lambda: "/indicators/", EVERY_ROLE),
    Access("indicator export", lambda: "/indicators/?export=xlsx", EVERY_ROLE),
    Access("indicator detail", lambda: f"/indicators/{indicator_code()}/", EVERY_ROLE),
    Access("indicator detail pending", lambda: f"/indicators/{indicator_code()}/?include_pending=1", EVERY_ROLE),
    Access("value list", lambda: "/indicators/values/", EVERY_ROLE),
    Access("value export", lambda: "/indicators/values/?export=csv", EVERY_ROLE),
    Access("value detail", lambda: f"/indicators/values/{draft_value().pk}/", EVERY_ROLE),
    Access("target list", lambda: "/indicators/targets/", EVERY_ROLE),
    Access("target detail", lambda: f"/indicators/targets/{TargetFactory().pk}/", EVERY_ROLE),
    Access("entry grid", lambda: f"{ENTRY}?year=2020", WRITERS),
    Access(
        "entry grid save",
        lambda: f"{ENTRY}?year=2020&park=",
        WRITERS,
        method="post",
        data=lambda: {f"{indicator_code()}-value": "5", "action": "submit"},
        state=values_state,
    ),
    Access("value add form", lambda: "/indicators/values/add/", WRITERS),
    Access(
        "value add",
        lambda: "/indicators/values/add/",
        WRITERS,
        method="post",
        data=lambda: {"indicator": indicator_code(), "park": "", "year": "2020", "value": "5", "action": "draft"},
        state=values_state,
        model=IndicatorValue,
        action="create",
    ),
    Access("value edit form", lambda: f"/indicators/values/{draft_value().pk}/edit/", WRITERS),
    Access(
        "value edit",
        lambda: f"/indicators/values/{draft_value().pk}/edit/",
        WRITERS,
        method="post",
        data=lambda: {"value": "11", "version": "1", "action": "draft"},
        state=values_state,
        model=IndicatorValue,
        action="edit",
    ),
    Access(
        "value submit",
        lambda: f"/indicators/values/{draft_value().pk}/submit/",
        WRITERS,
        method="post",
        data=lambda: {"version": "1"},
        state=values_state,
    ),
    Access(
        "value delete",
        lambda: f"/indicators/values/{draft_value().pk}/delete/",
        WRITERS,
        method="post",
        state=values_state,
        model=IndicatorValue,
        action="delete",
    ),
    Access("review queue", lambda: QUEUE, REVIEWERS),
    Access(
        "approve",
        lambda: f"/indicators/values/{submitted_value().pk}/review/",
        REVIEWERS,
        method="post",
        data=lambda: {"decision": "approve", "version": "1"},
        state=values_state,
    ),
    Access(
        "return",
        lambda: f"/indicators/values/{submitted_value().pk}/review/",
        REVIEWERS,
        method="post",
        data=lambda: {"decision": "return", "comment": "与快报不一致", "version": "1"},
        state=values_state,
    ),
    Access("target add form", lambda: "/indicators/targets/add/", WRITERS),
    Access(
        "target add",
        lambda: "/indicators/targets/add/",
        WRITERS,
        method="post",
        data=lambda: {"indicator": IndicatorFactory().pk, "park": "", "year": "2021", "value": "10"},
        state=targets_state,
        model=Target,
        action="create",
    ),
    Access("target edit form", lambda: f"/indicators/targets/{TargetFactory().pk}/edit/", WRITERS),
    Access(
        "target edit",
        lambda: f"/indicators/targets/{TargetFactory().pk}/edit/",
        WRITERS,
        method="post",
        data=lambda: {"indicator": IndicatorFactory().pk, "park": "", "year": "2021", "value": "9", "version": "1"},
        state=targets_state,
        model=Target,
        action="edit",
    ),
    Access(
        "target delete",
        lambda: f"/indicators/targets/{TargetFactory().pk}/delete/",
        WRITERS,
        method="post",
        state=targets_state,
        model=Target,
        action="delete",
    ),
    Access("indicator add form", lambda: "/indicators/add/", DEFINERS),
    Access(
        "indicator add",
        lambda: "/indicators/add/",
        DEFINERS,
        method="post",
        data=lambda: {
            "code": "new_one",
            "name": "新指标",
            "unit": "家",
            "category": "economy",
            "decimals": "0",
            "higher_is_better": "on",
            "sort_order": "100",
        },
        state=indicators_state,
        model=Indicator,
        action="create",
    ),
    Access("indicator edit form", lambda: f"/indicators/{indicator_code()}/edit/", DEFINERS),
    Access(
        "indicator edit",
        lambda: f"/indicators/{indicator_code()}/edit/",
        DEFINERS,
        method="post",
        data=lambda: {
            "name": "改名",
            "unit": "家",
            "category": "economy",
            "decimals": "0",
            "sort_order": "100",
            "version": "1",
        },
        state=indicators_state,
        model=Indicator,
        action="edit",
    ),
]


@pytest.mark.parametrize(("access", "role"), matrix(*ACCESSES))
def test_role_matrix(client, access, role):
    check_access(client, access, role)


@pytest.mark.parametrize("access", [a for a in ACCESSES if a.method == "post"], ids=lambda a: a.name)
def test_each_write_of_the_matrix_takes_effect_for_a_role_allowed_it(client, access):
    """The matrix's writes are real ones: refused roles change nothing, so an allowed role must change something."""
    role = sorted(access.allowed)[-1]
    client.force_login(make_user(role))
    url = access.url()
    before = access.state()
    response = client.post(url, access.data() if access.data else {})
    assert response.status_code == 302, (access.name, role, response.status_code)
    assert access.state() != before, (access.name, role)


# --- the entry grid -------------------------------------------------------------------------------------------


def test_the_grid_saves_drafts_of_the_rows_filled_in_and_skips_empty_ones(client, staff, money, count):
    response = grid(client, money="7.5", firms="", action="draft")
    assert response.status_code == 302
    assert response["Location"] == f"{ENTRY}?year=2020&park="
    saved = IndicatorValue.objects.get()
    assert (saved.indicator, saved.year, saved.park, saved.value) == (money, 2020, None, D("7.5"))
    assert (saved.status, saved.entered_by) == (ValueStatus.DRAFT, staff)


def test_the_grid_submits_for_review_with_note_and_source(client, staff, money, count):
    response = grid(client, money=("7.5", {"note": "快报数", "source": "统计局"}), firms="12", action="submit")
    assert response.status_code == 302
    rows = IndicatorValue.objects.order_by("indicator__sort_order").values_list("value", "status", "note", "source")
    assert list(rows) == [
        (D("7.5"), ValueStatus.SUBMITTED, "快报数", "统计局"),
        (D("12"), ValueStatus.SUBMITTED, "", ""),
    ]


def test_the_grid_saves_for_a_park_apart_from_the_whole_zone(client, staff, money):
    park = ParkFactory(code="core")
    approved(money, 2020, 3)
    response = client.get(f"{ENTRY}?year=2020&park=core")
    assert grid_row(response, "money").existing is None
    assert grid(client, park="core", money="1.5").status_code == 302
    assert IndicatorValue.objects.get(park=park).value == D("1.5")
    assert IndicatorValue.objects.get(park=None).value == D(3)


def test_a_hard_error_in_one_row_saves_no_row(client, staff, money, count):
    response = grid(client, money="7.5", firms="-1", action="submit")
    assert response.status_code == 200
    assert not IndicatorValue.objects.exists()
    bad = grid_row(response, "firms")
    errors = bad.form.errors["value"]
    assert errors and any("0" in e for e in errors)
    for error in errors:
        assert shows(response, error)
    assert 'class="pa-entry-row pa-entry-bad"' in response.content.decode()
    # what was typed stays in the grid
    assert grid_row(response, "money").form["value"].value() == "7.5"
    assert response.context["refused_count"] == 1


@pytest.mark.parametrize(
    ("fields", "value"),
    [
        ({"unit": "%", "max_value": D(100)}, "100.5"),  # a share over 100 %
        ({"unit": "位", "higher_is_better": False, "decimals": 0, "min_value": D(1), "max_value": D(37)}, "0"),
        ({"unit": "位", "higher_is_better": False, "decimals": 0, "min_value": D(1), "max_value": D(37)}, "38"),
        ({"unit": "家", "decimals": 0}, "2.5"),
    ],
    ids=["share-over-100", "rank-below-1", "rank-beyond-field", "fraction-of-a-count"],
)
def test_impossible_values_are_refused_at_their_row(client, staff, money, fields, value):
    IndicatorFactory(code="odd", name="异常", sort_order=3, **fields)
    response = grid(client, money="1", odd=value)
    assert response.status_code == 200
    assert grid_row(response, "odd").form.errors["value"]
    assert not IndicatorValue.objects.exists()


def test_an_unreadable_number_is_refused_and_nothing_is_saved(client, staff, money, count):
    response = grid(client, money="七点五", firms="3")
    assert response.status_code == 200
    assert "value" in grid_row(response, "money").form.errors
    assert not IndicatorValue.objects.exists()


def test_a_warning_without_explanation_saves_nothing_and_shows_the_warning(client, staff, money, count):
    approved(money, 2019, 100)
    before = values_state()
    response = grid(client, money="200", firms="3", action="submit")
    assert response.status_code == 200
    assert values_state() == before
    row = grid_row(response, "money")
    with translation.override("zh-hans"):
        expected = check_value(money, D(200), year=2020, series={2019: D(100)}).warnings
    assert expected and all(w in row.warnings for w in expected)
    for warning in expected:
        assert shows(response, warning)
    html = response.content.decode()
    assert 'name="money-explanation"' in html
    assert 'id="explain-money"' in html
    assert 'name="firms-explanation"' not in html


def test_a_warning_with_an_explanation_saves_and_stores_it(client, staff, money):
    approved(money, 2019, 100)
    response = grid(client, money=("200", {"explanation": "  新项目投产，收入翻番  "}), action="submit")
    assert response.status_code == 302
    saved = IndicatorValue.objects.get(year=2020)
    assert (saved.value, saved.status, saved.explanation) == (D(200), ValueStatus.SUBMITTED, "新项目投产，收入翻番")


def test_a_value_breaking_its_own_trend_needs_an_explanation(client, staff, money):
    for year, value in [(2017, 100), (2018, 110), (2019, 120)]:
        approved(money, year, value)
    response = grid(client, money="95")  # −20.83 % after three rises
    assert response.status_code == 200
    assert grid_row(response, "money").warnings
    assert not IndicatorValue.objects.filter(year=2020).exists()


def test_existing_values_prefill_and_unchanged_rows_are_left_alone(client, staff, money, count):
    kept = approved(money, 2020, "7.26", note="快报")
    response = client.get(f"{ENTRY}?year=2020")
    row = grid_row(response, "money")
    assert row.form["value"].value() == "7.26"
    assert row.form["note"].value() == "快报"
    assert str(row.form["version"].value()) == str(kept.version)
    # submitting the grid as it stands does not send the approved value back for review
    data = {"money-value": "7.26", "money-note": "快报", "money-version": str(kept.version), "action": "submit"}
    assert client.post(f"{ENTRY}?year=2020&park=", data).status_code == 302
    kept.refresh_from_db()
    assert (kept.status, kept.version) == (ValueStatus.APPROVED, 1)


def test_a_changed_row_updates_its_value_and_sends_it_back_for_review(client, staff, money):
    kept = approved(money, 2020, "7.26")
    data = {"money-value": "7.3", "money-version": str(kept.version), "action": "submit"}
    assert client.post(f"{ENTRY}?year=2020&park=", data).status_code == 302
    kept.refresh_from_db()
    assert (kept.value, kept.status, kept.entered_by, kept.version) == (D("7.3"), "submitted", staff, 2)


def test_a_stale_row_is_refused_and_nothing_is_saved(client, staff, money, count):
    kept = approved(money, 2020, "7.26")
    data = {"money-value": "7.3", "money-version": str(kept.version), "firms-value": "4", "action": "draft"}
    IndicatorValue.objects.filter(pk=kept.pk).update(version=5)  # someone saved it meanwhile
    response = client.post(f"{ENTRY}?year=2020&park=", data)
    assert response.status_code == 409
    assert grid_row(response, "money").form.non_field_errors()
    assert IndicatorValue.objects.get(pk=kept.pk).value == D("7.26")
    assert not IndicatorValue.objects.filter(indicator__code="firms").exists()


def test_a_new_value_is_not_let_through_on_the_old_values_explanation(client, staff, money):
    approved(money, 2019, 100)
    kept = services.indicator_value_save(indicator=money, year=2020, value=D(160), explanation="新项目投产", user=staff)
    data = {"money-value": "210", "money-version": str(kept.version), "action": "draft"}
    response = client.post(f"{ENTRY}?year=2020&park=", data)
    assert response.status_code == 200
    assert grid_row(response, "money").warnings
    assert IndicatorValue.objects.get(pk=kept.pk).value == D(160)
    assert shows(response, "新项目投产")  # the explanation on record is shown beside the new box


def test_a_returned_value_shows_the_reviewers_comment_in_the_grid(client, staff, money):
    value = submitted(money, 2020, 5, user=make_user("administrator"))
    services.indicator_value_return(value=value, user=make_user("reviewer"), comment="与统计快报不一致")
    response = client.get(f"{ENTRY}?year=2020")
    assert shows(response, "与统计快报不一致")


def test_computed_indicators_are_read_only_in_the_grid(client, staff, money):
    response = client.get(f"{ENTRY}?year=2020")
    computed = response.context["computed_rows"]
    assert computed and all(row.indicator.kind == Kind.COMPUTED for row in computed)
    html = response.content.decode()
    for row in computed:
        assert f'name="{row.indicator.code}-value"' not in html
    assert {row.indicator.code for row in response.context["reported_rows"]} == {"money"} | set(
        Indicator.objects.filter(kind=Kind.REPORTED).values_list("code", flat=True)
    )


def test_a_grid_post_with_nothing_filled_in_saves_nothing(client, staff, money):
    response = grid(client, money="")
    assert response.status_code == 302
    assert not IndicatorValue.objects.exists()


def test_the_grid_shows_last_years_value_and_year_on_year(client, staff, money):
    approved(money, 2019, "7.26")
    approved(money, 2020, "7.5")
    row = grid_row(client.get(f"{ENTRY}?year=2020"), "money")
    assert row.previous.value == D("7.26")
    assert row.yoy_pct == D("3.31")


# --- the review queue ----------------------------------------------------------------------------------------


def test_the_queue_lists_submitted_values_with_warnings_and_explanation(client, reviewer, money):
    approved(money, 2019, 100)
    submitted(money, 2020, 200, explanation="新项目投产")
    services.indicator_value_save(indicator=money, year=2021, value=D(210), user=entrant())  # a draft: not queued
    response = client.get(QUEUE)
    assert response.status_code == 200
    items = response.context["items"]
    assert [(i.value.year, i.yoy_pct) for i in items] == [(2020, D("100.00"))]
    assert items[0].warnings and shows(response, items[0].warnings[0])
    assert shows(response, "新项目投产")
    assert 'value="approve"' in response.content.decode()


def test_the_queue_query_count_does_not_grow_with_the_values(client, reviewer):
    def queue_with(n):
        for index in range(n):
            indicator = IndicatorFactory(code=f"queued{n}_{index}")
            approved(indicator, 2019, 10)
            submitted(indicator, 2020, 11)
        return count_queries(client, QUEUE)

    assert queue_with(2) == queue_with(10)
    assert len(client.get(QUEUE).context["items"]) == 12


def test_a_reviewer_approves_a_value(client, reviewer, money):
    value = submitted(money, 2020, 5)
    response = client.post(f"/indicators/values/{value.pk}/review/", {"decision": "approve", "version": 1})
    assert response.status_code == 302 and response["Location"] == QUEUE
    value.refresh_from_db()
    assert (value.status, value.approved_by) == (ValueStatus.APPROVED, reviewer)


def test_a_reviewer_returns_a_value_with_a_comment(client, reviewer, money):
    value = submitted(money, 2020, 5)
    response = client.post(
        f"/indicators/values/{value.pk}/review/", {"decision": "return", "comment": "口径不符", "version": 1}
    )
    assert response.status_code == 302
    value.refresh_from_db()
    assert (value.status, value.review_comment) == (ValueStatus.RETURNED, "口径不符")


@pytest.mark.parametrize("comment", ["", "   "])
def test_returning_needs_a_comment(client, reviewer, money, comment):
    value = submitted(money, 2020, 5)
    response = client.post(
        f"/indicators/values/{value.pk}/review/", {"decision": "return", "comment": comment, "version": 1}
    )
    assert response.status_code == 400
    form = response.context["failed"][1]
    message = zh("Say what needs correcting.")
    assert message in form.errors["comment"]
    assert shows(response, message)
    value.refresh_from_db()
    assert value.status == ValueStatus.SUBMITTED


def test_a_refusal_of_the_services_marks_its_field_as_the_forms_own_checks_do(client, staff, money):
    # The shared add_errors (parkadmin.forms) marks the field; the indicators copy used to leave it unmarked.
    data = {"indicator": "money", "park": "", "year": "2020", "value": "-1", "action": "draft"}
    response = client.post("/indicators/values/add/", data)
    assert response.status_code == 200 and response.context["form"].errors["value"]
    assert "is-invalid" in response.context["form"].fields["value"].widget.attrs["class"]
    assert "is-invalid" not in response.context["form"].fields["note"].widget.attrs["class"]

    client.force_login(make_user("reviewer"))
    value = submitted(money, 2021, 5)
    returned = client.post(f"/indicators/values/{value.pk}/review/", {"decision": "return", "version": 1})
    assert "is-invalid" in returned.context["failed"][1].fields["comment"].widget.attrs["class"]


def test_the_submitter_gets_no_approve_button_and_cannot_approve_their_own_value(client, money):
    both = UserFactory(username="both", groups=[roles.STATISTICS_STAFF, roles.REVIEWERS])
    client.force_login(both)
    own = submitted(money, 2020, 5, user=both)
    other = submitted(money, 2021, 5)
    response = client.get(QUEUE)
    html = response.content.decode()
    assert f'data-value="{other.pk}"' in html
    assert f'data-value="{own.pk}"' not in html
    assert "pa-own-value" in html

    refused = client.post(f"/indicators/values/{own.pk}/review/", {"decision": "approve", "version": 1})
    assert refused.status_code == 403
    message = zh("A value is reviewed by someone other than the person who entered it.")
    assert shows(refused, message)
    own.refresh_from_db()
    assert own.status == ValueStatus.SUBMITTED


def test_an_administrator_who_entered_a_value_cannot_return_it_either(client, money):
    admin = make_user("administrator")
    client.force_login(admin)
    own = submitted(money, 2020, 5, user=admin)
    response = client.post(f"/indicators/values/{own.pk}/review/", {"decision": "return", "comment": "x", "version": 1})
    assert response.status_code == 403
    assert IndicatorValue.objects.get(pk=own.pk).status == ValueStatus.SUBMITTED


def test_a_stale_review_is_refused(client, reviewer, money):
    value = submitted(money, 2020, 5)
    response = client.post(f"/indicators/values/{value.pk}/review/", {"decision": "approve", "version": 7})
    assert response.status_code == 409
    assert IndicatorValue.objects.get(pk=value.pk).status == ValueStatus.SUBMITTED


def test_reviewing_from_the_value_page_returns_there(client, reviewer, money):
    value = submitted(money, 2020, 5)
    page = client.get(value.get_absolute_url())
    assert f'data-value="{value.pk}"' in page.content.decode()
    response = client.post(
        f"/indicators/values/{value.pk}/review/",
        {"decision": "approve", "version": 1, "next": value.get_absolute_url()},
    )
    assert response["Location"] == value.get_absolute_url()
    evil = submitted(money, 2021, 5)
    response = client.post(
        f"/indicators/values/{evil.pk}/review/", {"decision": "approve", "version": 1, "next": "https://evil.example/"}
    )
    assert response["Location"] == QUEUE


def test_reviewers_see_the_queue_count_on_the_indicator_list(client, money):
    submitted(money, 2020, 5)
    submitted(money, 2021, 5)
    client.force_login(make_user("reviewer"))
    html = client.get("/indicators/").content.decode()
    assert re.search(r'class="badge text-bg-danger pa-review-count">2<', html)
    assert 'href="/indicators/review/"' in html
    client.force_login(make_user("official"))
    html = client.get("/indicators/").content.decode()
    assert "pa-review-count" not in html and 'href="/indicators/review/"' not in html
    assert 'href="/indicators/entry/"' not in html
    client.force_login(make_user("statistics"))
    assert 'href="/indicators/entry/"' in client.get("/indicators/").content.decode()


# --- the series page -----------------------------------------------------------------------------------------


@pytest.fixture
def demo():
    import demo

    return demo.load(with_accounts=False)


def test_the_fiscal_revenue_of_the_demo(client, demo):
    client.force_login(make_user("official"))
    response = client.get("/indicators/fiscal_revenue/")
    assert response.status_code == 200
    rows = [(r.year, r.value, r.yoy_pct) for r in response.context["year_rows"]]
    # The article's three years, then the demo's sample value for its latest year.
    assert rows == [
        (2017, D("7.01"), None),
        (2018, D("6.55"), D("-6.56")),
        (2019, D("7.26"), D("10.84")),
        (2020, D("7.68"), D("5.79")),
    ]
    assert response.context["series"]["cagr_pct"] == D("3.09")
    html = response.content.decode()
    for text in ("7.01", "6.55", "7.26", "7.68", "-6.56%", "+10.84%", "+5.79%", "+3.09%", "亿元"):
        assert text in html, text
    assert "js-plotly-plot" not in html and 'data-figure="series-chart-data"' in html
    figure = response.context["figure"]
    assert figure["data"][0]["x"] == [2017, 2018, 2019, 2020]
    assert figure["data"][0]["y"] == [7.01, 6.55, 7.26, 7.68]


def test_officials_see_approved_values_only_unless_they_ask_for_pending(client, money):
    approved(money, 2019, 10)
    submitted(money, 2020, 11)
    client.force_login(make_user("official"))
    plain = client.get("/indicators/money/")
    assert [r.year for r in plain.context["year_rows"]] == [2019]
    assert "pa-pending-row" not in plain.content.decode()

    pending = client.get("/indicators/money/?include_pending=1")
    rows = pending.context["year_rows"]
    assert [(r.year, r.status, r.pending) for r in rows] == [(2019, "approved", False), (2020, "submitted", True)]
    html = pending.content.decode()
    assert "pa-pending-note" in html
    assert re.search(r'<tr class="pa-year-2020 pa-pending-row">', html)
    assert str(ValueStatus.SUBMITTED.label) in html or zh(ValueStatus.SUBMITTED.label) in html
    traces = pending.context["figure"]["data"]
    assert [t["x"] for t in traces[:2]] == [[2019], [2020]]


def test_the_reconciliation_shows_reported_and_computed_side_by_side(client):
    reported = IndicatorFactory(code="contracts_signed", name="签订正式入园合同", unit="个", decimals=0)
    approved(reported, 2019, 18)
    for day in (datetime.date(2019, 3, 1), datetime.date(2019, 9, 1)):
        ProjectFactory(stage=Stage.SIGNED, stage_on=day)
    ProjectFactory(stage=Stage.SIGNED, stage_on=datetime.date(2020, 2, 1))
    client.force_login(make_user("official"))
    response = client.get("/indicators/contracts_signed/")
    assert response.context["twin"].code == "contracts_signed_records"
    assert [(r.year, r.value, r.twin_value) for r in response.context["year_rows"]] == [(2019, D(18), D(2))]
    with translation.override("zh-hans"):
        sentence = translation.gettext("%(year)s: reported %(reported)s; the records hold %(computed)s.") % {
            "year": 2019,
            "reported": "18个",
            "computed": "2个",
        }
    assert response.context["reconciliation"] == sentence
    assert shows(response, sentence)
    # and from the computed side
    twin = client.get("/indicators/contracts_signed_records/")
    rows = {r.year: (r.value, r.twin_value) for r in twin.context["year_rows"]}
    assert rows[2019] == (D(2), D(18))
    assert twin.context["reconciliation"] == sentence


def test_a_ranking_is_charted_with_a_reversed_axis_and_a_target_completion(client):
    rank = IndicatorFactory(
        code="rank", name="排名", unit="位", decimals=0, higher_is_better=False, min_value=D(1), max_value=D(37)
    )
    approved(rank, 2018, 16)
    approved(rank, 2019, 10)
    TargetFactory(indicator=rank, year=2019, value=D(8))
    client.force_login(make_user("official"))
    response = client.get("/indicators/rank/")
    assert response.context["figure"]["layout"]["yaxis"]["autorange"] == "reversed"
    last = response.context["year_rows"][-1]
    assert (last.target, last.completion_pct, last.yoy_class) == (D(8), D("80.00"), "text-success")
    assert "第10位" in response.content.decode()


def test_the_series_of_a_park(client, money):
    park = ParkFactory(code="core")
    approved(money, 2019, 10)
    approved(money, 2019, 3, park=park)
    client.force_login(make_user("official"))
    response = client.get("/indicators/money/?park=core")
    assert [r.value for r in response.context["year_rows"]] == [D(3)]


def test_the_series_page_keeps_the_history_of_value_revisions(client, money):
    staff = make_user("statistics")
    value = services.indicator_value_save(indicator=money, year=2020, value=D(5), user=staff)
    services.indicator_value_save(indicator=money, year=2020, value=D(6), user=staff, instance=value, submit=True)
    client.force_login(make_user("official"))
    response = client.get("/indicators/money/")
    entries = response.context["value_history"]
    assert [e.change_type for e in entries] == ["~", "+"]
    assert {c.field for c in entries[0].changes} >= {"value", "status"}


def test_an_unknown_code_is_404(client):
    client.force_login(make_user("official"))
    assert client.get("/indicators/no_such_code/").status_code == 404


# --- the indicator list ------------------------------------------------------------------------------------


def test_the_list_shows_the_latest_approved_value_year_on_year_completion_and_a_sparkline(client, money):
    for year, value in [(2017, "7.01"), (2018, "6.55"), (2019, "7.26")]:
        approved(money, year, value)
    submitted(money, 2020, "9")  # pending: not on the list
    TargetFactory(indicator=money, year=2019, value=D("8"))
    client.force_login(make_user("official"))
    response = client.get("/indicators/?q=money")
    row = next(r for r in response.context["rows"] if r.obj == money)
    cells = {c.column.name: c for c in row}
    assert cells["latest_year"].value == 2019
    assert cells["latest_value"].text == "7.26亿元"
    assert cells["yoy_pct"].text == "+10.84%"
    assert cells["target"].text == "8.00亿元"
    assert cells["completion_pct"].text == "90.75%"
    html = response.content.decode()
    assert '<svg class="pa-spark"' in html and "<polyline" in html
    assert "2017: 7.01; 2018: 6.55; 2019: 7.26" in html


def test_the_list_export_has_the_same_columns_with_numbers(client, money):
    approved(money, 2018, "6.55")
    approved(money, 2019, "7.26")
    client.force_login(make_user("official"))
    rows = csv_rows(client.get("/indicators/?q=money&export=csv"))
    header, line = rows[0], rows[1]
    record = dict(zip(header, line, strict=True))
    assert len(rows) == 2
    assert D(record[zh("latest value")]) == D("7.26")
    assert D(record[zh("year-on-year (%)")]) == D("10.84")
    assert record[zh("trend")] == "2018: 6.55; 2019: 7.26"


def make_indicators(n: int) -> None:
    for index in range(n):
        indicator = IndicatorFactory(code=f"q{n}_{index}", sort_order=index)
        for year, value in [(2018, 10), (2019, 11)]:
            IndicatorValueFactory(indicator=indicator, year=year, value=D(value), status=ValueStatus.APPROVED)
        TargetFactory(indicator=indicator, year=2019, value=D(12))


def test_the_list_query_count_does_not_grow_with_the_indicators(client):
    client.force_login(make_user("reviewer"))
    make_indicators(5)
    few = count_queries(client, "/indicators/?per_page=100")
    make_indicators(45)
    many = count_queries(client, "/indicators/?per_page=100")
    assert few == many, (few, many)
    response = client.get("/indicators/?per_page=100")
    assert len(response.context["rows"]) == Indicator.objects.count()


# --- values and targets pages -----------------------------------------------------------------------------


def test_values_export_honours_the_filters(client, money, count):
    approved(money, 2018, 6)
    approved(money, 2019, 7)
    approved(count, 2019, 3)
    submitted(money, 2020, 8)
    client.force_login(make_user("official"))
    rows = csv_rows(client.get("/indicators/values/?indicator=money&status=approved&export=csv"))
    assert len(rows) == 3
    assert {r[2] for r in rows[1:]} == {"2018", "2019"}
    response = client.get("/indicators/values/?year=2019&export=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    data = list(sheet.iter_rows(min_row=2, values_only=True))
    assert sorted((r[0], r[2], r[3]) for r in data) == [("企业数", 2019, 3), ("财政收入", 2019, 7)]


def test_the_values_list_shows_each_value_with_its_indicators_decimals(client, money):
    approved(money, 2019, "7.2")
    client.force_login(make_user("official"))
    response = client.get("/indicators/values/")
    cells = {c.column.name: c for c in response.context["rows"][0]}
    assert (cells["value"].text, cells["unit"].text, cells["year"].text) == ("7.20", "亿元", "2019")


def test_hostile_text_in_a_note_or_source_is_escaped_everywhere(client, money):
    approved(money, 2019, 100, note=HOSTILE, source=HOSTILE)
    value = submitted(money, 2020, 200, note=HOSTILE, source=HOSTILE, explanation=HOSTILE)
    admin = make_user("administrator")
    client.force_login(admin)
    for url in (
        "/indicators/money/?include_pending=1",
        value.get_absolute_url(),
        "/indicators/values/",
        QUEUE,
        f"{ENTRY}?year=2020",
        f"{ENTRY}?year=2019",
    ):
        html = client.get(url).content.decode()
        assert HOSTILE not in html, url
        assert escape(HOSTILE) in html, url


def test_a_value_form_saves_through_the_checks_and_asks_for_an_explanation(client, staff, money):
    approved(money, 2019, 100)
    data = {"indicator": "money", "park": "", "year": "2020", "value": "200", "action": "submit"}
    refused = client.post("/indicators/values/add/", data)
    assert refused.status_code == 200
    assert refused.context["form"].errors["explanation"]
    assert not IndicatorValue.objects.filter(year=2020).exists()
    saved = client.post("/indicators/values/add/", {**data, "explanation": "新项目投产"})
    assert saved.status_code == 302
    value = IndicatorValue.objects.get(year=2020)
    assert (value.status, value.explanation, value.entered_by) == (ValueStatus.SUBMITTED, "新项目投产", staff)


def test_a_value_form_refuses_a_second_value_for_the_same_year(client, staff, money):
    approved(money, 2020, 5)
    response = client.post(
        "/indicators/values/add/", {"indicator": "money", "park": "", "year": "2020", "value": "6", "action": "draft"}
    )
    assert response.status_code == 200
    message = zh(IndicatorValue._meta.constraints[1].violation_error_message)
    assert message in response.context["form"].non_field_errors()
    assert IndicatorValue.objects.get().value == D(5)


def test_editing_an_approved_value_sends_it_back_and_a_stale_edit_is_refused(client, staff, money):
    value = approved(money, 2020, 5)
    url = f"/indicators/values/{value.pk}/edit/"
    form = client.get(url).context["form"]
    assert form["value"].value() == "5" and form.fields["indicator"].disabled
    assert client.post(url, {"value": "6", "version": "1", "action": "draft"}).status_code == 302
    value.refresh_from_db()
    assert (value.value, value.status, value.version) == (D(6), ValueStatus.DRAFT, 2)
    stale = client.post(url, {"value": "7", "version": "1", "action": "draft"})
    assert stale.status_code == 409
    assert IndicatorValue.objects.get(pk=value.pk).value == D(6)


def test_a_draft_is_submitted_from_its_page(client, staff, money):
    value = services.indicator_value_save(indicator=money, year=2020, value=D(5), user=staff)
    assert "pa-submit" in client.get(value.get_absolute_url()).content.decode()
    response = client.post(f"/indicators/values/{value.pk}/submit/", {"version": value.version})
    assert response.status_code == 302
    assert IndicatorValue.objects.get(pk=value.pk).status == ValueStatus.SUBMITTED


def test_an_approved_value_cannot_be_deleted(client, staff, money):
    value = approved(money, 2020, 5)
    response = client.post(f"/indicators/values/{value.pk}/delete/")
    assert response.status_code == 302
    assert IndicatorValue.objects.filter(pk=value.pk).exists()


def entrant_who_may_not_submit():
    """Adds and changes values, but lacks the submit permission (the roles never split them; a custom user might)."""
    from django.contrib.auth.models import Permission

    user = UserFactory(username="no-submit")
    codenames = ("view_indicatorvalue", "add_indicatorvalue", "change_indicatorvalue", "view_indicator")
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="indicators", codename__in=codenames))
    return user


def test_who_lacks_the_submit_permission_cannot_submit_from_any_page(client, money):
    client.force_login(entrant_who_may_not_submit())
    form = client.get("/indicators/values/add/")
    assert form.status_code == 200 and 'value="submit"' not in form.content.decode()
    assert 'value="submit"' not in client.get(ENTRY, {"year": 2020}).content.decode()

    data = {"indicator": "money", "park": "", "year": "2020", "value": "5", "action": "submit"}
    assert client.post("/indicators/values/add/", data).status_code == 403
    assert grid(client, money="5", action="submit").status_code == 403
    assert not IndicatorValue.objects.exists()

    draft = client.post("/indicators/values/add/", {**data, "action": "draft"})
    assert draft.status_code == 302
    value = IndicatorValue.objects.get()
    assert "pa-submit" not in client.get(value.get_absolute_url()).content.decode()
    assert client.post(f"/indicators/values/{value.pk}/submit/", {"version": value.version}).status_code == 403
    with pytest.raises(PermissionDenied):
        services.indicator_value_submit(value=value, user=value.entered_by)
    value.refresh_from_db()
    assert (value.status, value.version) == (ValueStatus.DRAFT, 1)


def test_a_draft_is_deleted_from_its_page_through_the_service(client, staff, money, monkeypatch):
    value = draft_value(indicator=money, year=2020)
    calls = []
    real = services.indicator_value_delete

    def spy(*, value, user):
        calls.append((value.pk, user.pk))
        real(value=value, user=user)

    monkeypatch.setattr(services, "indicator_value_delete", spy)
    response = client.post(f"/indicators/values/{value.pk}/delete/")
    assert response.status_code == 302 and response["Location"] == "/indicators/values/"
    assert calls == [(value.pk, staff.pk)]
    assert not IndicatorValue.objects.filter(pk=value.pk).exists()


def test_even_an_administrator_cannot_delete_a_submitted_value_from_its_page(client, money):
    # The page keeps its own rule, stricter than the service's (which lets those who may approve delete it).
    client.force_login(make_user("administrator"))
    value = submitted_value(indicator=money, year=2020)
    response = client.post(f"/indicators/values/{value.pk}/delete/")
    assert response.status_code == 302 and response["Location"] == value.get_absolute_url()
    assert IndicatorValue.objects.filter(pk=value.pk).exists()


def test_a_target_is_unique_per_indicator_park_and_year(client, staff, money):
    TargetFactory(indicator=money, year=2021, value=D(10))
    response = client.post(
        "/indicators/targets/add/", {"indicator": money.pk, "park": "", "year": "2021", "value": "12"}
    )
    assert response.status_code == 200
    assert Target.objects.get().value == D(10)


def test_an_indicators_code_is_fixed_once_created(client, money):
    client.force_login(make_user("administrator"))
    data = {
        "code": "renamed",
        "name": "改名",
        "unit": "亿元",
        "category": "fiscal",
        "decimals": "2",
        "sort_order": "1",
        "higher_is_better": "on",
        "version": "1",
    }
    response = client.post("/indicators/money/edit/", data)
    assert response.status_code == 302
    money.refresh_from_db()
    assert (money.code, money.name) == ("money", "改名")


def test_the_highest_possible_value_cannot_be_below_the_lowest(client):
    client.force_login(make_user("administrator"))
    data = {
        "code": "bad",
        "name": "坏",
        "unit": "%",
        "category": "economy",
        "decimals": "2",
        "sort_order": "1",
        "min_value": "10",
        "max_value": "5",
    }
    response = client.post("/indicators/add/", data)
    assert response.status_code == 200
    assert "max_value" in response.context["form"].errors
    assert not Indicator.objects.filter(code="bad").exists()


def test_the_value_form_lets_no_new_value_through_on_the_old_explanation(client, staff, money):
    approved(money, 2019, 100)
    value = services.indicator_value_save(
        indicator=money, year=2020, value=D(160), explanation="新项目投产", user=staff
    )
    url = f"/indicators/values/{value.pk}/edit/"
    assert client.get(url).context["form"]["explanation"].value() in (None, "")
    refused = client.post(url, {"value": "210", "version": "1", "action": "draft"})
    assert refused.status_code == 200 and refused.context["form"].errors["explanation"]
    # an unchanged value keeps the explanation on record
    kept = client.post(url, {"value": "160", "note": "改备注", "version": "1", "action": "submit"})
    assert kept.status_code == 302
    value.refresh_from_db()
    assert (value.value, value.note, value.explanation, value.status) == (D(160), "改备注", "新项目投产", "submitted")


def test_a_computed_indicator_keeps_what_its_app_declares(client):
    computed = Indicator.objects.get(code="contracts_signed_records")
    client.force_login(make_user("administrator"))
    data = {
        "code": "x",
        "name": "改名",
        "unit": "家",
        "category": "economy",
        "decimals": "3",
        "sort_order": "1",
        "is_headline": "on",
        "version": str(computed.version),
    }
    assert client.post(f"/indicators/{computed.code}/edit/", data).status_code == 302
    fresh = Indicator.objects.get(pk=computed.pk)
    assert (fresh.name, fresh.unit, fresh.decimals, fresh.is_headline) == (computed.name, computed.unit, 0, True)


def test_a_computed_indicator_whose_code_left_the_registry_shows_no_figures_and_breaks_nothing(admin_client):
    """A computed indicator's row outlives its code (renamed, its app removed): it computes nothing, everywhere."""
    IndicatorFactory(code="retired_records", name="已退役的台账指标", kind=Kind.COMPUTED)
    twin = IndicatorFactory(code="reported_twin", name="统计上报指标")
    Indicator.objects.filter(code="retired_records").update(reconciles=twin.code)
    for url in (
        "/indicators/",
        "/indicators/retired_records/",
        "/indicators/reported_twin/",
        ENTRY,
        "/api/indicators/retired_records/series/",
    ):
        assert admin_client.get(url).status_code == 200, url
    assert admin_client.get("/api/indicators/retired_records/series/").json()["points"] == []
