"""The report's incubation section (孵化): the year's incubation figures and those of the years before."""

from __future__ import annotations

from django.utils.translation import gettext as _

from enterprises import selectors as enterprise_selectors
from parks.models import Park
from reports.content import Chart, ReportTable, Section, count
from reports.sections.indicators import records_notes


def incubation_section(year: int, park: Park | None) -> Section:
    section = Section("incubation", _("Incubation"))
    by_year = enterprise_selectors.incubation_history(last=year, park=park)
    years = list(by_year)
    figures = by_year[year]
    section.tables.append(
        ReportTable(
            "figures",
            _("Incubation in %(year)s") % {"year": year},
            [_("Figure"), _("Value")],
            [
                [_("Incubating at year end"), count(figures["incubating"], "家")],
                [_("Entered during the year"), count(figures["entered"], "家")],
                [_("Graduated during the year"), count(figures["graduated"], "家")],
                [_("Left without graduating"), count(figures["exited"], "家")],
            ],
            note=_("Counted from the incubation records.")
            + "".join(f" {note}" for note in records_notes(year, park, ("incubating", "graduated")).values()),
        )
    )
    section.tables.append(
        ReportTable(
            "by_year",
            _("Incubation by year"),
            [_("Year"), _("Incubating at year end"), _("Entered"), _("Graduated"), _("Left")],
            [
                [
                    str(y),
                    count(by_year[y]["incubating"], "家"),
                    count(by_year[y]["entered"], "家"),
                    count(by_year[y]["graduated"], "家"),
                    count(by_year[y]["exited"], "家"),
                ]
                for y in years
            ],
        )
    )
    section.charts.append(Chart("line", _("Incubation by year"), "by_year", [1, 2, 3, 4], unit="家"))
    return section
