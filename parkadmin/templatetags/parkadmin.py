"""Template helpers: charts and the number formats of parkadmin.formatting."""

from django import template
from django.utils.html import format_html, json_script

from parkadmin import formatting, sample
from parkadmin.people import display_name

register = template.Library()


@register.simple_tag
def chart(figure: dict, chart_id: str, label: str = "", size: str = "md"):
    """A plotly chart container and its data; static/js/charts.js draws it. `size`: sm, md or lg (CSS classes)."""
    data_id = f"{chart_id}-data"
    return format_html(
        '<div class="pa-chart pa-chart-{}" id="{}" data-figure="{}" role="img" aria-label="{}"></div>{}',
        size,
        chart_id,
        data_id,
        label,
        json_script(figure, data_id),
    )


@register.filter
def money(value, places: int = 2) -> str:
    """万元 → '358.7亿元' / '2,000万元'."""
    return formatting.format_money(value, places)


@register.filter
def known_money(value, missing: int = 0) -> str:
    """A sum of amounts some of which are unknown: '1.2亿元（1 项未填报）', or '未填报' when every one is."""
    return formatting.format_known_money(value, missing)


@register.filter
def percent(value, signed: bool = False) -> str:
    return formatting.format_percent(value, signed=signed)


@register.filter
def as_shown(text) -> str:
    """A source or note: the demo's sample markers in the interface's language, what people wrote as written."""
    return sample.in_language(text or "")


@register.filter
def number(value, places: int = 0) -> str:
    """Thousands separators; whole numbers (counts) never get decimals."""
    return formatting.format_number(value, 0 if isinstance(value, int) else places)


def _in_unit(value, indicator) -> str:
    if value is None:
        return "—"
    text = formatting.value_in_unit(value, indicator.unit, indicator.decimals)
    if formatting.english():
        return text  # English amounts already read in thousands, millions and billions
    # Thousands separators where the number is long; the unit stays attached as in Chinese reports.
    number = text.removeprefix("第").removesuffix(indicator.unit).removesuffix("位")
    whole, point, fraction = number.partition(".")
    if whole.isdigit() and (not fraction or fraction.isdigit()) and len(whole) > 4:
        text = text.replace(number, f"{int(whole):,}{point}{fraction}", 1)
    return text


@register.filter
def in_unit(value, indicator) -> str:
    """An indicator's value in its unit, in the interface's language: '7.26亿元' / 'CNY 726m', '第8位' / 'No. 8'."""
    return _in_unit(value, indicator)


@register.filter
def card_value(card) -> str:
    """A dashboard card's value in its indicator's unit: '358.7亿元', '33家', '第8位'."""
    return _in_unit(card.value, card.indicator)


@register.filter
def card_target(card) -> str:
    return _in_unit(card.target, card.indicator)


@register.filter
def bar_width(percent) -> int:
    """A completion percentage as one of the CSS width steps pa-w-0 … pa-w-100 (inline styles are not allowed)."""
    try:
        return max(0, min(100, int(round(float(percent) / 5) * 5)))
    except (TypeError, ValueError):
        return 0


@register.filter
def person(user) -> str:
    """A person as every page names them: full name, else user name (`parkadmin.people.display_name`)."""
    return display_name(user)
