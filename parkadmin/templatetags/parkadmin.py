"""Template helpers: charts and the number formats of parkadmin.formatting."""

from django import template
from django.utils.html import format_html, json_script

from parkadmin import formatting

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
def percent(value, signed: bool = False) -> str:
    return formatting.format_percent(value, signed=signed)


@register.filter
def number(value, places: int = 0) -> str:
    """Thousands separators; whole numbers (counts) never get decimals."""
    return formatting.format_number(value, 0 if isinstance(value, int) else places)
