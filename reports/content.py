"""What an annual report is made of, as plain data: the one source of the XLSX workbook, the PDF and the print page.

A report is a list of sections, one per area (each a sheet of the workbook). A section holds paragraphs, tables and
charts; a chart names a table of its section and the columns it draws, so every chart shows figures printed beside
it. Numbers stay numbers: a cell is text, a count (int), a date, or an `Amount` that carries its unit; the renderers
do the formatting (万元 / 亿元 / % in number formats for Excel, as text for the PDF and the page).

`reports.data.annual_report_data` gathers a report; `reports.sections` works out each section.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from django.utils import timezone
from django.utils.translation import gettext as _

from parkadmin.formatting import PALETTE, WAN_PER_YI, english, format_number, format_percent, value_in_unit

# The sheets of the workbook, in order; their names are fixed (scripts and readers look them up by name).
SHEETS = {
    "overview": "概览",
    "indicators": "指标",
    "enterprises": "企业",
    "projects": "项目",
    "incubation": "孵化",
    "problems": "问题清单",
}
PRINT_ROWS = 40  # rows of a long list the PDF and the page show (the workbook has them all)
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


def report_cell_text(value) -> str:
    """How a cell reads in the PDF and on the page: '358.70亿元', '+10.84%', '第8位', '1,234', '—'."""
    if value is None or value == "":
        return "—"
    if isinstance(value, Amount):
        if value.value is None:
            return "—"
        if value.unit == PERCENT:
            return format_percent(value.value, value.decimals, signed=value.signed)
        if english():  # CNY 35.87bn, No. 8, 33: the English interface's units (parkadmin.formatting)
            return value_in_unit(value.value, value.unit, value.decimals)
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
class ReportTable:
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
    # A colour per category (row), where the categories have colours of their own (industry clusters): the report
    # then paints them as the dashboard does. Otherwise the palette's colours in order.
    colors: list[str] = field(default_factory=list)

    def color(self, index: int) -> str:
        return self.colors[index] if index < len(self.colors) else PALETTE[index % len(PALETTE)]

    def points(self, table: ReportTable) -> tuple[list[str], list[tuple[str, list[float | None]]]]:
        categories = [report_cell_text(row[self.category]) for row in table.rows]
        series = [(table.columns[col], [chart_number(row[col]) for row in table.rows]) for col in self.values]
        return categories, series


@dataclass
class Section:
    key: str
    title: str
    paragraphs: list[str] = field(default_factory=list)
    tables: list[ReportTable] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)

    @property
    def sheet(self) -> str:
        return SHEETS[self.key]

    def table(self, key: str) -> ReportTable:
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
