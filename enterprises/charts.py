"""Chart builders of the enterprises app: data in, plotly figure out (no request, no database)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from parkadmin.charts import figure


def yearly_figures_chart(rows: list[tuple[int, float | None, float | None]]) -> dict:
    """Revenue and industrial output by year, in 万元: rows are (year, revenue, output), any order."""
    rows = sorted(rows)
    years = [str(year) for year, _revenue, _output in rows]
    revenue = {
        "type": "bar",
        "x": years,
        "y": [r for _y, r, _o in rows],
        "name": _("revenue (CNY 10k)"),
        "marker": {"color": "#0b4f8a"},
    }
    output = {
        "type": "scatter",
        "x": years,
        "y": [o for _y, _r, o in rows],
        "name": _("industrial output (CNY 10k)"),
        "mode": "lines+markers",
        "line": {"color": "#ff7f0e"},
    }
    return figure(
        [revenue, output],
        legend={"orientation": "h", "y": -0.2},
        yaxis={"tickformat": ",.0f"},
        xaxis={"type": "category"},
        margin={"l": 60, "r": 10, "t": 10, "b": 10},
    )
