"""The dashboard's charts: pure functions from plain data to plotly figures (testable without a request).

Labels that come from users (cluster, park, indicator names) are HTML-escaped, because plotly renders a few HTML
tags in text; escaped, they show as typed. A point's `customdata` is the URL a click opens (charts.js).
"""

from __future__ import annotations

from decimal import Decimal
from html import escape

from django.utils.translation import gettext as _

from parkadmin.charts import figure, grid, note_if_empty, subplot_title
from parkadmin.formatting import PALETTE, WAN_PER_YI, missing_note, not_reported

LEGEND_BELOW = {"orientation": "h", "y": -0.2}


def _f(value) -> float | None:
    return None if value is None else float(value)


def bars(rows: list[dict], labels: list[str], series: list[tuple[str, str, str, str]]) -> list[dict]:
    """Grouped bars over `labels`: for each (key, name, colour, url key) of `series`, a bar per row of `rows` showing
    row[key] and opening row[url key] when clicked."""
    return [
        {
            "type": "bar",
            "x": labels,
            "y": [row[key] for row in rows],
            "name": name,
            "marker": {"color": color},
            "customdata": [row[url] for row in rows],
        }
        for key, name, color, url in series
    ]


def trends_chart(trends: list[dict]) -> dict:
    """Small multiples: one panel per headline indicator [{name, unit, points: [(year, value)], url}]."""
    trends = [t for t in trends if t["points"]]
    columns = 2 if len(trends) > 2 else max(1, len(trends))
    rows = (len(trends) + columns - 1) // columns or 1
    axes, cells = grid(
        rows,
        columns,
        [escape(f"{t['name']}（{t['unit']}）") for t in trends],
        horizontal_spacing=0.12,
        vertical_spacing=0.18,
    )
    for title in axes.get("annotations", []):
        title["font"]["size"] = 13
    traces = []
    for index, (trend, cell) in enumerate(zip(trends, cells, strict=False)):
        years = [str(y) for y, _v in trend["points"]]
        traces.append(
            {
                "type": "bar",
                "x": years,
                "y": [_f(v) for _y, v in trend["points"]],
                **cell,
                "name": escape(trend["name"]),
                "marker": {"color": PALETTE[index % len(PALETTE)]},
                "customdata": [trend["url"]] * len(years),
                "hovertemplate": "%{x}: %{y:,.2f}<extra></extra>",
                "showlegend": False,
            }
        )
        axes["xaxis" + cell["xaxis"][1:]]["type"] = "category"  # the layout's xaxis2 is the traces' x2
    return figure(traces, **axes, margin={"l": 40, "r": 10, "t": 30, "b": 20})


def cluster_mix_chart(clusters: list[dict], output: list[dict]) -> dict:
    """Two donuts: active enterprises per cluster, and the year's industrial output per cluster (万元)."""
    donut = {"type": "pie", "hole": 0.45, "sort": False}
    enterprises, industrial_output = _("Enterprises"), _("Industrial output (万元)")
    return figure(
        [
            {
                **donut,
                "labels": [escape(c["name"]) for c in clusters],
                "values": [c["count"] for c in clusters],
                "marker": {"colors": [c["color"] for c in clusters]},
                "customdata": [c["url"] for c in clusters],
                "domain": {"x": [0.0, 0.45], "y": [0.0, 1.0]},
                "name": enterprises,
                "textinfo": "value+percent",
            },
            {
                **donut,
                "labels": [escape(c["name"]) for c in output],
                "values": [_f(c["industrial_output"]) or 0 for c in output],
                "marker": {"colors": [c["color"] for c in output]},
                "customdata": [c["url"] for c in output],
                "domain": {"x": [0.55, 1.0], "y": [0.0, 1.0]},
                "name": industrial_output,
                "textinfo": "percent",
            },
        ],
        annotations=[subplot_title(enterprises, 0.225, 1.0), subplot_title(industrial_output, 0.775, 1.0)],
        legend={"orientation": "h", "y": -0.1},
    )


def pipeline_chart(by_stage: list[dict]) -> dict:
    """The investment pipeline by stage: how many projects and how much contract investment (亿元)."""
    live = [row for row in by_stage if row["stage"] != "dropped"]
    funnel = {
        "type": "funnel",
        "y": [row["name"] for row in live],
        "x": [row["count"] for row in live],
        # An amount nobody filled in is 未填报, never 0.00亿元; a sum that left some out says how many.
        "text": [f"{row['count']} · {_stage_amount(row)}" for row in live],
        "textinfo": "text",
        "customdata": [row["url"] for row in live],
        "marker": {"color": PALETTE[0]},
        "hovertemplate": "%{y}: %{text}<extra></extra>",
    }
    return figure([funnel], margin={"l": 90, "r": 10, "t": 10, "b": 10})


def _stage_amount(row: dict) -> str:
    if row["amount"] is None:
        return not_reported()
    text = f"{float(row['amount'] / WAN_PER_YI):,.2f}亿元"
    note = missing_note(row.get("amount_missing", 0))
    return f"{text}（{note}）" if note else text


def funds_chart(months: list[Decimal], target: Decimal | None, url: str) -> dict:
    """Funds arrived each month (bars) and cumulatively (line, 万元) against the year's target (dashed)."""
    labels = [f"{m}月" for m in range(1, 13)]
    monthly = [float(v or 0) for v in months]
    cumulative, total = [], 0.0
    for value in monthly:
        total += value
        cumulative.append(total)
    traces = [
        {
            "type": "bar",
            "x": labels,
            "y": monthly,
            "name": _("arrived in the month"),
            "marker": {"color": PALETTE[0]},
            "customdata": [url] * 12,
        },
        {
            "type": "scatter",
            "x": labels,
            "y": cumulative,
            "name": _("cumulative"),
            "mode": "lines+markers",
            "line": {"color": PALETTE[1]},
            "customdata": [url] * 12,
        },
    ]
    if target is not None:
        traces.append(
            {
                "type": "scatter",
                "x": labels,
                "y": [float(target)] * 12,
                "name": _("year's target"),
                "mode": "lines",
                "line": {"color": PALETTE[3], "dash": "dash"},
            }
        )
    chart = figure(traces, legend=LEGEND_BELOW, yaxis={"tickformat": ",.0f", "title": {"text": "万元"}})
    return note_if_empty(chart, not any(monthly), _("No funds recorded this year yet."))


def rankings_chart(rankings: list[dict]) -> dict:
    """Rankings over time (lower is better, so the axis is reversed): [{name, points, out_of, url}]."""
    traces = []
    for index, ranking in enumerate(r for r in rankings if r["points"]):
        name = escape(ranking["name"]) + (f"（共{int(ranking['out_of'])}）" if ranking.get("out_of") else "")
        traces.append(
            {
                "type": "scatter",
                "x": [str(y) for y, _v in ranking["points"]],
                "y": [_f(v) for _y, v in ranking["points"]],
                "name": name,
                "mode": "lines+markers+text",
                "text": [f"第{int(v)}位" for _y, v in ranking["points"]],
                "textposition": "top center",
                "line": {"color": PALETTE[index % len(PALETTE)]},
                "customdata": [ranking["url"]] * len(ranking["points"]),
            }
        )
    return figure(
        traces,
        yaxis={"autorange": "reversed", "title": {"text": "位次"}},
        xaxis={"type": "category", "categoryorder": "category ascending"},
        legend=LEGEND_BELOW,
    )


def incubation_chart(years: list[dict], reported: dict | None = None) -> dict:
    """Enterprises incubating at each year's end and graduated in it, from the records; reported totals as markers."""
    labels = [str(row["year"]) for row in years]
    traces = bars(
        years,
        labels,
        [
            ("incubating", _("incubating at year end"), PALETTE[0], "url"),
            ("graduated", _("graduated in the year"), PALETTE[2], "url"),
        ],
    )
    for key, label, color in (
        ("incubating", _("incubating (reported)"), PALETTE[0]),
        ("graduated", _("graduated to date (reported)"), PALETTE[2]),
    ):
        points = (reported or {}).get(key) or []
        if points:
            traces.append(
                {
                    "type": "scatter",
                    "x": [str(y) for y, _v in points],
                    "y": [_f(v) for _y, v in points],
                    "name": label,
                    "mode": "markers",
                    "marker": {"symbol": "diamond", "size": 12, "color": color},
                }
            )
    return figure(traces, barmode="group", xaxis={"type": "category"}, legend=LEGEND_BELOW)


def problems_chart(by_category: list[dict]) -> dict:
    """Open and overdue enterprise problems by category."""
    traces = bars(
        by_category,
        [row["name"] for row in by_category],
        [("open", _("open"), PALETTE[0], "url"), ("overdue", _("overdue"), PALETTE[3], "overdue_url")],
    )
    chart = figure(traces, barmode="group", legend={"orientation": "h", "y": -0.25}, yaxis={"dtick": 1})
    return note_if_empty(chart, not any(row["open"] for row in by_category), _("No open problems."))
