"""The report's overview (概览): the year in sentences, the key figures reported and from the records, and the
headline indicators by year."""

from __future__ import annotations

from django.utils.translation import gettext as _

from enterprises import selectors as enterprise_selectors
from indicators import narrative
from parkadmin.formatting import english, growth_pct, name_with_unit
from parkadmin.names import zone_name
from parks.models import Park
from projects import selectors as project_selectors
from reports.content import Chart, ReportTable, Section, count, pct, yi_from_wan
from reports.sections.indicators import TREND_YEARS, IndicatorRow, records_notes, report_spans

OVERVIEW_CHARTS = 4


def overview_section(year: int, park: Park | None, indicators: list[IndicatorRow]) -> Section:
    headline = [row for row in indicators if row.indicator.is_headline]
    subject = park.local_name if park else zone_name()
    # The summary in the interface's language, by the dashboard's writer (one writer for both tells the same period).
    sentences = narrative.summary(
        year, subject, [(row.indicator, row.series) for row in indicators], report_spans(year, park)
    )
    joiner = " " if english() else ""
    section = Section("overview", _("Overview"), paragraphs=[joiner.join(sentences)] if sentences else [])

    reported, records = _("reported"), _("records")
    rows = [
        [
            row.indicator.local_name,
            row.amount(row.value),
            row.amount(row.previous),
            pct(row.yoy_pct) if not row.is_ranking else None,
            reported,
        ]
        for row in headline
        if row.value is not None
    ]
    enterprises_now = sum(r["count"] for r in enterprise_selectors.enterprises_by_cluster(park=park))
    projects_now = project_selectors.yearly_figures(year=year, park=park)
    projects_before = project_selectors.yearly_figures(year=year - 1, park=park)
    hitech = [enterprise_selectors.hitech_enterprise_count(year=y, park=park) for y in (year, year - 1)]
    history = enterprise_selectors.incubation_history(last=year, park=park)  # the incubation section's too
    incubating = [history[y]["incubating"] for y in (year, year - 1)]
    problems = enterprise_selectors.service_request_figures(year=year, park=park)

    # A figure counted from records that are incomplete says so beside it, so that it never reads as contradicting
    # the reported figure the summary above gives.
    notes = records_notes(year, park, ("hitech_enterprises", "incubating"))

    def record_row(name, now, before, maker, code=""):
        basis = f"{records}（{notes[code]}）" if code in notes else records
        return [name, maker(now), maker(before) if before is not None else None, pct(growth_pct(now, before)), basis]

    rows += [
        [_("Enterprises in the zone (now)"), count(enterprises_now, "家"), None, None, records],
        record_row(
            _("High-tech enterprises at year end"), hitech[0], hitech[1], lambda v: count(v, "家"), "hitech_enterprises"
        ),
        record_row(
            _("Park-entry contracts signed"),
            projects_now["signed_count"],
            projects_before["signed_count"],
            lambda v: count(v, "个"),
        ),
        record_row(
            _("Contract investment signed"),
            projects_now["signed_investment"],
            projects_before["signed_investment"],
            yi_from_wan,
        ),
        record_row(_("Funds arrived"), projects_now["funds_arrived"], projects_before["funds_arrived"], yi_from_wan),
        record_row(
            _("Enterprises incubating at year end"),
            incubating[0],
            incubating[1],
            lambda v: count(v, "家"),
            "incubating",
        ),
        [
            _("Enterprise problems unresolved (now)"),
            count(problems["open"] + problems["in_progress"], "个"),
            None,
            None,
            records,
        ],
    ]
    section.tables.append(
        ReportTable(
            "key_figures",
            _("Key figures of %(year)s") % {"year": year},
            [_("Figure"), _("This year"), _("Last year"), _("Year on year"), _("Basis")],
            rows,
            note=_(
                "Reported: the approved official statistics. Records: counted from the zone's own records "
                "when the report was generated."
            ),
        )
    )

    trends = [row for row in headline if sum(1 for y, _v in row.series if y > year - TREND_YEARS) >= 2]
    if trends:
        years = sorted({y for row in trends for y, _v in row.series if y > year - TREND_YEARS})
        years = list(range(years[0], year + 1))
        by_year = [dict(row.series) for row in trends]
        section.tables.append(
            ReportTable(
                "trends",
                _("Headline indicators by year"),
                [_("Year")] + [name_with_unit(row.indicator.local_name, row.indicator.unit) for row in trends],
                [
                    [str(y)] + [row.amount(series.get(y)) for row, series in zip(trends, by_year, strict=True)]
                    for y in years
                ],
            )
        )
        charted = [i for i, row in enumerate(trends, start=1) if not row.is_ranking][:OVERVIEW_CHARTS]
        section.charts += [
            Chart(
                "column",
                name_with_unit(trends[i - 1].indicator.local_name, trends[i - 1].indicator.unit),
                "trends",
                [i],
                unit=trends[i - 1].indicator.unit,  # counts (家, 个) labelled without decimals
            )
            for i in charted
        ]
    return section
