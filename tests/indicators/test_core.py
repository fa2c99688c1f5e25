"""Indicators: growth and CAGR as the contract defines them, the checks at entry, and the review rules."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from indicators import selectors, services
from indicators.checks import check_value
from indicators.models import Indicator, IndicatorValue
from parks.models import Park
from tests.harness import make_user

pytestmark = pytest.mark.django_db
D = Decimal


def indicator(code="x", **fields):
    defaults = {"name": code, "unit": "亿元", "decimals": 2, "min_value": D(0)}
    return Indicator.objects.create(code=code, **{**defaults, **fields})


def approved(ind, year, value, park=None):
    return services.indicator_value_save(
        indicator=ind, year=year, value=D(str(value)), park=park, approve=True, explanation="测试"
    )


def series(ind, **kwargs):
    data = selectors.indicator_series(ind, **kwargs)
    return [(p["year"], p["yoy_pct"]) for p in data["points"]], data["cagr_pct"]


# --- series -------------------------------------------------------------------------------------------------


def test_fiscal_revenue_of_the_article():
    fiscal = indicator("fiscal_revenue")
    for year, value in [(2017, "7.01"), (2018, "6.55"), (2019, "7.26")]:
        approved(fiscal, year, value)
    points, cagr = series(fiscal)
    assert points == [(2017, None), (2018, D("-6.56")), (2019, D("10.84"))]
    assert cagr == D("1.77")


def test_a_gap_in_the_series_gives_no_year_on_year_but_cagr_spans_it():
    ind = indicator()
    approved(ind, 2015, 100)
    approved(ind, 2017, 121)  # 2016 missing
    approved(ind, 2018, 133.1)
    points, cagr = series(ind)
    assert points == [(2015, None), (2017, None), (2018, D("10.00"))]
    assert cagr == D("10.00")  # (133.1/100)^(1/3) − 1


def test_a_single_point_has_no_cagr():
    ind = indicator()
    approved(ind, 2019, 5)
    assert series(ind) == ([(2019, None)], None)


def test_a_zero_or_negative_start_has_no_growth():
    ind = indicator(min_value=None)
    approved(ind, 2017, 0)
    approved(ind, 2018, 5)
    approved(ind, 2019, 6)
    points, cagr = series(ind)
    assert points[1] == (2018, None) and points[2] == (2019, D("20.00"))
    assert cagr is None
    negative = indicator("neg", min_value=None)
    approved(negative, 2018, -2)
    approved(negative, 2019, 3)
    assert series(negative) == ([(2018, None), (2019, None)], None)


def test_a_decrease():
    ind = indicator()
    approved(ind, 2017, 100)
    approved(ind, 2019, 81)
    assert series(ind)[1] == D("-10.00")


def test_pending_values_are_hidden_unless_asked_for():
    ind = indicator()
    approved(ind, 2018, 10)
    services.indicator_value_save(indicator=ind, year=2019, value=D(11), submit=True, user=make_user("statistics"))
    assert [p["year"] for p in selectors.indicator_series(ind)["points"]] == [2018]
    pending = selectors.indicator_series(ind, include_pending=True)["points"]
    assert [(p["year"], p["status"]) for p in pending] == [(2018, "approved"), (2019, "submitted")]


def test_values_of_a_park_and_of_the_zone_are_separate_series():
    park = Park.objects.create(code="core", name="核心区")
    ind = indicator()
    approved(ind, 2019, 10)
    approved(ind, 2019, 3, park=park)
    assert selectors.indicator_series(ind)["points"][0]["value"] == D(10)
    assert selectors.indicator_series(ind, park=park)["points"][0]["value"] == D(3)


def test_completion_and_ranking_completion():
    money = indicator()
    assert selectors.completion_pct(money, D(8), D(10)) == D("80.00")
    rank = indicator("rank", unit="位", higher_is_better=False, decimals=0, min_value=D(1), max_value=D(37))
    assert selectors.completion_pct(rank, D(10), D(8)) == D("80.00")  # aimed for 8th, reached 10th
    assert selectors.completion_pct(money, None, D(10)) is None


def test_pacing_against_time_elapsed():
    import datetime

    pace = selectors.pacing(D(365), D(100), today=datetime.date(2019, 4, 10), year=2019)
    # 100 days of 365 elapsed → 27.40 %; expected 100; 100 reached → 100 %
    assert pace == {"elapsed_pct": D("27.40"), "expected": D("100.00"), "pace_pct": D("100.00")}
    assert selectors.pacing(D(365), D(100), today=datetime.date(2020, 1, 1), year=2019) is None


# --- checks at entry --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "value", "fragment"),
    [
        ({"unit": "家", "decimals": 0}, "-1", "below"),
        ({"unit": "家", "decimals": 0}, "2.5", "whole"),
        ({"unit": "%", "max_value": D(100)}, "100.01", "above"),
        ({"unit": "位", "higher_is_better": False, "decimals": 0, "min_value": D(1), "max_value": D(37)}, "0", "rank"),
        ({"unit": "位", "higher_is_better": False, "decimals": 0, "min_value": D(1), "max_value": D(37)}, "38", "37"),
    ],
)
def test_impossible_values_are_errors(fields, value, fragment, settings):
    settings.LANGUAGE_CODE = "en"
    from django.utils import translation

    with translation.override("en"):
        result = check_value(indicator(**fields), D(value), year=2019)
    assert result.errors and fragment in " ".join(result.errors)


def test_a_share_of_exactly_100_and_a_rank_equal_to_the_field_are_possible():
    assert not check_value(indicator(unit="%", max_value=D(100)), D(100), year=2019).errors
    rank = indicator("r", unit="位", higher_is_better=False, decimals=0, min_value=D(1), max_value=D(37))
    assert not check_value(rank, D(37), year=2019).errors


def test_year_on_year_beyond_50_percent_warns():
    ind = indicator()
    assert check_value(ind, D("150.01"), year=2019, series={2018: D(100)}).warnings
    assert not check_value(ind, D("150"), year=2019, series={2018: D(100)}).warnings
    assert check_value(ind, D("49.99"), year=2019, series={2018: D(100)}).warnings


def test_a_value_breaking_a_three_year_trend_warns():
    ind = indicator()
    rising = {2016: D(100), 2017: D(110), 2018: D(120)}
    assert check_value(ind, D(95), year=2019, series=rising).warnings  # −20.83 %
    assert not check_value(ind, D(97), year=2019, series=rising).warnings  # −19.17 %
    falling = {2016: D(120), 2017: D(110), 2018: D(100)}
    assert check_value(ind, D(125), year=2019, series=falling).warnings


def test_a_warning_needs_an_explanation_which_is_stored():
    ind = indicator()
    approved(ind, 2018, 100)
    staff = make_user("statistics")
    with pytest.raises(ValidationError) as refused:
        services.indicator_value_save(indicator=ind, year=2019, value=D(200), user=staff)
    assert "explanation" in refused.value.message_dict
    assert not IndicatorValue.objects.filter(year=2019).exists()
    saved = services.indicator_value_save(
        indicator=ind, year=2019, value=D(200), user=staff, explanation="新项目投产，产值翻番"
    )
    assert saved.explanation == "新项目投产，产值翻番" and saved.status == "draft"


def test_an_error_refuses_even_with_an_explanation():
    ind = indicator(unit="家", decimals=0)
    with pytest.raises(ValidationError) as refused:
        services.indicator_value_save(indicator=ind, year=2019, value=D(-3), explanation="确实如此")
    assert "value" in refused.value.message_dict


def test_computed_indicators_cannot_be_typed_in():
    ind = indicator("computed_x", kind="computed")
    with pytest.raises(ValidationError):
        services.indicator_value_save(indicator=ind, year=2019, value=D(1), explanation="x")


# --- review -------------------------------------------------------------------------------------------------------


@pytest.fixture
def submitted():
    staff = make_user("statistics")
    value = services.indicator_value_save(indicator=indicator(), year=2019, value=D(7), user=staff, submit=True)
    return value, staff


def test_a_reviewer_approves_a_submitted_value(submitted):
    value, _staff = submitted
    reviewer = make_user("reviewer")
    services.indicator_value_approve(value=value, user=reviewer)
    value.refresh_from_db()
    assert (value.status, value.approved_by) == ("approved", reviewer)


def test_the_person_who_entered_a_value_cannot_approve_it(submitted):
    value, staff = submitted
    with pytest.raises(PermissionDenied):
        services.indicator_value_approve(value=value, user=staff)
    assert IndicatorValue.objects.get(pk=value.pk).status == "submitted"


def test_returning_needs_a_comment(submitted):
    value, _staff = submitted
    reviewer = make_user("reviewer")
    with pytest.raises(ValidationError):
        services.indicator_value_return(value=value, user=reviewer, comment=" ")
    services.indicator_value_return(value=value, user=reviewer, comment="与统计局快报不一致")
    value.refresh_from_db()
    assert (value.status, value.review_comment) == ("returned", "与统计局快报不一致")


def test_only_submitted_values_are_reviewed(submitted):
    value, _staff = submitted
    reviewer = make_user("reviewer")
    services.indicator_value_approve(value=value, user=reviewer)
    with pytest.raises(ValidationError):
        services.indicator_value_approve(value=value, user=make_user("administrator"))


def test_editing_an_approved_value_sends_it_back_for_review(submitted):
    value, staff = submitted
    services.indicator_value_approve(value=value, user=make_user("reviewer"))
    value.refresh_from_db()
    edited = services.indicator_value_save(
        indicator=value.indicator, year=2019, value=D(8), user=staff, instance=value, submit=True
    )
    assert edited.status == "submitted" and edited.approved_by is None
    # every revision is kept: entered and submitted (one save), approved, edited
    assert edited.history.count() == 3


def test_computed_indicators_exist_for_every_registered_entry():
    from parkadmin.computed import REGISTRY

    assert set(REGISTRY) <= set(Indicator.objects.filter(kind="computed").values_list("code", flat=True))
    assert "contracts_signed_records" in REGISTRY and REGISTRY["contracts_signed_records"].reconciles == (
        "contracts_signed"
    )


def test_an_approved_value_is_deleted_only_by_someone_who_may_approve(client):
    value = approved(indicator(), 2019, 7)
    client.force_login(make_user("statistics"))
    assert client.delete(f"/api/indicator-values/{value.pk}/").status_code == 403
    assert IndicatorValue.objects.filter(pk=value.pk).exists()
    draft = services.indicator_value_save(indicator=value.indicator, year=2018, value=D(6), explanation="x")
    assert client.delete(f"/api/indicator-values/{draft.pk}/").status_code == 204
    client.force_login(make_user("administrator"))
    assert client.delete(f"/api/indicator-values/{value.pk}/").status_code == 204
