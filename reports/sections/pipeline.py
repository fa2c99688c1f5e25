"""The projects section's pipeline tables: conversion by signing year and the lead-time quartiles, as the year ended
(projects.analytics, the figures of /projects/analytics/)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from enterprises.selectors import year_end
from parks.models import Park
from projects.analytics import LEAD_TIMES, STARTED_WITHIN, Scope, pipeline_analytics
from reports.content import Amount, Chart, ReportTable, count, pct

COHORT_YEARS = 5  # the report's year and the four before it
LEAD_TIME_TITLES = {
    "signed_to_construction": lambda: _("Signing → construction"),
    "construction_to_production": lambda: _("Construction → production"),
    "signed_to_production": lambda: _("Signing → production"),
}


def days(value) -> Amount:
    return Amount(value, "天", 0)


def pipeline_tables(year: int, park: Park | None) -> tuple[list[ReportTable], list[Chart]]:
    """Conversion of the projects signed in the report's year and the four before, and the lead times of every
    project signed by the year's end, by industry cluster; both as known at the year's end."""
    end = year_end(year)
    figures = pipeline_analytics(Scope(park=park, signed_to=end), today=end, stalled=False)
    cohorts = [row for row in figures["cohorts"] if row["year"] > year - COHORT_YEARS]
    started_headers = [_("Started within %(months)s months") % {"months": months} for months in STARTED_WITHIN]
    conversion = ReportTable(
        "pipeline_cohorts",
        _("Conversion by signing year (as at the end of %(year)s)") % {"year": year},
        [
            _("Year signed"),
            _("Signed"),
            *started_headers,
            _("Reached production"),
            _("Dropped"),
            _("Not started yet"),
            _("Started within 12 months (%)"),
        ],
        [
            [
                str(row["year"]),
                count(row["signed"], "个"),
                *[count(cell["count"], "个") for cell in row["started_within"]],
                count(row["production"], "个"),
                count(row["dropped"], "个"),
                count(row["waiting"], "个"),
                pct(next(c["pct"] for c in row["started_within"] if c["months"] == 12), signed=False),
            ]
            for row in cohorts
        ],
        note=_(
            "Projects by the year of their signing move that still counts; a project reached a stage on the first day "
            "it entered it or a later one. The columns overlap (a project started and later dropped counts in both)."
        ),
    )
    lead = figures["lead_times"]
    columns = [_("Industry cluster")]
    for key, _start, _end in LEAD_TIMES:
        title = LEAD_TIME_TITLES[key]()
        columns += [
            _("%(lead_time)s: projects") % {"lead_time": title},
            _("%(lead_time)s: median") % {"lead_time": title},
            _("%(lead_time)s: Q1") % {"lead_time": title},
            _("%(lead_time)s: Q3") % {"lead_time": title},
        ]

    def cells(row: dict) -> list:
        values = []
        for key, _start, _end in LEAD_TIMES:
            figure = row[key]
            values += [count(figure["count"], "个"), days(figure["median"]), days(figure["q1"]), days(figure["q3"])]
        return values

    lead_times = ReportTable(
        "pipeline_lead_times",
        _("Lead times of the projects signed by the end of %(year)s (days)") % {"year": year},
        columns,
        [[_("All"), *cells(lead["all"])], *[[row["name"], *cells(row)] for row in lead["cluster"]]],
        note=_(
            "Median and quartiles (inclusive method) of the days between stages, over the projects that reached both."
        ),
        brief=[0, 1, 2, 5, 6, 9, 10],
    )
    chart = Chart("column", _("Median days by industry cluster"), "pipeline_lead_times", [2, 6, 10], unit="天")
    return [conversion, lead_times], [chart]
