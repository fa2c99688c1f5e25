"""The report page's charts: a report chart (data in) as a plotly figure (out), the same chart the PDF draws.

Labels from users (cluster, park, indicator names) are HTML-escaped: plotly renders a few tags in text.
"""

from __future__ import annotations

from html import escape

from parkadmin.charts import figure
from parkadmin.formatting import PALETTE
from reports.content import COUNT_UNITS, PERCENT, Chart, ReportTable

# Sized for half an A4 page's width, so the page prints as it shows.
WIDTH, HEIGHT = 330, 250


def report_figure(chart: Chart, table: ReportTable) -> dict:
    categories, series = chart.points(table)
    labels = [escape(c) for c in categories]
    traces = []
    suffix = "%" if chart.unit == PERCENT else ""
    if chart.kind == "pie":
        _name, values = series[0]
        traces.append(
            {
                "type": "pie",
                "labels": labels,
                "values": values,
                "marker": {"colors": [chart.color(i) for i in range(len(categories))]},
                "sort": False,
                "textinfo": "percent",
                "hovertemplate": "%{label}: %{value:,}<extra></extra>",
            }
        )
    for index, (name, values) in enumerate(series if chart.kind != "pie" else []):
        color = PALETTE[index % len(PALETTE)]
        if chart.colors and len(series) == 1:  # one series over coloured categories: each bar in its colour
            color = [chart.color(i) for i in range(len(categories))]
        if chart.kind == "line":
            traces.append(
                {
                    "type": "scatter",
                    "x": labels,
                    "y": values,
                    "name": escape(name),
                    "mode": "lines+markers",
                    "line": {"color": color},
                }
            )
        elif chart.kind == "bar":
            bar = {"x": values, "y": labels, "orientation": "h"}
            traces.append({"type": "bar", **bar, "name": escape(name), "marker": {"color": color}})
        else:
            traces.append({"type": "bar", "x": labels, "y": values, "name": escape(name), "marker": {"color": color}})
    height = HEIGHT
    if chart.kind == "bar":  # a few bars stay bars, not slabs
        height = min(HEIGHT, 90 + 26 * len(categories) * len(series))
    layout = {
        "title": {"text": escape(chart.title), "font": {"size": 13}, "x": 0.5},
        "width": WIDTH,
        "height": height,
        "autosize": False,
        "showlegend": len(series) > 1 or chart.kind == "pie",
        "legend": {"orientation": "h", "y": -0.2, "font": {"size": 10}},
        "margin": {"l": 50, "r": 10, "t": 40, "b": 40},
    }
    value_axis = {"ticksuffix": suffix, "tickformat": ",~f", "rangemode": "tozero"}
    largest = max((v for _name, values in series for v in values if v is not None), default=0)
    if chart.unit in COUNT_UNITS and largest <= 5:
        value_axis["dtick"] = 1  # counts have no halves
    if chart.kind == "bar":
        layout["yaxis"] = {"autorange": "reversed", "automargin": True, "type": "category"}
        layout["xaxis"] = value_axis
        layout["barmode"] = "group"
    elif chart.kind != "pie":
        layout["xaxis"] = {"type": "category"}
        layout["yaxis"] = value_axis
    return figure(traces, **layout)
