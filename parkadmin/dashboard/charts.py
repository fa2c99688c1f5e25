"""The dashboard's charts: pure functions from plain data to plotly figures (testable without a request).

Labels that come from users (cluster, park, indicator names) are HTML-escaped, because plotly renders a few HTML
tags in text; escaped, they show as typed. A point's `customdata` is the URL a click opens (charts.js).
"""

from __future__ import annotations

from decimal import Decimal
from html import escape

import plotly.graph_objects as go
from django.utils.translation import gettext as _
from plotly.subplots import make_subplots

from parkadmin.charts import note_if_empty, styled
from parkadmin.formatting import PALETTE, WAN_PER_YI


def _f(value) -> float | None:
    return None if value is None else float(value)


def trends_chart(trends: list[dict]) -> go.Figure:
    """Small multiples: one panel per headline indicator [{name, unit, points: [(year, value)], url}]."""
    trends = [t for t in trends if t["points"]]
    columns = 2 if len(trends) > 2 else max(1, len(trends))
    rows = (len(trends) + columns - 1) // columns or 1
    figure = make_subplots(
        rows=rows,
        cols=columns,
        subplot_titles=[escape(f"{t['name']}（{t['unit']}）") for t in trends],
        vertical_spacing=0.18,
        horizontal_spacing=0.12,
    )
    for index, trend in enumerate(trends, start=1):
        years = [str(y) for y, _v in trend["points"]]
        figure.add_bar(
            x=years,
            y=[_f(v) for _y, v in trend["points"]],
            row=(index - 1) // columns + 1,
            col=(index - 1) % columns + 1,
            name=escape(trend["name"]),
            marker_color=PALETTE[(index - 1) % len(PALETTE)],
            customdata=[trend["url"]] * len(years),
            hovertemplate="%{x}: %{y:,.2f}<extra></extra>",
            showlegend=False,
        )
        figure.update_xaxes(type="category", row=(index - 1) // columns + 1, col=(index - 1) % columns + 1)
    figure.update_annotations(font_size=13)
    return styled(figure, margin={"l": 40, "r": 10, "t": 30, "b": 20})


def cluster_mix_chart(clusters: list[dict], output: list[dict]) -> go.Figure:
    """Two donuts: active enterprises per cluster, and the year's industrial output per cluster (万元)."""
    figure = make_subplots(
        rows=1,
        cols=2,
        specs=[[{"type": "domain"}, {"type": "domain"}]],
        subplot_titles=[_("Enterprises"), _("Industrial output (万元)")],
    )
    figure.add_pie(
        labels=[escape(c["name"]) for c in clusters],
        values=[c["count"] for c in clusters],
        hole=0.45,
        marker={"colors": [c["color"] for c in clusters]},
        customdata=[c["url"] for c in clusters],
        sort=False,
        row=1,
        col=1,
        name=_("Enterprises"),
        textinfo="value+percent",
    )
    figure.add_pie(
        labels=[escape(c["name"]) for c in output],
        values=[_f(c["industrial_output"]) or 0 for c in output],
        hole=0.45,
        marker={"colors": [c["color"] for c in output]},
        customdata=[c["url"] for c in output],
        sort=False,
        row=1,
        col=2,
        name=_("Industrial output (万元)"),
        textinfo="percent",
    )
    return styled(figure, legend={"orientation": "h", "y": -0.1})


def pipeline_chart(by_stage: list[dict]) -> go.Figure:
    """The investment pipeline by stage: how many projects and how much contract investment (亿元)."""
    live = [row for row in by_stage if row["stage"] != "dropped"]
    amounts = [float((row["amount"] or 0) / WAN_PER_YI) for row in live]
    figure = go.Figure(
        go.Funnel(
            y=[row["name"] for row in live],
            x=[row["count"] for row in live],
            text=[f"{row['count']} · {amount:,.2f}亿元" for row, amount in zip(live, amounts, strict=True)],
            textinfo="text",
            customdata=[row["url"] for row in live],
            marker={"color": PALETTE[0]},
            hovertemplate="%{y}: %{text}<extra></extra>",
        )
    )
    return styled(figure, margin={"l": 90, "r": 10, "t": 10, "b": 10})


def funds_chart(months: list[Decimal], target: Decimal | None, url: str) -> go.Figure:
    """Funds arrived each month (bars) and cumulatively (line, 万元) against the year's target (dashed)."""
    labels = [f"{m}月" for m in range(1, 13)]
    monthly = [float(v or 0) for v in months]
    cumulative, total = [], 0.0
    for value in monthly:
        total += value
        cumulative.append(total)
    figure = go.Figure()
    figure.add_bar(x=labels, y=monthly, name=_("arrived in the month"), marker_color=PALETTE[0], customdata=[url] * 12)
    figure.add_scatter(
        x=labels,
        y=cumulative,
        name=_("cumulative"),
        mode="lines+markers",
        line={"color": PALETTE[1]},
        customdata=[url] * 12,
    )
    if target is not None:
        figure.add_scatter(
            x=labels,
            y=[float(target)] * 12,
            name=_("year's target"),
            mode="lines",
            line={"color": PALETTE[3], "dash": "dash"},
        )
    styled(figure, legend={"orientation": "h", "y": -0.2}, yaxis={"tickformat": ",.0f", "title": "万元"})
    return note_if_empty(figure, not any(monthly), _("No funds recorded this year yet."))


def rankings_chart(rankings: list[dict]) -> go.Figure:
    """Rankings over time (lower is better, so the axis is reversed): [{name, points, out_of, url}]."""
    figure = go.Figure()
    for index, ranking in enumerate(r for r in rankings if r["points"]):
        name = escape(ranking["name"]) + (f"（共{int(ranking['out_of'])}）" if ranking.get("out_of") else "")
        figure.add_scatter(
            x=[str(y) for y, _v in ranking["points"]],
            y=[_f(v) for _y, v in ranking["points"]],
            name=name,
            mode="lines+markers+text",
            text=[f"第{int(v)}位" for _y, v in ranking["points"]],
            textposition="top center",
            line={"color": PALETTE[index % len(PALETTE)]},
            customdata=[ranking["url"]] * len(ranking["points"]),
        )
    return styled(
        figure,
        yaxis={"autorange": "reversed", "title": "位次"},
        xaxis={"type": "category", "categoryorder": "category ascending"},
        legend={"orientation": "h", "y": -0.2},
    )


def incubation_chart(years: list[dict], reported: dict | None = None) -> go.Figure:
    """Enterprises incubating at each year's end and graduated in it, from the records; reported totals as markers."""
    labels = [str(row["year"]) for row in years]
    figure = go.Figure()
    figure.add_bar(
        x=labels,
        y=[row["incubating"] for row in years],
        name=_("incubating at year end"),
        marker_color=PALETTE[0],
        customdata=[row["url"] for row in years],
    )
    figure.add_bar(
        x=labels,
        y=[row["graduated"] for row in years],
        name=_("graduated in the year"),
        marker_color=PALETTE[2],
        customdata=[row["url"] for row in years],
    )
    for key, label, color in (
        ("incubating", _("incubating (reported)"), PALETTE[0]),
        ("graduated", _("graduated to date (reported)"), PALETTE[2]),
    ):
        points = (reported or {}).get(key) or []
        if points:
            figure.add_scatter(
                x=[str(y) for y, _v in points],
                y=[_f(v) for _y, v in points],
                name=label,
                mode="markers",
                marker={"symbol": "diamond", "size": 12, "color": color},
            )
    return styled(figure, barmode="group", xaxis={"type": "category"}, legend={"orientation": "h", "y": -0.2})


def problems_chart(by_category: list[dict]) -> go.Figure:
    """Open and overdue enterprise problems by category."""
    names = [row["name"] for row in by_category]
    figure = go.Figure()
    figure.add_bar(
        x=names,
        y=[row["open"] for row in by_category],
        name=_("open"),
        marker_color=PALETTE[0],
        customdata=[row["url"] for row in by_category],
    )
    figure.add_bar(
        x=names,
        y=[row["overdue"] for row in by_category],
        name=_("overdue"),
        marker_color=PALETTE[3],
        customdata=[row["overdue_url"] for row in by_category],
    )
    styled(figure, barmode="group", legend={"orientation": "h", "y": -0.25}, yaxis={"dtick": 1})
    empty = not any(row["open"] for row in by_category)
    return note_if_empty(figure, empty, _("No open problems."))
