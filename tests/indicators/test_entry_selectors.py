"""indicators.selectors for the indicator and entry pages: an indicator's year rows and twin, the entry grid's
lines, the year being collected."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from indicators import selectors, services
from indicators.choices import Kind, ValueStatus
from indicators.models import Indicator
from projects.choices import Stage
from tests.factories import IndicatorFactory, IndicatorValueFactory, ParkFactory, ProjectFactory, TargetFactory

pytestmark = pytest.mark.django_db
D = Decimal


def approved(indicator, year, value, park=None):
    return services.indicator_value_save(
        indicator=indicator, year=year, value=D(str(value)), park=park, approve=True, explanation="测试"
    )


@pytest.fixture
def contracts():
    """The reported count of signed contracts, with its computed twin from the projects' stage log."""
    return IndicatorFactory(code="contracts_signed", name="签订正式入园合同", unit="个", decimals=0)


# --- the twin -----------------------------------------------------------------------------------------------------


def test_a_reported_indicator_and_its_computed_twin_make_one_pair_from_either_side(contracts):
    computed = Indicator.objects.get(code="contracts_signed_records")
    assert selectors.reconciliation_pair(contracts) == (contracts, computed)
    assert selectors.reconciliation_pair(computed) == (contracts, computed)


def test_an_indicator_without_a_twin_has_no_pair():
    assert selectors.reconciliation_pair(IndicatorFactory(code="plain")) == (None, None)


def test_a_computed_twin_is_worked_out_for_each_year_of_the_series(contracts):
    approved(contracts, 2019, 18)
    ProjectFactory(stage=Stage.SIGNED, stage_on=datetime.date(2019, 3, 1))
    series = selectors.indicator_series(contracts)
    twin = Indicator.objects.get(code="contracts_signed_records")
    assert selectors.twin_values(twin, series=series) == {2019: D(1)}


def test_a_reported_twin_gives_its_visible_values(contracts):
    computed = Indicator.objects.get(code="contracts_signed_records")
    approved(contracts, 2018, 12)
    IndicatorValueFactory(indicator=contracts, year=2019, value=D(18), status=ValueStatus.SUBMITTED)
    series = selectors.indicator_series(computed)
    assert selectors.twin_values(contracts, series=series) == {2018: D(12)}
    assert selectors.twin_values(contracts, series=series, include_pending=True) == {2018: D(12), 2019: D(18)}


def test_no_twin_no_values():
    assert selectors.twin_values(None, series={"points": []}) == {}


# --- an indicator's year rows -------------------------------------------------------------------------------------


def test_year_rows_cover_the_series_and_the_targets_in_year_order():
    money = IndicatorFactory(code="money")
    approved(money, 2018, 10)
    record = approved(money, 2019, 12)
    TargetFactory(indicator=money, year=2019, value=D(15))
    TargetFactory(indicator=money, year=2021, value=D(20))
    series = selectors.indicator_series(money)
    rows = selectors.indicator_year_rows(money, series=series, twin_values={2019: D(11)})
    assert [(r.year, r.value, r.yoy_pct, r.target, r.completion_pct, r.twin_value) for r in rows] == [
        (2018, D(10), None, None, None, None),
        (2019, D(12), D("20.00"), D(15), D("80.00"), D(11)),
        (2021, None, None, D(20), None, None),
    ]
    assert rows[1].record == record
    assert not any(row.pending for row in rows)


def test_year_rows_of_a_park_and_with_pending_values():
    money, park = IndicatorFactory(code="money"), ParkFactory(code="core")
    approved(money, 2019, 10)
    IndicatorValueFactory(indicator=money, park=park, year=2019, value=D(3), explanation="新企业投产")
    kwargs = {"park": park, "twin_values": {}}
    assert selectors.indicator_year_rows(money, series=selectors.indicator_series(money, park=park), **kwargs) == []
    pending = selectors.indicator_series(money, park=park, include_pending=True)
    (row,) = selectors.indicator_year_rows(money, series=pending, include_pending=True, **kwargs)
    assert (row.year, row.value, row.status, row.pending, row.show_explanation) == (2019, D(3), "draft", True, True)


def test_a_routine_approved_value_keeps_its_explanation_off_the_table():
    money = IndicatorFactory(code="money")
    approved(money, 2018, 10)
    approved(money, 2019, 11)
    series = selectors.indicator_series(money)
    rows = selectors.indicator_year_rows(money, series=series, twin_values={})
    assert [row.show_explanation for row in rows] == [False, False]


# --- the entry grid -----------------------------------------------------------------------------------------------


def test_the_grid_lists_the_reported_indicators_then_the_computed_ones(contracts):
    lines = selectors.entry_grid(year=2020, park=None)
    kinds = [line.indicator.kind for line in lines]
    assert kinds == sorted(kinds, key=lambda kind: kind != Kind.REPORTED)
    assert {line.indicator.code for line in lines if line.reported} == set(
        Indicator.objects.filter(kind=Kind.REPORTED).values_list("code", flat=True)
    )
    assert all(line.existing is None and line.previous is None for line in lines)


def test_a_grid_line_carries_this_years_value_last_years_and_the_computed_twin(contracts):
    this_year = IndicatorValueFactory(indicator=contracts, year=2020, value=D(3))
    last_year = approved(contracts, 2019, 2)
    ProjectFactory(stage=Stage.SIGNED, stage_on=datetime.date(2020, 3, 1))
    lines = {line.indicator.code: line for line in selectors.entry_grid(year=2020, park=None)}
    line = lines["contracts_signed"]
    assert (line.existing, line.previous) == (this_year, last_year)
    assert (line.twin.code, line.twin_value) == ("contracts_signed_records", D(1))
    assert lines["contracts_signed_records"].computed == D(1)
    assert not lines["contracts_signed_records"].reported


def test_a_returned_value_of_last_year_is_no_comparison(contracts):
    IndicatorValueFactory(indicator=contracts, year=2019, value=D(2), status=ValueStatus.RETURNED)
    line = next(line for line in selectors.entry_grid(year=2020, park=None) if line.indicator == contracts)
    assert line.previous is None


def test_the_grid_of_a_park_holds_that_parks_values_only(contracts):
    park = ParkFactory(code="core")
    IndicatorValueFactory(indicator=contracts, year=2020, value=D(3))
    mine = IndicatorValueFactory(indicator=contracts, park=park, year=2020, value=D(1))
    line = next(line for line in selectors.entry_grid(year=2020, park=park) if line.indicator == contracts)
    assert line.existing == mine


# --- the year being collected -------------------------------------------------------------------------------------


def test_the_entry_year_follows_the_latest_approved_data_but_never_runs_ahead():
    this_year = timezone.localdate().year
    money = IndicatorFactory(code="money")
    assert selectors.default_entry_year() == this_year
    approved(money, 2019, 10)
    assert selectors.default_entry_year() == 2020
    approved(money, this_year, 10)
    assert selectors.default_entry_year() == this_year
