"""How numbers read in ParkAdmin: money in 万元 / 亿元, growth in %, counts with thousands separators; and the colours
their charts are drawn in."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext, ngettext

WAN_PER_YI = Decimal(10_000)
# The series colours of every chart: the dashboard's, and the report's on the page, in the PDF and in the workbook.
PALETTE = ["#0b4f8a", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"]


def to_decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def round_half_up(value: Decimal, places: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def format_number(value, places: int = 0) -> str:
    """1234567.891 -> '1,234,567.89' (places=2). None -> '—'."""
    number = to_decimal(value)
    if number is None:
        return "—"
    return f"{round_half_up(number, places):,.{places}f}"


def format_wan(value, places: int = 2) -> str:
    """An amount kept in 万元, shown in 万元: 12000 -> '12,000万元'."""
    number = to_decimal(value)
    if number is None:
        return "—"
    text = format_number(number, places).rstrip("0").rstrip(".") if places else format_number(number)
    return f"{text}万元"


def format_money(value, places: int = 2) -> str:
    """An amount kept in 万元, shown the way Chinese reports read it: 亿元 from 1亿 up, else 万元.

    3587000 -> '358.7亿元'; 12000 -> '1.2亿元'; 2000 -> '2,000万元'.
    """
    number = to_decimal(value)
    if number is None:
        return "—"
    if abs(number) >= WAN_PER_YI:
        yi = round_half_up(number / WAN_PER_YI, places)
        text = f"{yi:,.{places}f}".rstrip("0").rstrip(".") if places else f"{yi:,.0f}"
        return f"{text}亿元"
    return format_wan(number, places)


def format_percent(value, places: int = 2, signed: bool = False) -> str:
    """10.8397 -> '10.84%'; signed=True -> '+10.84%'."""
    number = to_decimal(value)
    if number is None:
        return "—"
    rounded = round_half_up(number, places)
    sign = "+" if signed and rounded > 0 else ""
    return f"{sign}{rounded:.{places}f}%"


def growth_pct(current, previous) -> Decimal | None:
    """Year-on-year growth in %, rounded to 2 places; None where it has no meaning (no or non-positive base)."""
    now, before = to_decimal(current), to_decimal(previous)
    if now is None or before is None or before <= 0:
        return None
    return round_half_up((now / before - 1) * 100, 2)


def cagr_pct(first, last, years_apart: int) -> Decimal | None:
    """Average annual growth in %: ((last/first)^(1/years) − 1) × 100, rounded to 2 places."""
    start, end = to_decimal(first), to_decimal(last)
    if start is None or end is None or years_apart <= 0 or start <= 0 or end < 0:
        return None
    ratio = float(end / start) ** (1 / years_apart)
    return round_half_up(Decimal(str((ratio - 1) * 100)), 2)


def value_in_unit(value: Decimal, unit: str, decimals: int) -> str:
    """7.010000 亿元 → '7.01亿元'; 18 个 → '18个'; 23.62 % → '23.62%'; a rank: '第8位'."""
    text = f"{round_half_up(Decimal(value), decimals):f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if unit == "位":
        return f"第{text}位"
    return f"{text}{unit}"


def not_reported() -> str:
    """What stands for an unknown figure on cards and in sentences: '未填报' (a table leaves the cell blank)."""
    return gettext("not reported")


def missing_note(missing: int) -> str:
    """'2 项未填报': how many figures a sum left out because they are unknown; '' when none."""
    if not missing:
        return ""
    return ngettext("%(count)s not reported", "%(count)s not reported", missing) % {"count": missing}


def format_known_money(value, missing: int = 0, places: int = 2) -> str:
    """A sum of amounts (万元) some of which may be unknown: '1.2亿元（1 项未填报）'; '未填报' when all are."""
    if value is None:
        return not_reported()
    text = format_money(value, places)
    note = missing_note(missing)
    return f"{text}（{note}）" if note else text
