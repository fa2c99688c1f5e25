"""Chart builders of the indicators app: data in, plotly figure out (no request, no database)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from html import escape

from django.utils.translation import gettext as _

from parkadmin.charts import figure

BLUE, ORANGE, GREY = "#0b4f8a", "#e07b00", "#6c757d"


def series_chart(
    *,
    name: str,
    unit: str,
    points: list[dict],
    reversed_axis: bool = False,
    decimals: int = 2,
    twin_name: str = "",
    twin_points: dict[int, Decimal] | None = None,
    label: Callable[[str], str] | None = None,
) -> dict:
    """An indicator's yearly series: `points` are {"year", "value", "status"}; approved (or computed) points form
    the line, pending ones are drawn apart as hollow orange markers. `twin_points` (year → value) is the other
    figure of the same measure (reported beside computed), dashed. Rankings read best at the top (`reversed_axis`).
    `label(status)` names a status in the hover text.

    Names and the unit come from users: they are HTML-escaped, because plotly renders a few tags in chart text;
    escaped, they show as typed."""
    label = label or str
    name, unit, twin_name = escape(name), escape(unit), escape(twin_name)
    number = f",.{decimals}f"
    traces = []
    settled = [p for p in points if p["status"] in ("approved", "computed")]
    pending = [p for p in points if p["status"] not in ("approved", "computed")]
    traces.append(
        {
            "type": "scatter",
            "x": [p["year"] for p in settled],
            "y": [float(p["value"]) for p in settled],
            "name": f"{name}（{unit}）",
            "mode": "lines+markers",
            "line": {"color": BLUE, "width": 3},
            "marker": {"size": 8},
            "hovertemplate": f"%{{x}}: %{{y:{number}}} {unit}<extra></extra>",
        }
    )
    if pending:
        traces.append(
            {
                "type": "scatter",
                "x": [p["year"] for p in pending],
                "y": [float(p["value"]) for p in pending],
                "name": _("pending review"),
                "mode": "markers",
                "marker": {"size": 12, "color": "white", "line": {"color": ORANGE, "width": 3}, "symbol": "circle"},
                "customdata": [label(p["status"]) for p in pending],
                "hovertemplate": f"%{{x}}: %{{y:{number}}} {unit} · %{{customdata}}<extra></extra>",
            }
        )
    if twin_points:
        years = sorted(twin_points)
        traces.append(
            {
                "type": "scatter",
                "x": years,
                "y": [float(twin_points[year]) for year in years],
                "name": twin_name,
                "mode": "lines+markers",
                "line": {"color": GREY, "dash": "dash"},
                "marker": {"symbol": "diamond", "size": 7},
                "hovertemplate": f"%{{x}}: %{{y:{number}}} {unit}<extra></extra>",
            }
        )
    # No axis title: a rotated CJK unit reads badly, and the unit is in the legend and the page's heading.
    yaxis = {"tickformat": number if decimals else ",d", "zeroline": False}
    if reversed_axis:
        yaxis["autorange"] = "reversed"
    return figure(
        traces,
        xaxis={"tickmode": "linear", "dtick": 1, "tickformat": "d"},
        yaxis=yaxis,
        legend={"orientation": "h", "y": -0.18},
        margin={"l": 60, "r": 10, "t": 10, "b": 10},
        showlegend=True,
    )
