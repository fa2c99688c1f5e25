"""The annual report as a PDF (A4, numbered pages): Chinese text, tables and vector charts, drawn by reportlab alone.

Every text (headings, tables, charts, the footer) is set in one TrueType Chinese font, of which the PDF embeds the
glyphs it uses (a subset), so it reads the same in any reader: WenQuanYi Micro Hei by default (Debian's
fonts-wqy-microhei), or the TrueType font (.ttf, or .ttc: its first face) named by PARKADMIN_PDF_FONT. Charts are
reportlab.graphics drawings, so the PDF needs no browser and no image renderer. Paragraphs parse a little markup, so
every text is escaped first; the charts' `String`s draw text as it is.
"""

from __future__ import annotations

import functools
import math
from html import escape
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _
from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.charts.piecharts import Pie
from reportlab.graphics.shapes import Drawing, String
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import CondPageBreak, KeepTogether, Paragraph, SimpleDocTemplate, Spacer, TableStyle
from reportlab.platypus import Table as PdfTable

from parkadmin.formatting import PALETTE, format_number
from reports.content import (
    COUNT_UNITS,
    PERCENT,
    PRINT_ROWS,
    Chart,
    Report,
    ReportTable,
    Section,
    is_numeric,
    report_cell_text,
)

FONT = "ParkAdminCJK"  # the name the PDF's text is set in; the face is settings.PDF_FONT
PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 16 * mm
FRAME_WIDTH = PAGE_WIDTH - 2 * MARGIN
CHART_WIDTH = FRAME_WIDTH / 2 - 3 * mm
CHART_HEIGHT = 68 * mm
BLUE = colors.HexColor("#0B4F8A")
RULE = colors.HexColor("#C8D0DA")
SHADE = colors.HexColor("#E9EEF5")
CELL_SIZE = 8
# A table cell's own font, even under a paragraph or a chart (reportlab's default would add Helvetica).
EVERY_CELL = [("FONTNAME", (0, 0), (-1, -1), FONT)]


class PdfFontError(Exception):
    """The Chinese font the PDF embeds cannot be read (missing, or not a TrueType font)."""


def register_font() -> str:
    return _register(str(settings.PDF_FONT))


@functools.cache
def _register(path: str) -> str:
    try:
        if not Path(path).is_file():
            raise TTFError(f"{path} does not exist")
        # A .ttc holds several faces: the first is the proportional one (WenQuanYi Micro Hei, not its Mono).
        font = TTFont(FONT, path, subfontIndex=0)
    except TTFError as error:
        raise PdfFontError(
            _(
                "The PDF cannot be made: its Chinese font %(path)s is missing or is not a TrueType font. Ask the "
                "administrator to install it (apt install fonts-wqy-microhei) or to set PARKADMIN_PDF_FONT to a "
                "TrueType Chinese font; the XLSX download works meanwhile."
            )
            % {"path": path}
        ) from error
    pdfmetrics.registerFont(font)
    # One face serves every style: <b> or <i> in a paragraph then stays in the Chinese font.
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT, italic=FONT, boldItalic=FONT)
    return FONT


@functools.cache
def styles() -> dict[str, ParagraphStyle]:
    register_font()
    base = ParagraphStyle("base", fontName=FONT, fontSize=10, leading=15, wordWrap="CJK")
    return {
        "title": ParagraphStyle("title", base, fontSize=20, leading=26, textColor=BLUE, spaceAfter=4 * mm),
        "heading": ParagraphStyle("heading", base, fontSize=14, leading=20, textColor=BLUE, spaceBefore=5 * mm),
        "table_title": ParagraphStyle("table_title", base, fontSize=10.5, leading=15, spaceBefore=3 * mm),
        "body": ParagraphStyle("body", base, firstLineIndent=20, spaceAfter=2 * mm),
        "cell": ParagraphStyle("cell", base, fontSize=8, leading=10.5),
        "number": ParagraphStyle("number", base, fontSize=8, leading=10.5, alignment=TA_RIGHT),
        "head": ParagraphStyle("head", base, fontSize=8, leading=10.5, textColor=colors.HexColor("#1F2D3D")),
        "note": ParagraphStyle("note", base, fontSize=7.5, leading=10, textColor=colors.HexColor("#666666")),
    }


def para(text: str, style: str) -> Paragraph:
    return Paragraph(escape(text), styles()[style])


class NumberedCanvas(Canvas):
    """Draws '第 N 页，共 M 页' on every page once the page count is known (pages are kept until the end)."""

    footer_left = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._pages: list[dict] = []

    def showPage(self):
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self.draw_footer(total)
            super().showPage()
        super().save()

    def draw_footer(self, total: int) -> None:
        self.saveState()
        self.setFont(FONT, 8)
        self.setFillColor(colors.HexColor("#666666"))
        self.setStrokeColor(RULE)
        self.line(MARGIN, 12 * mm, PAGE_WIDTH - MARGIN, 12 * mm)
        self.drawString(MARGIN, 8 * mm, self.footer_left)
        page = _("Page %(number)s of %(pages)s") % {"number": self._pageNumber, "pages": total}
        self.drawRightString(PAGE_WIDTH - MARGIN, 8 * mm, page)
        self.restoreState()


def column_widths(table: ReportTable, columns: list[int], rows: list) -> list[float]:
    """Each short column as wide as its longest cell (a period, an amount with its unit never breaks), up to a
    quarter of the page; the wide columns (names, notes) share the rest. Where the short ones would leave the wide
    too little, the columns share the page by fixed weights."""
    weights = [3.2 if c in table.wide else (2.0 if c == 0 else 1.2) for c in columns]
    by_weight = [FRAME_WIDTH * w / sum(weights) for w in weights]
    wanted = {}
    for index, c in enumerate(columns):
        if c in table.wide or c == 0:
            continue
        longest = max(
            (pdfmetrics.stringWidth(report_cell_text(values[c]), FONT, CELL_SIZE) for values in rows), default=0
        )
        wanted[index] = min(max(longest + 10, by_weight[index] * 0.6), FRAME_WIDTH / 4)
    rest = FRAME_WIDTH - sum(wanted.values())
    flexible = [i for i in range(len(columns)) if i not in wanted]
    flexible_weight = sum(weights[i] for i in flexible)
    if not flexible or rest < FRAME_WIDTH * 0.3 * len(flexible) / len(columns):
        return by_weight
    return [wanted[i] if i in wanted else rest * weights[i] / flexible_weight for i in range(len(columns))]


def render_table(table: ReportTable, limit: int = PRINT_ROWS) -> list:
    """A table's title, header and rows (at most `limit`), with its note; wide tables print their brief columns."""
    columns = table.print_columns()
    rows = table.rows[:limit]
    widths = column_widths(table, columns, rows)
    data = [[para(table.columns[c], "head") for c in columns]]
    for values in rows:
        line = []
        for c, width in zip(columns, widths, strict=True):
            text = report_cell_text(values[c])
            # A paragraph wraps but takes time to lay out; a text that fits on its line is drawn as it is.
            if "\n" not in text and pdfmetrics.stringWidth(text, FONT, CELL_SIZE) <= width - 8:
                line.append(text)
            else:
                line.append(para(text, "number" if is_numeric(values[c]) else "cell"))
        data.append(line)
    numeric = [i for i, c in enumerate(columns) if rows and all(is_numeric(values[c]) for values in rows)]
    grid = PdfTable(data, colWidths=widths, repeatRows=1, hAlign="LEFT")
    grid.setStyle(
        TableStyle(
            [
                *EVERY_CELL,
                ("FONT", (0, 1), (-1, -1), FONT, CELL_SIZE, CELL_SIZE + 2.5),
                *[("ALIGN", (i, 1), (i, -1), "RIGHT") for i in numeric],
                ("BACKGROUND", (0, 0), (-1, 0), SHADE),
                ("GRID", (0, 0), (-1, -1), 0.4, RULE),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#F7F9FB")]),
            ]
        )
    )
    parts = [para(table.title, "table_title"), Spacer(1, 1.5 * mm)]
    if not table.rows:
        parts.append(para(_("None recorded."), "note"))
        return [KeepTogether(parts)]
    parts.append(grid)
    notes = [table.note] if table.note else []
    shown, total = len(rows), table.total if table.total is not None else len(table.rows)
    if shown < total:
        notes.append(
            _("%(shown)s of %(total)s rows shown; the workbook lists them all.") % {"shown": shown, "total": total}
        )
    if len(columns) < len(table.columns):
        notes.append(_("Empty and secondary columns are left out here; the workbook has them all."))
    if notes:
        parts += [Spacer(1, 1 * mm), para(" ".join(notes), "note")]
    # Short tables stay on one page with their title; long ones flow, their header repeated.
    return [KeepTogether(parts)] if len(rows) <= 15 else [KeepTogether(parts[:3]), *parts[3:]]


def short(text: str, size: int = 12) -> str:
    return text if len(text) <= size else text[: size - 1] + "…"


def axis_label(unit: str):
    def label(value) -> str:
        return f"{format_number(value, 0)}%" if unit == PERCENT else format_number(value, 0 if abs(value) >= 10 else 1)

    return label


def value_label(unit: str):
    def label(value) -> str:
        if value is None:
            return ""
        if unit == PERCENT:
            return f"{format_number(value, 2)}%"
        return format_number(value, 0 if unit in COUNT_UNITS or abs(value) >= 100 else 2)

    return label


def value_range(series: list[list[float | None]]) -> tuple[float, float]:
    numbers = [v for values in series for v in values if v is not None]
    low, high = min([0.0, *numbers]), max([0.0, *numbers])
    if low == high:
        high = low + 1
    pad = (high - low) * 0.15
    return (low - pad if low < 0 else 0.0), high + pad


def titled(chart: Chart, width: float, height: float) -> Drawing:
    drawing = Drawing(width, height)
    drawing.add(String(width / 2, height - 11, short(chart.title, 36), fontName=FONT, fontSize=9, textAnchor="middle"))
    return drawing


def legend_room(series: list) -> int:
    """Height kept below the plot for the legend of several series."""
    return 14 if len(series) > 1 else 0


def draw_pie(chart: Chart, categories: list[str], series: list, width: float, height: float) -> Drawing:
    """A pie of the first series, its legend giving each slice's share."""
    drawing = titled(chart, width, height)
    pie = Pie()
    pie.x, pie.y = 12, 14
    pie.width = pie.height = min(width * 0.45, height - 34)
    pairs = [(c, v, chart.color(i)) for i, (c, v) in enumerate(zip(categories, series[0][1], strict=True)) if v]
    pie.data = [v for _c, v, _colour in pairs]
    pie.labels = None
    pie.slices.strokeColor = colors.white
    for index, (_c, _v, colour) in enumerate(pairs):
        pie.slices[index].fillColor = colors.HexColor(colour)
    drawing.add(pie)
    total = sum(pie.data) or 1
    legend = Legend()
    legend.x, legend.y = pie.x + pie.width + 12, pie.y + pie.height
    legend.fontName, legend.fontSize = FONT, 7
    legend.alignment = "right"
    legend.columnMaximum = 12
    legend.colorNamePairs = [
        (colors.HexColor(colour), f"{short(c, 10)} {v / total * 100:.1f}%") for c, v, colour in pairs
    ]
    drawing.add(legend)
    return drawing


def draw_bar(chart: Chart, categories: list[str], series: list, width: float, height: float) -> Drawing:
    """Horizontal bars, the table's first row on top."""
    room = legend_room(series)
    # A few bars stay bars, not slabs: the drawing is only as tall as its categories need.
    height = min(height, 22.0 * len(categories) * len(series) + 50 + room)
    plot = HorizontalBarChart()
    plot.x, plot.y = 62, 16 + room
    plot.width, plot.height = width - 80, height - 40 - room
    # reportlab draws the first category at the bottom; reversed, the table's first row is on top.
    plot.data = [tuple(reversed(data)) for _name, data in series]
    plot.categoryAxis.categoryNames = [short(c, 9) for c in reversed(categories)]
    plot.categoryAxis.labels.boxAnchor = "e"
    colour_bars(plot, chart, categories, series)
    return plotted(chart, plot, series, width, height)


def draw_line(chart: Chart, categories: list[str], series: list, width: float, height: float) -> Drawing:
    """A line per series, each point marked."""
    room = legend_room(series)
    plot = HorizontalLineChart()
    plot.x, plot.y = 40, 24 + room
    plot.width, plot.height = width - 52, height - 48 - room
    plot.data = [tuple(data) for _name, data in series]
    plot.categoryAxis.categoryNames = [short(c, 6) for c in categories]
    plot.joinedLines = 1
    for index in range(len(series)):
        plot.lines[index].strokeColor = colors.HexColor(PALETTE[index % len(PALETTE)])
        plot.lines[index].strokeWidth = 1.5
        plot.lines[index].symbol = makeMarker("FilledCircle", size=3)
    slant_categories(plot, categories)
    return plotted(chart, plot, series, width, height)


def draw_column(chart: Chart, categories: list[str], series: list, width: float, height: float) -> Drawing:
    """Vertical bars, a group per category."""
    room = legend_room(series)
    plot = VerticalBarChart()
    plot.x, plot.y = 40, 24 + room
    plot.width, plot.height = width - 52, height - 48 - room
    plot.data = [tuple(data) for _name, data in series]
    plot.categoryAxis.categoryNames = [short(c, 6) for c in categories]
    slant_categories(plot, categories)
    colour_bars(plot, chart, categories, series)
    return plotted(chart, plot, series, width, height)


def slant_categories(plot, categories: list[str]) -> None:
    """Category labels under the plot, slanted where there are too many to stand side by side."""
    many = len(categories) > 6
    plot.categoryAxis.labels.angle = 30 if many else 0
    plot.categoryAxis.labels.boxAnchor = "ne" if many else "n"
    plot.categoryAxis.labels.dy = -2


def colour_bars(plot, chart: Chart, categories: list[str], series: list) -> None:
    """A colour per series; a single series of a few bars has its values printed on them."""
    for index in range(len(series)):
        plot.bars[index].fillColor = colors.HexColor(PALETTE[index % len(PALETTE)])
        plot.bars[index].strokeColor = None
    if chart.colors and len(series) == 1:  # one series over coloured categories: each bar in its colour
        # reportlab numbers a horizontal chart's categories bottom up (draw_bar reverses them).
        order = range(len(categories))[::-1] if isinstance(plot, HorizontalBarChart) else range(len(categories))
        for position, index in enumerate(order):
            plot.bars[(0, position)].fillColor = colors.HexColor(chart.color(index))
    if len(series) == 1 and len(categories) <= 12:
        plot.barLabelFormat = value_label(chart.unit)
        plot.barLabels.fontName = FONT
        plot.barLabels.fontSize = 6
        plot.barLabels.nudge = 6


def plotted(chart: Chart, plot, series: list, width: float, height: float) -> Drawing:
    """A bar, column or line plot with its value axis and grid, titled, with a legend where there are several
    series."""
    low, high = value_range([data for _name, data in series])
    plot.categoryAxis.labels.fontName = FONT
    plot.categoryAxis.labels.fontSize = 6.5
    plot.valueAxis.labels.fontName = FONT
    plot.valueAxis.labels.fontSize = 6.5
    plot.valueAxis.valueMin, plot.valueAxis.valueMax = low, high
    if chart.unit in COUNT_UNITS and high <= 6:
        plot.valueAxis.valueMax, plot.valueAxis.valueStep = math.ceil(high), 1  # counts have no halves
    plot.valueAxis.labelTextFormat = axis_label(chart.unit)
    plot.valueAxis.visibleGrid = True
    plot.valueAxis.gridStrokeColor = colors.HexColor("#E3E7ED")
    drawing = titled(chart, width, height)
    drawing.add(plot)
    if len(series) > 1:
        legend = Legend()
        legend.x, legend.y = 40, 10
        legend.fontName, legend.fontSize = FONT, 7
        legend.alignment = "right"
        legend.columnMaximum = 1
        legend.deltax = 58
        legend.colorNamePairs = [
            (colors.HexColor(PALETTE[i % len(PALETTE)]), short(name, 8)) for i, (name, _data) in enumerate(series)
        ]
        drawing.add(legend)
    return drawing


DRAWERS = {"pie": draw_pie, "bar": draw_bar, "line": draw_line, "column": draw_column}


def draw_chart(chart: Chart, table: ReportTable, width: float = CHART_WIDTH, height: float = CHART_HEIGHT) -> Drawing:
    """One chart as a vector drawing: column, bar, line or pie, titled, with a legend where there are several series."""
    register_font()
    categories, series = chart.points(table)
    drawing = DRAWERS[chart.kind](chart, categories, [(name, list(data)) for name, data in series], width, height)
    drawing.initialFontName = FONT  # reportlab's default (Helvetica) would otherwise join the PDF's fonts
    return drawing


def render_charts(section: Section, table: ReportTable) -> list:
    """The charts of one table, two to a row."""
    drawings = [draw_chart(chart, table) for chart in section.drawable_charts() if chart.table == table.key]
    if not drawings:
        return []
    rows = [drawings[i : i + 2] + [""] * (2 - len(drawings[i : i + 2])) for i in range(0, len(drawings), 2)]
    grid = PdfTable(rows, colWidths=[FRAME_WIDTH / 2] * 2, hAlign="LEFT")
    grid.setStyle(TableStyle([*EVERY_CELL, ("LEFTPADDING", (0, 0), (-1, -1), 0), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return [Spacer(1, 2 * mm), grid]


def story(report: Report) -> list:
    flow: list = [para(report.title, "title")]
    facts = PdfTable(
        [[para(str(name), "head"), para(report_cell_text(value), "cell")] for name, value in report.filters],
        colWidths=[30 * mm, FRAME_WIDTH - 30 * mm],
        hAlign="LEFT",
    )
    facts.setStyle(
        TableStyle([*EVERY_CELL, ("LINEBELOW", (0, 0), (-1, -1), 0.3, RULE), ("VALIGN", (0, 0), (-1, -1), "TOP")])
    )
    flow += [facts, Spacer(1, 4 * mm)]
    for section in report.sections:
        flow += [CondPageBreak(70 * mm), para(section.title, "heading")]
        flow += [para(text, "body") for text in section.paragraphs]
        # Each chart follows the table it draws.
        for table in section.tables:
            flow += render_table(table)
            flow += render_charts(section, table)
    return flow


def write_report_pdf(report: Report, target) -> None:
    """Write the PDF to `target`: a path or a binary file object."""
    register_font()
    document = SimpleDocTemplate(
        target,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=18 * mm,
        title=report.title,
        author=report.generated_by or report.zone,
        subject=report.scope,
        creator="ParkAdmin",
        # The pages' initial font is the Chinese one too (reportlab's default adds an unembedded Helvetica).
        initialFontName=FONT,
    )
    footer = f"{report.title}  |  {report_cell_text(report.generated_at)}"

    class Footer(NumberedCanvas):
        footer_left = footer

    document.build(story(report), canvasmaker=Footer)
