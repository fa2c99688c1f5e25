"""Everything the annual report says, for a year and a park, as plain data: the one source of the XLSX workbook,
the PDF and the print page.

A report is a list of sections, one per area (each a sheet of the workbook). A section holds paragraphs, tables and
charts; a chart names a table of its section and the columns it draws, so every chart shows figures printed beside
it. Numbers stay numbers: a cell is text, a count (int), a date, or an `Amount` that carries its unit; the renderers
do the formatting (万元 / 亿元 / % in number formats for Excel, as text for the PDF and the page).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from django.conf import settings
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.translation import gettext as _

from enterprises import selectors as enterprise_selectors
from enterprises.choices import ProblemCategory, ProblemStatus
from enterprises.models import Park
from indicators import narrative
from indicators import selectors as indicator_selectors
from indicators.choices import Category
from indicators.models import Indicator
from indicators.selectors import completion_pct
from parkadmin.formatting import WAN_PER_YI, cagr_pct, format_number, format_percent, growth_pct
from parkadmin.memo import memo_scope
from projects import selectors as project_selectors
from projects.choices import Stage

# The sheets of the workbook, in order; their names are fixed (scripts and readers look them up by name).
SHEETS = {
    "overview": "概览",
    "indicators": "指标",
    "enterprises": "企业",
    "projects": "项目",
    "incubation": "孵化",
    "problems": "问题清单",
}
TREND_YEARS = 6  # years of history in trend tables
TOP_ENTERPRISES = 20
PROBLEM_ROWS = 500  # unresolved problems listed in the workbook
PRINT_ROWS = 40  # rows of a long list the PDF and the page show (the workbook has them all)
OVERVIEW_CHARTS = 4
RANK_UNIT = "位"
PERCENT = "%"
COUNT_UNITS = ("个", "家", "人", "件", "项")  # whole things: a chart's axis steps by 1, not by halves


class Amount(NamedTuple):
    """A number in a unit: 万元, 亿元, % (10.84 means 10.84%), 家, 个, 位 …; `decimals` places are shown."""

    value: Decimal | int | float | None
    unit: str = ""
    decimals: int = 2
    signed: bool = False  # growth: '+10.84%'


def wan(value, decimals: int = 2) -> Amount:
    return Amount(value, "万元", decimals)


def yi_from_wan(value, decimals: int = 2) -> Amount:
    """An amount kept in 万元, reported in 亿元."""
    return Amount(None if value is None else Decimal(value) / WAN_PER_YI, "亿元", decimals)


def pct(value, signed: bool = True) -> Amount:
    return Amount(value, PERCENT, 2, signed)


def count(value, unit: str) -> Amount:
    return Amount(value, unit, 0)


def cell_text(value) -> str:
    """How a cell reads in the PDF and on the page: '358.70亿元', '+10.84%', '第8位', '1,234', '—'."""
    if value is None or value == "":
        return "—"
    if isinstance(value, Amount):
        if value.value is None:
            return "—"
        if value.unit == PERCENT:
            return format_percent(value.value, value.decimals, signed=value.signed)
        text = format_number(value.value, value.decimals)
        return f"第{text}位" if value.unit == RANK_UNIT else f"{text}{value.unit}"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, int):
        return format_number(value)
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def is_empty(value) -> bool:
    return value is None or value == "" or (isinstance(value, Amount) and value.value is None)


def is_numeric(value) -> bool:
    """Cells read right-aligned: numbers, and the '—' of a missing number."""
    return value is None or isinstance(value, Amount) or (isinstance(value, int) and not isinstance(value, bool))


def chart_number(value) -> float | None:
    """A cell as a chart draws it (percent as the number of %)."""
    if isinstance(value, Amount):
        value = value.value
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return None
    return float(value)


@dataclass
class Table:
    key: str
    title: str
    columns: list[str]
    rows: list[list]
    note: str = ""
    total: int | None = None  # how many rows exist when `rows` is capped
    wide: list[int] = field(default_factory=list)  # columns of long text (wrapped, given more room)
    brief: list[int] | None = None  # the columns the PDF prints when the page is too narrow for all

    @property
    def capped(self) -> bool:
        return self.total is not None and self.total > len(self.rows)

    def print_columns(self) -> list[int]:
        """The columns the PDF and the page show: the brief ones of a wide table, less those with nothing in them."""
        columns = self.brief if self.brief is not None and len(self.columns) > 6 else list(range(len(self.columns)))
        if len(columns) > 5 and self.rows:
            columns = [c for c in columns if c == 0 or any(not is_empty(row[c]) for row in self.rows)]
        return columns


@dataclass
class Chart:
    """A chart of one table: categories from column 0 (or `category`), one series per column in `values`."""

    kind: str  # column, bar, line or pie
    title: str
    table: str
    values: list[int]
    unit: str = ""
    category: int = 0

    def points(self, table: Table) -> tuple[list[str], list[tuple[str, list[float | None]]]]:
        categories = [cell_text(row[self.category]) for row in table.rows]
        series = [(table.columns[col], [chart_number(row[col]) for row in table.rows]) for col in self.values]
        return categories, series


@dataclass
class Section:
    key: str
    title: str
    paragraphs: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)

    @property
    def sheet(self) -> str:
        return SHEETS[self.key]

    def table(self, key: str) -> Table:
        return next(t for t in self.tables if t.key == key)

    def drawable_charts(self) -> list[Chart]:
        """Charts with something to draw (a table with rows and at least one number)."""
        drawable = []
        for chart in self.charts:
            table = self.table(chart.table)
            _categories, series = chart.points(table)
            if any(v for _name, values in series for v in values):
                drawable.append(chart)
        return drawable


@dataclass
class Report:
    year: int
    park_code: str  # empty: the whole zone
    scope: str  # the park's name, or the zone's
    zone: str
    generated_at: datetime.datetime
    generated_by: str
    sections: list[Section]

    @property
    def title(self) -> str:
        return _("%(scope)s annual report %(year)s") % {"scope": self.scope, "year": self.year}

    @property
    def filters(self) -> list[tuple[str, object]]:
        """What the report was made for and when: printed at the top of every sheet and page."""
        return [
            (_("Park"), self.scope if self.park_code else _("%(zone)s (whole zone)") % {"zone": self.zone}),
            (_("Year"), str(self.year)),
            (_("Generated at"), self.generated_at),
            (_("Generated by"), self.generated_by or "—"),
            (_("Figures"), _("approved indicator values and the records as at generation")),
        ]

    def section(self, key: str) -> Section:
        return next(s for s in self.sections if s.key == key)


def annual_report_data(
    year: int, park: Park | None = None, *, user=None, now: datetime.datetime | None = None
) -> Report:
    """The whole report for `year` and `park` (None, or the zone itself: the whole zone)."""
    if park is not None and park.parent_id is None:
        park = None  # the zone's own figures are the whole zone's
    with memo_scope():  # figures several sections share are worked out once
        indicators = _indicator_rows(year, park)
        sections = [
            _overview(year, park, indicators),
            _indicators(year, park, indicators),
            _enterprises(year, park),
            _projects(year, park),
            _incubation(year, park),
            _problems(year, park),
        ]
    return Report(
        year=year,
        park_code=park.code if park else "",
        scope=park.name if park else settings.ZONE_NAME,
        zone=settings.ZONE_NAME,
        generated_at=timezone.localtime(now or timezone.now()),
        generated_by=(user.get_full_name() or user.get_username()) if user is not None else "",
        sections=sections,
    )


# --- Indicators ---------------------------------------------------------------------------------------------------


@dataclass
class IndicatorRow:
    indicator: Indicator
    series: list[tuple[int, Decimal]]  # approved values up to the report's year
    value: Decimal | None
    previous: Decimal | None
    target: Decimal | None
    source: str
    note: str

    def amount(self, value) -> Amount:
        return Amount(value, self.indicator.unit, self.indicator.decimals)

    @property
    def is_ranking(self) -> bool:
        return self.indicator.is_ranking

    @property
    def yoy_pct(self) -> Decimal | None:
        # A rank that falls from 16 to 8 is a rise, not −50%: rankings are compared by their places instead.
        return None if self.is_ranking else growth_pct(self.value, self.previous)

    @property
    def cagr(self) -> tuple[Decimal | None, str]:
        """Average annual growth from the first value to this year's, and the period it covers."""
        if self.is_ranking or self.value is None or len(self.series) < 2:
            return None, ""
        (first_year, first), (last_year, last) = self.series[0], self.series[-1]
        return cagr_pct(first, last, last_year - first_year), f"{first_year}—{last_year}"


def _indicator_rows(year: int, park: Park | None) -> list[IndicatorRow]:
    """Reported indicators with an approved value or a target for `year`, each with its history; three queries."""
    rows = []
    for indicator, history, target in indicator_selectors.reported_histories(year=year, park=park):
        current, before = history.get(year), history.get(year - 1)
        rows.append(
            IndicatorRow(
                indicator=indicator,
                series=[(y, v.value) for y, v in sorted(history.items())],
                value=current.value if current else None,
                previous=before.value if before else None,
                target=target,
                source=current.source if current else "",
                note=current.note if current else "",
            )
        )
    return rows


def _overview(year: int, park: Park | None, indicators: list[IndicatorRow]) -> Section:
    headline = [row for row in indicators if row.indicator.is_headline]
    subject = park.name if park else settings.ZONE_NAME
    # The summary is Chinese whatever the interface language, as on the dashboard (one writer for both, which tells
    # the same period on both).
    sentences = narrative.summary(year, subject, [(row.indicator, row.series) for row in indicators])
    section = Section("overview", _("Overview"), paragraphs=["".join(sentences)] if sentences else [])

    reported, records = _("reported"), _("records")
    rows = [
        [
            row.indicator.name,
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

    def record_row(name, now, before, maker):
        return [name, maker(now), maker(before) if before is not None else None, pct(growth_pct(now, before)), records]

    rows += [
        [_("Enterprises in the zone (now)"), count(enterprises_now, "家"), None, None, records],
        record_row(_("High-tech enterprises at year end"), hitech[0], hitech[1], lambda v: count(v, "家")),
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
        record_row(_("Enterprises incubating at year end"), incubating[0], incubating[1], lambda v: count(v, "家")),
        [
            _("Enterprise problems unresolved (now)"),
            count(problems["open"] + problems["in_progress"], "个"),
            None,
            None,
            records,
        ],
    ]
    section.tables.append(
        Table(
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
            Table(
                "trends",
                _("Headline indicators by year"),
                [_("Year")] + [f"{row.indicator.name}（{row.indicator.unit}）" for row in trends],
                [
                    [str(y)] + [row.amount(series.get(y)) for row, series in zip(trends, by_year, strict=True)]
                    for y in years
                ],
            )
        )
        charted = [i for i, row in enumerate(trends, start=1) if not row.is_ranking][:OVERVIEW_CHARTS]
        section.charts += [
            Chart("column", f"{trends[i - 1].indicator.name}（{trends[i - 1].indicator.unit}）", "trends", [i])
            for i in charted
        ]
    return section


def _indicators(year: int, park: Park | None, rows: list[IndicatorRow]) -> Section:
    section = Section("indicators", _("Indicators"))
    categories = {code: str(label) for code, label in Category.choices}
    sources = {row.source for row in rows if row.value is not None}
    shared_source = next(iter(sources)) if len(sources) == 1 else ""
    table_rows = []
    for row in rows:
        cagr, period = row.cagr
        table_rows.append(
            [
                row.indicator.name,
                str(categories.get(row.indicator.category, row.indicator.category)),
                row.amount(row.value),
                row.amount(row.previous),
                pct(row.yoy_pct),
                pct(cagr),
                period,
                row.amount(row.target),
                pct(completion_pct(row.indicator, row.value, row.target), signed=False),
                row.note,
                row.source,
            ]
        )
    note = _("Approved values only. Rankings are compared by their places, not by growth.")
    if shared_source:
        note += " " + _("Source of every value: %(source)s") % {"source": shared_source}
    section.tables.append(
        Table(
            "indicators",
            _("Indicators of %(year)s") % {"year": year},
            [
                _("Indicator"),
                _("Category"),
                _("This year"),
                _("Last year"),
                _("Year on year"),
                _("Average annual growth"),
                _("Period"),
                _("Target"),
                _("Completion"),
                _("Note"),
                _("Source"),
            ],
            table_rows,
            note=note,
            wide=[0, 9, 10],
            brief=[0, 2, 3, 4, 5, 6, 7, 8, 9] if shared_source else [0, 2, 3, 4, 5, 7, 8, 10],
        )
    )

    history = [row for row in rows if row.series]
    first = min((y for row in history for y, _v in row.series), default=year)
    years = list(range(max(first, year - TREND_YEARS + 1), year + 1))
    section.tables.append(
        Table(
            "history",
            _("Values by year"),
            [_("Indicator")] + [str(y) for y in years],
            [[row.indicator.name] + [row.amount(dict(row.series).get(y)) for y in years] for row in history],
            wide=[0],
        )
    )

    growth = [row for row in rows if row.yoy_pct is not None]
    if growth:
        section.tables.append(
            Table(
                "growth",
                _("Year-on-year growth"),
                [_("Indicator"), _("Year on year")],
                [[row.indicator.name, pct(row.yoy_pct)] for row in growth],
            )
        )
        section.charts.append(Chart("bar", _("Year-on-year growth (%)"), "growth", [1], unit=PERCENT))

    targeted = [row for row in rows if row.target is not None]
    if targeted:
        section.tables.append(
            Table(
                "targets",
                _("Targets of %(year)s") % {"year": year},
                [_("Indicator"), _("Target"), _("This year"), _("Completion")],
                [
                    [
                        row.indicator.name,
                        row.amount(row.target),
                        row.amount(row.value),
                        pct(completion_pct(row.indicator, row.value, row.target), signed=False),
                    ]
                    for row in targeted
                ],
            )
        )
        section.charts.append(Chart("bar", _("Target completion (%)"), "targets", [3], unit=PERCENT))

    reconciliation = []
    for line in indicator_selectors.reconciliation(year, park):  # approved values, as everywhere in the report
        reported, records = line["reported"], line["records"]
        difference = None if records is None else reported - records
        amounts = [Amount(value, line["unit"], line["decimals"]) for value in (reported, records, difference)]
        reconciliation.append([line["name"], *amounts])
    if reconciliation:
        section.tables.append(
            Table(
                "reconciliation",
                _("Reported figures and the records"),
                [_("Indicator"), _("Reported"), _("From the records"), _("Difference")],
                reconciliation,
                note=_("Where the records explain less than the reported figure, records are missing."),
            )
        )
    return section


# --- Enterprises --------------------------------------------------------------------------------------------------


def _enterprises(year: int, park: Park | None) -> Section:
    section = Section("enterprises", _("Enterprises"))
    clusters = enterprise_selectors.enterprises_by_cluster(park=park)
    output = {row["code"]: row for row in enterprise_selectors.year_totals_by_cluster(year=year, park=park)}
    empty = {"enterprises": 0, "industrial_output": None, "revenue": None}
    section.tables.append(
        Table(
            "by_cluster",
            _("By industry cluster"),
            [
                _("Industry cluster"),
                _("Enterprises in the zone"),
                _("Reporting figures for the year"),
                _("Industrial output"),
                _("Revenue"),
            ],
            [
                [
                    row["name"],
                    count(row["count"], "家"),
                    count(output.get(row["code"], empty)["enterprises"], "家"),
                    wan(output.get(row["code"], empty)["industrial_output"]),
                    wan(output.get(row["code"], empty)["revenue"]),
                ]
                for row in clusters
            ],
            note=_("Enterprises in the zone: as at generation. Output and revenue: the year's reported figures."),
        )
    )
    section.charts += [
        Chart("pie", _("Enterprises by industry cluster"), "by_cluster", [1], unit="家"),
        Chart("column", _("Industrial output by industry cluster (万元)"), "by_cluster", [3], unit="万元"),
    ]
    by_park = enterprise_selectors.enterprises_by_park(park=park)
    section.tables.append(
        Table(
            "by_park",
            _("By park"),
            [_("Park"), _("Enterprises in the zone")],
            [[row["name"], count(row["count"], "家")] for row in by_park],
        )
    )
    section.charts.append(Chart("bar", _("Enterprises by park"), "by_park", [1], unit="家"))

    now = enterprise_selectors.year_totals(year=year, park=park)
    before = enterprise_selectors.year_totals(year=year - 1, park=park)
    hitech = [enterprise_selectors.hitech_enterprise_count(year=y, park=park) for y in (year, year - 1)]
    figures = [
        (_("Enterprises reporting figures"), "reporting", "家", 0),
        (_("Revenue"), "revenue", "万元", 2),
        (_("Industrial output"), "industrial_output", "万元", 2),
        (_("Tax paid"), "tax", "万元", 2),
        (_("R&D spending"), "rd_expense", "万元", 2),
        (_("Employees"), "employees", "人", 0),
        (_("Exports"), "export_value", "万美元", 2),
        (_("Patents granted"), "patents_granted", "件", 0),
    ]
    rows = [
        [
            label,
            Amount(now[key], unit, places),
            Amount(before[key], unit, places),
            pct(growth_pct(now[key], before[key])),
        ]
        for label, key, unit, places in figures
    ]
    rows.append(
        [
            _("High-tech enterprises at year end"),
            count(hitech[0], "家"),
            count(hitech[1], "家"),
            pct(growth_pct(hitech[0], hitech[1])),
        ]
    )
    section.tables.append(
        Table(
            "totals",
            _("Enterprises' yearly figures, totals"),
            [_("Figure"), _("This year"), _("Last year"), _("Year on year")],
            rows,
        )
    )

    top = enterprise_selectors.largest_by_revenue(year=year, park=park, limit=TOP_ENTERPRISES)
    section.tables.append(
        Table(
            "top",
            _("Largest enterprises by revenue"),
            [_("Enterprise"), _("Industry cluster"), _("Park"), _("Revenue"), _("Industrial output"), _("Tax paid")],
            [
                [
                    record.enterprise.name,
                    record.enterprise.cluster.name if record.enterprise.cluster else "—",
                    record.enterprise.park.name if record.enterprise.park else "—",
                    wan(record.revenue),
                    wan(record.industrial_output),
                    wan(record.tax),
                ]
                for record in top
            ],
            wide=[0],
        )
    )
    return section


# --- Projects -----------------------------------------------------------------------------------------------------


def _projects(year: int, park: Park | None) -> Section:
    section = Section("projects", _("Projects"))
    figures = project_selectors.yearly_figures(year=year, park=park)
    lead = project_selectors.lead_times(year=year, park=park)
    section.tables.append(
        Table(
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
            note=_("Counted from the project records: a project counts in the year its stage move is dated."),
        )
    )
    section.tables.append(
        Table(
            "by_stage",
            _("Projects by stage (now)"),
            [_("Stage"), _("Projects"), _("Contract investment")],
            [[row["name"], count(row["count"], "个"), wan(row["amount"])] for row in figures["by_stage"]],
        )
    )
    section.charts.append(Chart("column", _("Projects by stage"), "by_stage", [1], unit="个"))
    months = project_selectors.funds_by_month(year=year, park=park)
    section.tables.append(
        Table(
            "by_month",
            _("Funds arrived by month"),
            [_("Month"), _("Funds arrived")],
            [[str(MONTHS[m]), wan(amount)] for m, amount in enumerate(months, start=1)],
        )
    )
    section.charts.append(Chart("line", _("Funds arrived by month (万元)"), "by_month", [1], unit="万元"))
    origins = project_selectors.funds_by_origin(year=year, park=park)
    section.tables.append(
        Table(
            "by_origin",
            _("Funds arrived by origin of the investor"),
            [_("Origin"), _("Funds arrived")],
            [[row["name"], wan(row["amount"])] for row in origins],
        )
    )
    section.charts.append(Chart("pie", _("Funds arrived by origin"), "by_origin", [1], unit="万元"))

    signed = project_selectors.signed_in_year(year=year, park=park)
    stages = {code: str(label) for code, label in Stage.choices}
    section.tables.append(
        Table(
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
                    change.project.cluster.name if change.project.cluster else "—",
                    change.project.park.name if change.project.park else "—",
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


# --- Incubation ---------------------------------------------------------------------------------------------------


def _incubation(year: int, park: Park | None) -> Section:
    section = Section("incubation", _("Incubation"))
    by_year = enterprise_selectors.incubation_history(last=year, park=park)
    years = list(by_year)
    figures = by_year[year]
    section.tables.append(
        Table(
            "figures",
            _("Incubation in %(year)s") % {"year": year},
            [_("Figure"), _("Value")],
            [
                [_("Incubating at year end"), count(figures["incubating"], "家")],
                [_("Entered during the year"), count(figures["entered"], "家")],
                [_("Graduated during the year"), count(figures["graduated"], "家")],
                [_("Left without graduating"), count(figures["exited"], "家")],
            ],
        )
    )
    section.tables.append(
        Table(
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


# --- Problems -----------------------------------------------------------------------------------------------------


def _problems(year: int, park: Park | None) -> Section:
    section = Section("problems", _("Problem list"))
    today = timezone.localdate()
    figures = enterprise_selectors.service_request_figures(year=year, park=park)  # as the overview asked
    section.tables.append(
        Table(
            "figures",
            _("Enterprise problems"),
            [_("Figure"), _("Value")],
            [
                [_("Open (now)"), count(figures["open"], "个")],
                [_("In progress (now)"), count(figures["in_progress"], "个")],
                [_("Overdue (now)"), count(figures["overdue"], "个")],
                [_("Raised in %(year)s") % {"year": year}, count(figures["raised"], "个")],
                [_("Resolved in %(year)s") % {"year": year}, count(figures["resolved"], "个")],
                [_("Median days to resolve"), Amount(figures["median_days_to_resolve"], "天", 1)],
            ],
        )
    )
    section.tables.append(
        Table(
            "by_category",
            _("Unresolved problems by category (now)"),
            [_("Category"), _("Unresolved"), _("Overdue")],
            [[row["name"], count(row["open"], "个"), count(row["overdue"], "个")] for row in figures["by_category"]],
        )
    )
    section.charts.append(Chart("bar", _("Unresolved problems by category"), "by_category", [1, 2], unit="个"))

    unresolved = enterprise_selectors.unresolved_problems(park=park)
    total = unresolved.count()
    listed = list(unresolved[:PROBLEM_ROWS])
    # Labels translated once, not once a row (get_FOO_display translates on every call).
    categories = {code: str(label) for code, label in ProblemCategory.choices}
    statuses = {code: str(label) for code, label in ProblemStatus.choices}
    section.tables.append(
        Table(
            "unresolved",
            _("Unresolved problems, oldest deadline first (now)"),
            [
                _("Enterprise"),
                _("Problem"),
                _("Category"),
                _("Status"),
                _("Raised on"),
                _("Due on"),
                _("Assignee"),
                _("Overdue"),
            ],
            [
                [
                    problem.enterprise.name,
                    problem.title,
                    categories.get(problem.category, problem.category),
                    statuses.get(problem.status, problem.status),
                    problem.raised_on,
                    problem.due_on,
                    (problem.assignee.get_full_name() or problem.assignee.get_username()) if problem.assignee else "—",
                    bool(problem.due_on and problem.due_on < today),
                ]
                for problem in listed
            ],
            total=total,
            wide=[0, 1],
            brief=[0, 1, 3, 5, 7],
        )
    )
    return section
