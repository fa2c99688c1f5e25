"""How numbers read in ParkAdmin: money in 万元 / 亿元, growth in %, counts with thousands separators; and the colours
their charts are drawn in.

The Chinese interface reads amounts in the units Chinese reports use (358.7亿元, 8,600万元). The English one reads
them as English readers do, in currency with thousands, millions and billions (CNY 35.87bn, CNY 86m); counts lose
their measure word (33家 → 33) and a rank reads "No. 8".
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils import translation
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


# A Chinese unit of money as (currency, how many of the currency's units it holds), for the English interface.
AMOUNT_UNITS = {
    "亿元": ("CNY", Decimal(10) ** 8),
    "万元": ("CNY", Decimal(10) ** 4),
    "万美元": ("USD", Decimal(10) ** 4),
}
AMOUNT_UNITS["元"] = ("CNY", Decimal(1))
# Chinese measure words of counts (enterprises, items, projects …): English writes the bare number.
COUNT_WORDS = {"家", "个", "项", "件", "人", "次", "所", "座"}
# Units as a column header or an axis names them in English ("Fiscal revenue (CNY 100m)").
UNIT_LABELS_EN = {"亿元": "CNY 100m", "万元": "CNY 10k", "万美元": "USD 10k", "元": "CNY", "位": "rank", "%": "%"}


def english() -> bool:
    """Whether the interface speaks English now (anything else reads as Chinese, the default)."""
    return (translation.get_language() or "").startswith("en")


def unit_label(unit: str) -> str:
    """A unit as a header names it, in the interface's language: '亿元', or 'CNY 100m' in English ('' for counts)."""
    if not english():
        return unit
    return "" if unit in COUNT_WORDS else UNIT_LABELS_EN.get(unit, unit)


def name_with_unit(name: str, unit: str) -> str:
    """A title naming its unit: '公共财政收入（亿元）'; in English 'Fiscal revenue (CNY 100m)', bare for counts."""
    label = unit_label(unit)
    if english():
        return f"{name} ({label})" if label else name
    return f"{name}（{unit}）" if unit else name


MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def month_label(month: int) -> str:
    """A month as an axis names it: '3月', or 'Mar' in English."""
    return MONTHS_EN[month - 1] if english() else f"{month}月"


def trimmed(number: Decimal, places: int) -> str:
    """`number` with thousands separators and at most `places` decimals, trailing zeros dropped: 35.870 → '35.87'."""
    text = f"{round_half_up(number, places):,.{places}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def english_amount(amount: Decimal, currency: str) -> str:
    """An amount in currency units, as English reads it: 726000000 → 'CNY 726m'; 35870000000 → 'CNY 35.87bn'."""
    for size, suffix in ((Decimal(10) ** 9, "bn"), (Decimal(10) ** 6, "m"), (Decimal(10) ** 3, "k")):
        if abs(amount) >= size:
            return f"{currency} {trimmed(amount / size, 2)}{suffix}"
    return f"{currency} {trimmed(amount, 2)}"


def format_wan(value, places: int = 2) -> str:
    """An amount kept in 万元, shown in 万元: 12000 -> '12,000万元' (English: 'CNY 120m')."""
    number = to_decimal(value)
    if number is None:
        return "—"
    if english():
        return english_amount(number * AMOUNT_UNITS["万元"][1], "CNY")
    text = format_number(number, places).rstrip("0").rstrip(".") if places else format_number(number)
    return f"{text}万元"


def format_money(value, places: int = 2) -> str:
    """An amount kept in 万元, shown the way Chinese reports read it: 亿元 from 1亿 up, else 万元.

    3587000 -> '358.7亿元'; 12000 -> '1.2亿元'; 2000 -> '2,000万元'.
    """
    number = to_decimal(value)
    if number is None:
        return "—"
    if english():
        return format_wan(number, places)
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
    """7.010000 亿元 → '7.01亿元'; 18 个 → '18个'; 23.62 % → '23.62%'; a rank: '第8位'.

    In English: 'CNY 701m', '18', '23.62%', 'No. 8'; another unit follows the number after a space."""
    text = f"{round_half_up(Decimal(value), decimals):f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if english():
        if unit in AMOUNT_UNITS:
            currency, size = AMOUNT_UNITS[unit]
            return english_amount(Decimal(value) * size, currency)
        if unit == "位":
            return f"No. {text}"
        if unit in COUNT_WORDS or unit == "%":
            return f"{text}{unit if unit == '%' else ''}"
        return f"{text} {unit}"
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
