"""How a dashboard card writes its figure: in the indicator's unit, long whole parts grouped by thousands, never a
digit lost."""

from decimal import Decimal
from types import SimpleNamespace

import pytest

from parkadmin.templatetags.parkadmin import card_target, card_value


def card(value, unit: str, decimals: int, target=None):
    return SimpleNamespace(value=value, target=target, indicator=SimpleNamespace(unit=unit, decimals=decimals))


@pytest.mark.parametrize(
    ("value", "unit", "decimals", "shown"),
    [
        (Decimal("25000"), "家", 0, "25,000家"),
        (Decimal("12340"), "人", 0, "12,340人"),
        (Decimal("1845"), "万美元", 0, "1845万美元"),
        (Decimal("358.70"), "亿元", 2, "358.7亿元"),
        (Decimal("123456.50"), "万元", 2, "123,456.5万元"),
        (Decimal("100000.00"), "万元", 2, "100,000万元"),
        (Decimal("23.62"), "%", 2, "23.62%"),
        (Decimal("8"), "位", 0, "第8位"),
        (Decimal("-12345"), "万元", 0, "-12345万元"),
        (None, "家", 0, "—"),
    ],
)
def test_a_card_writes_its_figure_in_its_unit(value, unit, decimals, shown):
    assert card_value(card(value, unit, decimals)) == shown


def test_a_target_is_written_like_the_value():
    assert card_target(card(Decimal("1"), "家", 0, target=Decimal("20000"))) == "20,000家"
