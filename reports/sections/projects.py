"""The report's projects section (项目): the year's investment attraction, the pipeline by stage, funds by month and
origin, and the projects signed."""

from __future__ import annotations

from django.utils.dates import MONTHS
from django.utils.translation import gettext as _

from parkadmin.formatting import missing_note
from parks.models import Park
from projects import selectors as project_selectors
from projects.choices import Stage
from reports.content import Amount, Chart, ReportTable, Section, count, wan, yi_from_wan
from reports.sections.pipeline import pipeline_tables


def _signed_missing(missing: int) -> str:
    if not missing:
        return ""
    return " " + _("Contract investment signed leaves out %(note)s.") % {"note": missing_note(missing)}


def projects_section(year: int, park: Park | None) -> Section:
    section = Section("projects", _("Projects"))
    figures = project_selectors.yearly_figures(year=year, park=park)
    lead = project_selectors.lead_times(year=year, park=park)
    section.tables.append(
        ReportTable(
            "figures",
            _("Investment attraction in %(year)s") % {"year": year},
            [_("Figure"), _("Value")],
            [
                [_("Park-entry contracts signed"), count(figures["signed_count"], "个")],
                [_("Contract investment signed"), yi_from_wan(figures["signed_investment"])],
                [_("Projects of 1 billion yuan or more"), count(figures["over_1bn_count"], "个")],
                [_("Projects of 100 million yuan or more"), count(figures["over_100m_count"], "个")],
                [_("Projects started"), count(figures["started_count"], "个")],
                [_("Projects in production"), count(figures["production_count"], "个")],
                [_("Funds arrived"), yi_from_wan(figures["funds_arrived"])],
                [_("Median days from signing to construction"), Amount(lead["signed_to_construction_days"], "天", 0)],
                [
                    _("Median days from construction to production"),
                    Amount(lead["construction_to_production_days"], "天", 0),
                ],
            ],
            note=_("Counted from the project records: a project counts in the year its stage move is dated.")
            + _signed_missing(figures["signed_investment_missing"]),
        )
    )
    section.tables.append(
        ReportTable(
            "by_stage",
            _("Projects by stage (now)"),
            [_("Stage"), _("Projects"), _("Contract investment"), _("Amount not reported")],
            [
                [row["name"], count(row["count"], "个"), wan(row["amount"]), count(row["amount_missing"] or None, "个")]
                for row in figures["by_stage"]
            ],
            note=_("Contract investment: the sum of the amounts filled in; projects without one are counted apart."),
        )
    )
    section.charts.append(Chart("column", _("Projects by stage"), "by_stage", [1], unit="个"))
    months = project_selectors.funds_by_month(year=year, park=park)
    section.tables.append(
        ReportTable(
            "by_month",
            _("Funds arrived by month"),
            [_("Month"), _("Funds arrived")],
            [[str(MONTHS[m]), wan(amount)] for m, amount in enumerate(months, start=1)],
        )
    )
    section.charts.append(Chart("line", _("Funds arrived by month (CNY 10k)"), "by_month", [1], unit="万元"))
    origins = project_selectors.funds_by_origin(year=year, park=park)
    section.tables.append(
        ReportTable(
            "by_origin",
            _("Funds arrived by origin of the investor"),
            [_("Origin"), _("Funds arrived")],
            [[row["name"], wan(row["amount"])] for row in origins],
        )
    )
    section.charts.append(Chart("pie", _("Funds arrived by origin"), "by_origin", [1], unit="万元"))
    tables, charts = pipeline_tables(year, park)
    section.tables += tables
    section.charts += charts

    signed = project_selectors.signed_in_year(year=year, park=park)
    stages = {code: str(label) for code, label in Stage.choices}
    section.tables.append(
        ReportTable(
            "signed",
            _("Projects signed in %(year)s") % {"year": year},
            [
                _("Project"),
                _("Investor"),
                _("Industry cluster"),
                _("Park"),
                _("Stage now"),
                _("Contract investment"),
                _("Signed on"),
            ],
            [
                [
                    change.project.name,
                    change.project.investor,
                    change.project.cluster.local_name if change.project.cluster else "—",
                    change.project.park.local_name if change.project.park else "—",
                    str(stages.get(change.project.stage, change.project.stage)),
                    wan(change.project.contract_investment),
                    change.on,
                ]
                for change in signed
            ],
            wide=[0, 1],
            brief=[0, 1, 4, 5, 6],
        )
    )
    return section
