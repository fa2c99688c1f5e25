"""Reads of the indicators app the dashboard and the report share: the years with values, and each reported
indicator's history with its target."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from demo import load
from indicators import selectors
from indicators.choices import Kind, ValueStatus
from indicators.models import IndicatorValue
from tests.factories import IndicatorFactory, IndicatorValueFactory, ParkFactory, TargetFactory

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def demo(db):
    load(with_accounts=False)


def test_year_choices_reads_one_row_per_year(demo):
    """Regression: DISTINCT under the model's default ordering read one row per value, not per year."""
    reported = set(IndicatorValue.objects.values_list("year", flat=True))
    with CaptureQueriesContext(connection) as captured:
        years = selectors.year_choices(1995)
    assert years == sorted({*reported, timezone.localdate().year, 1995}, reverse=True)
    [query] = captured.captured_queries
    with connection.cursor() as cursor:
        cursor.execute(query["sql"])
        assert len(cursor.fetchall()) == len(reported)


def approved(indicator, year, value, **kwargs):
    return IndicatorValueFactory(indicator=indicator, year=year, value=D(value), status=ValueStatus.APPROVED, **kwargs)


def test_reported_histories_hold_the_approved_values_up_to_the_year_and_the_target(django_assert_num_queries):
    revenue = IndicatorFactory(code="t_revenue", sort_order=2)
    output = IndicatorFactory(code="t_output", sort_order=1)
    targeted = IndicatorFactory(code="t_targeted", sort_order=3)
    silent = IndicatorFactory(code="t_silent", sort_order=4)
    computed = IndicatorFactory(code="t_computed", kind=Kind.COMPUTED)
    approved(revenue, 2017, "5", source="统计局")
    approved(revenue, 2019, "7", note="快报")
    approved(revenue, 2020, "9")  # after the year
    IndicatorValueFactory(indicator=revenue, year=2018, value=D(6), status=ValueStatus.SUBMITTED)  # not approved
    approved(revenue, 2019, "70", park=ParkFactory())  # a park's, not the zone's
    approved(output, 2019, "3")
    approved(silent, 2018, "1")  # nothing in 2019, no target: left out
    approved(computed, 2019, "2")
    TargetFactory(indicator=targeted, year=2019, value=D(12))
    TargetFactory(indicator=revenue, year=2020, value=D(99))  # another year's
    with django_assert_num_queries(3):
        histories = selectors.reported_histories(year=2019)
    ours = [(i.code, {y: v.value for y, v in h.items()}, t) for i, h, t in histories if i.code.startswith("t_")]
    assert ours == [
        ("t_output", {2019: D(3)}, None),
        ("t_revenue", {2017: D(5), 2019: D(7)}, None),
        ("t_targeted", {}, D(12)),
    ]
    revenue_history = next(h for i, h, _t in histories if i.code == "t_revenue")
    assert list(revenue_history) == [2017, 2019]
    assert (revenue_history[2017].source, revenue_history[2019].note) == ("统计局", "快报")


def test_reported_histories_of_a_park_are_its_own_values():
    park = ParkFactory()
    revenue = IndicatorFactory(code="t_revenue")
    approved(revenue, 2019, "7")
    approved(revenue, 2019, "70", park=park)
    TargetFactory(indicator=revenue, year=2019, value=D(80), park=park)
    [(indicator, history, target)] = [row for row in selectors.reported_histories(year=2019, park=park)]
    assert (indicator.code, history[2019].value, target) == ("t_revenue", D(70), D(80))


def test_target_values_are_the_years_targets_of_the_park_or_the_whole_zone_in_one_query(django_assert_num_queries):
    core = ParkFactory(code="core", parent=ParkFactory(code="zone", kind="zone"))  # a park without parent is the zone
    revenue, output = IndicatorFactory(code="t_revenue"), IndicatorFactory(code="t_output")
    TargetFactory(indicator=revenue, year=2020, value=D(80))
    TargetFactory(indicator=output, year=2020, value=D(9), park=core)
    TargetFactory(indicator=revenue, year=2019, value=D(70))
    with django_assert_num_queries(1):
        assert selectors.target_values(2020) == {revenue.pk: D(80)}
    assert selectors.target_values(2020, core) == {output.pk: D(9)}


def test_approved_series_hold_the_approved_values_up_to_the_year_oldest_first():
    revenue = IndicatorFactory(code="t_revenue")
    IndicatorValueFactory(indicator=revenue, year=2019, value=D(7), status=ValueStatus.APPROVED)
    IndicatorValueFactory(indicator=revenue, year=2018, value=D(6), status=ValueStatus.APPROVED)
    IndicatorValueFactory(indicator=revenue, year=2017, value=D(5), status=ValueStatus.SUBMITTED)
    IndicatorValueFactory(indicator=revenue, year=2021, value=D(9), status=ValueStatus.APPROVED)
    assert selectors.approved_series(2020) == {revenue.pk: [(2018, D(6)), (2019, D(7))]}
