"""The dashboard's charts: pure functions from plain data to plotly figures (testable without a request).

Labels that come from users (cluster, park, indicator names) are HTML-escaped, because plotly renders a few HTML
tags in text; escaped, they show as typed. A point's `customdata` is the URL a click opens (charts.js).
"""

from __future__ import annotations

from decimal import Decimal
from html import escape

from django.utils.translation import gettext as _

from parkadmin.charts import figure, grid, note, note_if_empty, subplot_title
from parkadmin.formatting import (
    PALETTE,
    WAN_PER_YI,
    english,
    format_money,
    missing_note,
    month_label,
    name_with_unit,
    not_reported,
    unit_label,
)

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


def trends_chart(trends: list[dict], columns: int = 2) -> dict:
    """Small multiples: one panel per headline indicator [{name, unit, points: [(year, value)], url}], `columns`
    to a row (the big screen's short panel puts them side by side)."""
    trends = [t for t in trends if t["points"]]
    columns = min(columns, max(1, len(trends)))
    rows = (len(trends) + columns - 1) // columns or 1
    axes, cells = grid(
        rows,
        columns,
        [escape(name_with_unit(t["name"], t["unit"])) for t in trends],
        horizontal_spacing=0.12,
        vertical_spacing=0.18,
    )
    for title in axes.get("annotations", []):
        title["font"]["size"] = 13 if columns < 4 else 11  # four side by side: titles stay within their panel
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
        axes["yaxis" + cell["yaxis"][1:]]["rangemode"] = "tozero"
    chart = figure(traces, **axes, margin={"l": 40, "r": 10, "t": 30, "b": 20})
    return note_if_empty(chart, not trends, _("No approved values for these indicators yet."))


def cluster_mix_chart(clusters: list[dict], output: list[dict], compact: bool = False) -> dict:
    """Two donuts: active enterprises per cluster, and the year's industrial output per cluster (万元). A donut with
    nothing to show gives the other the whole width and leaves a sentence at the foot instead. `compact` (the big
    screen's small panel) names the clusters on their slices instead of in a legend."""
    halves = [
        (_("Enterprises"), clusters, [c["count"] for c in clusters], "value+percent", _("No enterprises recorded.")),
        (
            # The big screen's small panel has no room for the unit; its slices show shares only.
            _("Industrial output") if compact else _("Industrial output (CNY 10k)"),
            output,
            [_f(c["industrial_output"]) or 0 for c in output],
            "percent",
            _("No output reported for this year."),
        ),
    ]
    shown = [half for half in halves if any(half[2])]
    traces, annotations = [], []
    for index, (title, rows, values, textinfo, _empty) in enumerate(shown):
        left, width = (0.55 * index, 0.45) if len(shown) == 2 else (0.0, 1.0)
        title_note = subplot_title(title, left + width / 2, 1.0)
        title_note["font"]["size"] = 13
        annotations.append(title_note)
        traces.append(
            {
                "type": "pie",
                "hole": 0.45,
                "sort": False,
                "labels": [escape(c["name"]) for c in rows],
                "values": values,
                "marker": {"colors": [c["color"] for c in rows]},
                "customdata": [c["url"] for c in rows],
                "domain": {"x": [left, left + width], "y": [0.16 if len(shown) < len(halves) else 0.0, 0.92]},
                "name": title,
                "textinfo": "label+" + textinfo if compact else textinfo,
                "textposition": "inside" if compact else "auto",
                "insidetextorientation": "horizontal",
            }
        )
    empties = [f"{title}：<br>{empty}" for title, _rows, values, _t, empty in halves if not any(values)]
    if empties:
        sentence = note("<br>".join(empties), 0.5, 0.0 if traces else 0.5)
        sentence["font"]["size"] = 12
        annotations.append({**sentence, "yanchor": "bottom" if traces else "middle"})
    return figure(traces, annotations=annotations, legend={"orientation": "h", "y": -0.1}, showlegend=not compact)


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
        # Centred on each bar at full size: a narrow bar's text runs over its edges rather than out of the chart.
        "textposition": "inside",
        "insidetextanchor": "middle",
        "constraintext": "none",
        "textfont": {"color": "#ffffff"},
        "customdata": [row["url"] for row in live],
        "marker": {"color": PALETTE[0]},
        "hovertemplate": "%{y}: %{text}<extra></extra>",
    }
    chart = figure([funnel], margin={"l": 90, "r": 10, "t": 10, "b": 10})
    return note_if_empty(chart, not any(row["count"] for row in live), _("No projects recorded."))


def _stage_amount(row: dict) -> str:
    if row["amount"] is None:
        return not_reported()
    text = format_money(row["amount"]) if english() else f"{float(row['amount'] / WAN_PER_YI):,.2f}亿元"
    note = missing_note(row.get("amount_missing", 0))
    if not note:
        return text
    return f"{text} ({note})" if english() else f"{text}（{note}）"


def funds_chart(months: list[Decimal], target: Decimal | None, month_urls: list[str]) -> dict:
    """Funds arrived each month (bars, each opening its month's arrivals) and cumulatively (line, 万元) against the
    year's target (dashed)."""
    labels = [month_label(m) for m in range(1, 13)]
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
            "customdata": month_urls,
        },
        {
            "type": "scatter",
            "x": labels,
            "y": cumulative,
            "name": _("cumulative"),
            "mode": "lines+markers",
            "line": {"color": PALETTE[1]},
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
    chart = figure(traces, legend=LEGEND_BELOW, yaxis={"tickformat": ",.0f", "title": {"text": unit_label("万元")}})
    return note_if_empty(chart, not any(monthly), _("No funds recorded this year yet."))


def rankings_chart(rankings: list[dict]) -> dict:
    """Rankings over time (lower is better, so the axis is reversed): [{name, points, out_of, url}]."""
    traces = []
    for index, ranking in enumerate(r for r in rankings if r["points"]):
        name = escape(ranking["name"])
        if ranking.get("out_of"):
            name = _("%(name)s (of %(count)s)") % {"name": name, "count": int(ranking["out_of"])}
        traces.append(
            {
                "type": "scatter",
                "x": [str(y) for y, _v in ranking["points"]],
                "y": [_f(v) for _y, v in ranking["points"]],
                "name": name,
                "mode": "lines+markers+text",
                "text": [_("No. %(rank)s") % {"rank": int(v)} for _y, v in ranking["points"]],
                "textposition": "top center",
                "cliponaxis": False,  # the best rank's label sits above the plot's top edge
                "line": {"color": PALETTE[index % len(PALETTE)]},
                "customdata": [ranking["url"]] * len(ranking["points"]),
            }
        )
    ranks = [float(v) for r in rankings for _y, v in r["points"]]
    span = (max(ranks) - min(ranks)) if ranks else 0
    # A rank is a place, not an amount: the axis spans the ranks shown (never rank 0), best at the top.
    low, high = max(0.5, min(ranks, default=1) - span * 0.12 - 0.5), max(ranks, default=1) + span * 0.12 + 0.5
    chart = figure(
        traces,
        yaxis={"autorange": False, "range": [high, low], "rangemode": "normal", "title": {"text": _("rank")}},
        xaxis={"type": "category", "categoryorder": "category ascending"},
        legend=LEGEND_BELOW,
        margin={"t": 50},
    )
    return note_if_empty(chart, not traces, _("No rankings recorded yet."))


def incubation_chart(years: list[dict], reported: dict | None = None) -> dict:
    """Enterprises incubating at each year's end and graduated in it, from the records; reported totals as markers."""
    labels = [str(row["year"]) for row in years]
    traces = bars(
        years,
        labels,
        [
            ("incubating", _("incubating at year end"), PALETTE[0], "url"),
            ("graduated", _("graduated in the year"), PALETTE[2], "graduated_url"),
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
    chart = figure(traces, barmode="group", xaxis={"type": "category"}, legend=LEGEND_BELOW)
    recorded = any(row["incubating"] or row["graduated"] for row in years)
    return note_if_empty(chart, not recorded and len(traces) == 2, _("No incubation recorded or reported."))


def problems_chart(by_category: list[dict]) -> dict:
    """Open and overdue enterprise problems by category."""
    traces = bars(
        by_category,
        [row["name"] for row in by_category],
        [("open", _("open"), PALETTE[0], "url"), ("overdue", _("overdue"), PALETTE[3], "overdue_url")],
    )
    chart = figure(traces, barmode="group", legend={"orientation": "h", "y": -0.25}, yaxis={"dtick": 1})
    return note_if_empty(chart, not any(row["open"] for row in by_category), _("No open problems."))


def parks_map_chart(parks: list[dict]) -> dict:
    """The zone as a map of its parks: a tile per park, sized by its enterprises (its sub-parks' inside it), each
    opening the enterprises of that park and its sub-parks. [{code, name, parent, count, url}], parents first."""
    if not any(row["count"] for row in parks):
        return note_if_empty(figure([]), True, _("No enterprises recorded."))
    tiles = {
        "type": "treemap",
        "ids": [row["code"] for row in parks],
        "parents": [row["parent"] for row in parks],
        "labels": [escape(row["name"]) for row in parks],
        "values": [row["count"] for row in parks],
        "branchvalues": "remainder",
        "customdata": [row["url"] for row in parks],
        "texttemplate": "%{label}<br>" + _("%(count)s enterprises") % {"count": "%{value}"},
        "hovertemplate": "%{label}: %{value}<extra></extra>",
        "marker": {"colors": [PALETTE[index % len(PALETTE)] for index in range(len(parks))]},
        "tiling": {"pad": 2},
        "pathbar": {"visible": False},
    }
    return figure([tiles], margin={"l": 4, "r": 4, "t": 4, "b": 4})
