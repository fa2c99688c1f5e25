"""The report's data: what it works out itself, beside what it takes from the dashboard's and the apps' selectors."""

from decimal import Decimal

import pytest

from indicators.models import Indicator
from reports.sections.indicators import IndicatorRow


def row(**indicator) -> IndicatorRow:
    series = [(2018, Decimal(10)), (2019, Decimal(12))]
    return IndicatorRow(Indicator(**indicator), series, Decimal(12), Decimal(10), None, "", "")


@pytest.mark.parametrize(("higher_is_better", "yoy_pct"), [(False, None), (True, Decimal("20.00"))])
def test_a_rank_is_a_place_lower_is_better_but_people_counted_in_wei_grow(higher_is_better, yoy_pct):
    """Regression: any unit 位 was taken for a rank, also people (引进博士 12位), whose growth then went unreported."""
    counted = row(unit="位", higher_is_better=higher_is_better)
    assert counted.is_ranking is not higher_is_better
    assert counted.yoy_pct == yoy_pct
    assert (counted.cagr[0] is None) is not higher_is_better
