"""The pipeline page's charts: plain data in (projects.analytics' figures, each with its drill-down URL), plotly
figures out. Names people typed (parks, clusters) are HTML-escaped, since plotly renders a few tags in text; a
point's `customdata` is the project list its figure counts (charts.js opens it on a click). Counts, days and
percentages are drawn from zero."""

from __future__ import annotations

from html import escape

from django.utils.translation import gettext as _

from parkadmin.charts import figure, note_if_empty
from parkadmin.formatting import PALETTE

LEGEND_BELOW = {"orientation": "h", "y": -0.2}
FROM_ZERO = {"rangemode": "tozero"}


def whole_steps(highest: int) -> dict:
    """Ticks of a count axis: whole numbers only (a small count would otherwise be ticked by halves)."""
    return {"dtick": 1} if highest <= 10 else {"tickformat": ",d"}


def cohort_chart(cohorts: list[dict]) -> dict:
    """Per signing year: signed, started within 12 months, reached production, dropped (bars, projects)."""
    years = [str(row["year"]) for row in cohorts]
    within_12 = [next(c for c in row["started_within"] if c["months"] == 12) for row in cohorts]
    series = [
        (_("signed"), [row["signed"] for row in cohorts], [row["urls"]["signed"] for row in cohorts]),
        (_("started within 12 months"), [c["count"] for c in within_12], [c["url"] for c in within_12]),
        (
            _("reached production"),
            [row["production"] for row in cohorts],
            [row["urls"]["production"] for row in cohorts],
        ),
        (_("dropped"), [row["dropped"] for row in cohorts], [row["urls"]["dropped"] for row in cohorts]),
    ]
    traces = [
        {
            "type": "bar",
            "x": years,
            "y": values,
            "name": name,
            "marker": {"color": PALETTE[index]},
            "customdata": urls,
            "hovertemplate": "%{x}: %{y}<extra>" + name + "</extra>",
        }
        for index, (name, values, urls) in enumerate(series)
    ]
    chart = figure(
        traces,
        barmode="group",
        xaxis={"type": "category"},
        yaxis={
            **FROM_ZERO,
            **whole_steps(max((row["signed"] for row in cohorts), default=0)),
            "title": {"text": _("projects")},
        },
        legend=LEGEND_BELOW,
        margin={"l": 60, "r": 10, "t": 10, "b": 40},
    )
    return note_if_empty(chart, not cohorts, _("No project signed in this selection."))


def lead_time_chart(rows: list[dict], names: dict[str, str]) -> dict:
    """Median days (bars) with the middle half, Q1 to Q3 (error bars), for each lead time of `names` ({key: label})
    by group (rows of projects.analytics.lead_times, each with `urls`)."""
    labels = [escape(row["name"]) for row in rows]
    traces = []
    for index, (key, label) in enumerate(names.items()):
        name = str(label)
        figures = [row[key] for row in rows]
        traces.append(
            {
                "type": "bar",
                "x": labels,
                "y": [f["median"] for f in figures],
                "name": name,
                "marker": {"color": PALETTE[index]},
                "error_y": {
                    "type": "data",
                    "symmetric": False,
                    "array": [None if f["median"] is None else f["q3"] - f["median"] for f in figures],
                    "arrayminus": [None if f["median"] is None else f["median"] - f["q1"] for f in figures],
                    "color": "#555",
                },
                "customdata": [row["urls"][key] for row in rows],
                "text": [
                    "" if f["median"] is None else f"Q1 {f['q1']:,.0f} · Q3 {f['q3']:,.0f} · n={f['count']}"
                    for f in figures
                ],
                "hovertemplate": "%{x}: %{y:,.0f}<br>%{text}<extra>" + name + "</extra>",
                "textposition": "none",
            }
        )
    empty = not any(row[key]["count"] for row in rows for key in names)
    chart = figure(
        traces,
        barmode="group",
        xaxis={"type": "category"},
        yaxis={**FROM_ZERO, "tickformat": ",d", "title": {"text": _("days")}},
        legend=LEGEND_BELOW,
        margin={"l": 60, "r": 10, "t": 10, "b": 40},
    )
    return note_if_empty(chart, empty, _("No project in this selection has reached these stages."))


def funds_curve_chart(funds: list[dict]) -> dict:
    """The 到位率 curve: for each signing year, funds arrived by N months after signing as % of the contract
    investment (lines); points not yet reached are left out."""
    traces = []
    for index, row in enumerate(funds):
        points = [p for p in row["points"] if p["ratio_pct"] is not None]
        if not points:
            continue
        traces.append(
            {
                "type": "scatter",
                "mode": "lines+markers",
                "x": [p["months"] for p in points],
                "y": [p["ratio_pct"] for p in points],
                "name": str(row["year"]),
                "line": {"color": PALETTE[index % len(PALETTE)]},
                "customdata": [row["url"]] * len(points),
                "hovertemplate": "%{x}: %{y:.2f}%<extra>" + str(row["year"]) + "</extra>",
            }
        )
    months = sorted({p["months"] for row in funds for p in row["points"]})
    chart = figure(
        traces,
        xaxis={
            "title": {"text": _("months after signing")},
            "tickvals": months,
            "ticktext": [str(m) for m in months],
            **FROM_ZERO,
        },
        yaxis={**FROM_ZERO, "ticksuffix": "%", "title": {"text": _("funds-arrival rate")}},
        legend=LEGEND_BELOW,
        margin={"l": 60, "r": 10, "t": 10, "b": 40},
    )
    return note_if_empty(chart, not traces, _("No signing year has had 6 months yet, or none in this selection."))
