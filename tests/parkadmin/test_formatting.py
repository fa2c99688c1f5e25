from decimal import Decimal

import pytest

from parkadmin import formatting


@pytest.mark.parametrize(
    ("wan", "text"),
    [
        (3_587_000, "358.7亿元"),
        (12000, "1.2亿元"),
        (10000, "1亿元"),
        (2000, "2,000万元"),
        (8600, "8,600万元"),
        (None, "—"),
    ],
)
def test_money_reads_in_yi_from_one_yi_up(wan, text):
    assert formatting.format_money(wan) == text


def test_growth_and_cagr_of_the_fiscal_revenue_series():
    assert formatting.growth_pct(Decimal("6.55"), Decimal("7.01")) == Decimal("-6.56")
    assert formatting.growth_pct(Decimal("7.26"), Decimal("6.55")) == Decimal("10.84")
    assert formatting.cagr_pct(Decimal("7.01"), Decimal("7.26"), 2) == Decimal("1.77")


@pytest.mark.parametrize(("first", "last", "years"), [(0, 5, 2), (-1, 5, 2), (5, 6, 0), (None, 5, 1)])
def test_growth_without_a_meaningful_base_is_none(first, last, years):
    assert formatting.cagr_pct(first, last, years) is None


@pytest.mark.parametrize("previous", [0, -1, None])
def test_year_on_year_without_a_positive_previous_value_is_none(previous):
    assert formatting.growth_pct(5, previous) is None


def test_percent_and_numbers():
    assert formatting.format_percent(Decimal("10.8397"), signed=True) == "+10.84%"
    assert formatting.format_percent(Decimal("-6.5621")) == "-6.56%"
    assert formatting.format_number(1234567.891, 2) == "1,234,567.89"
