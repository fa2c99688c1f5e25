"""The annual report as an Excel workbook: a sheet per area, native Excel charts, amounts as numbers in 万元/亿元/%.

Every sheet opens with the report's title, its filters and the time it was generated. Text is written exactly as it
is with `write_string` (a string cell, which never runs as a formula), in a workbook opened with `strings_to_formulas`
off; chart titles are kept as text even when they look like a cell reference.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import xlsxwriter
from django.utils import timezone

from parkadmin.formatting import PALETTE
from reports.content import PERCENT, RANK_UNIT, Amount, Chart, Report, ReportTable, Section, report_cell_text

CHART_KINDS = {"column": "column", "bar": "bar", "line": "line", "pie": "pie"}
CHART_ROWS = 16  # rows a chart takes (288 px at 20 px a row), plus a gap
PARAGRAPH_COLUMNS = 8


def number_format(unit: str, decimals: int, signed: bool = False) -> str:
    """Excel's number format for an amount: '#,##0.00"亿元"', '0.00%', '"第"0"位"'."""
    digits = "0" + ("." + "0" * decimals if decimals else "")
    if unit == PERCENT:
        return f"+{digits}%;-{digits}%;{digits}%" if signed else f"{digits}%"
    # A unit is an administrator's text: quotes and backslashes would break out of the literal.
    literal = unit.replace('"', "").replace("\\", "")
    if unit == RANK_UNIT:
        return f'"第"0"{literal}"'
    grouped = "#,##" + digits
    return f'{grouped}"{literal}"' if literal else grouped


def display_width(text: str) -> int:
    """Columns a text needs: Chinese characters are about two wide."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


class ReportWorkbook:
    def __init__(self, report: Report, target):
        self.report = report
        self.workbook = xlsxwriter.Workbook(
            target,
            # A report is small: built in memory, it needs no temporary file per part of the zip.
            {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False, "in_memory": True},
        )
        self.workbook.set_properties(
            {
                "title": report.title,
                "subject": report.scope,
                "created": report.generated_at.replace(tzinfo=None),
            }
        )
        self._formats: dict[tuple, object] = {}

    def fmt(self, **props):
        key = tuple(sorted(props.items()))
        if key not in self._formats:
            self._formats[key] = self.workbook.add_format({"font_name": "Microsoft YaHei", "font_size": 10, **props})
        return self._formats[key]

    def cell_format(self, value, wrap: bool = False):
        props = {"border": 1, "border_color": "#C8D0DA", "valign": "top"}
        if isinstance(value, Amount):
            props["num_format"] = number_format(value.unit, value.decimals, value.signed)
        elif isinstance(value, int) and not isinstance(value, bool):
            props["num_format"] = "#,##0"
        elif isinstance(value, datetime.datetime):
            props["num_format"] = "yyyy-mm-dd hh:mm"
        elif isinstance(value, datetime.date):
            props["num_format"] = "yyyy-mm-dd"
        if wrap:
            props["text_wrap"] = True
        return self.fmt(**props)

    def write_cell(self, sheet, row: int, col: int, value, cell_format) -> None:
        """Numbers as numbers, dates as dates, everything else as inert text."""
        if isinstance(value, Amount):
            if value.value is None:
                sheet.write_blank(row, col, None, cell_format)
            elif value.unit == PERCENT:
                sheet.write_number(row, col, float(Decimal(value.value) / 100), cell_format)
            else:
                sheet.write_number(row, col, float(value.value), cell_format)
        elif value is None or value == "":
            sheet.write_blank(row, col, None, cell_format)
        elif isinstance(value, bool):
            sheet.write_string(row, col, report_cell_text(value), cell_format)
        elif isinstance(value, int | float | Decimal):
            sheet.write_number(row, col, float(value), cell_format)
        elif isinstance(value, datetime.datetime):
            local = timezone.localtime(value) if timezone.is_aware(value) else value
            sheet.write_datetime(row, col, local.replace(tzinfo=None), cell_format)
        elif isinstance(value, datetime.date):
            sheet.write_datetime(row, col, datetime.datetime.combine(value, datetime.time()), cell_format)
        else:
            sheet.write_string(row, col, str(value), cell_format)

    def write(self) -> None:
        for section in self.report.sections:
            self.write_section(section)
        self.workbook.close()

    def write_header(self, sheet, section: Section) -> int:
        sheet.write_string(0, 0, f"{self.report.title} · {section.title}", self.fmt(bold=True, font_size=14))
        label = self.fmt(bold=True, font_color="#555555")
        row = 1
        for name, value in self.report.filters:
            sheet.write_string(row, 0, str(name), label)
            self.write_cell(sheet, row, 1, value, self.cell_format(value) if not isinstance(value, str) else None)
            row += 1
        return row + 1

    def write_section(self, section: Section) -> None:
        sheet = self.workbook.add_worksheet(section.sheet)
        sheet.hide_gridlines(2)
        sheet.set_paper(9)  # A4
        sheet.fit_to_pages(1, 0)
        sheet.set_footer("&C&P / &N")
        widths = self.column_widths(section)
        for col, width in widths.items():
            sheet.set_column(col, col, width)
        row = self.write_header(sheet, section)

        wrap = self.fmt(text_wrap=True, valign="top")
        span = sum(widths.get(c, 10) for c in range(PARAGRAPH_COLUMNS))
        for paragraph in section.paragraphs:
            sheet.merge_range(row, 0, row, PARAGRAPH_COLUMNS - 1, "", wrap)
            sheet.write_string(row, 0, paragraph, wrap)
            lines = max(1, -(-display_width(paragraph) // max(1, int(span * 0.95))))
            sheet.set_row(row, 15 * lines)
            row += 1
        if section.paragraphs:
            row += 1

        places: dict[str, tuple[int, int, int]] = {}
        for table in section.tables:
            row = self.write_table(sheet, row, table, places)

        chart_col = max((len(t.columns) for t in section.tables), default=PARAGRAPH_COLUMNS)
        chart_col = max(chart_col, PARAGRAPH_COLUMNS if section.paragraphs else 0) + 1
        chart_row = 1
        for chart in section.drawable_charts():
            self.insert_chart(sheet, section, chart, places, chart_row, chart_col)
            chart_row += CHART_ROWS

    def column_widths(self, section: Section) -> dict[int, float]:
        widths: dict[int, int] = {0: max(display_width(str(name)) for name, _v in self.report.filters) + 2}
        for table in section.tables:
            for col, header in enumerate(table.columns):
                needed = [display_width(header)] + [display_width(report_cell_text(r[col])) for r in table.rows[:200]]
                limit = 60 if col in table.wide else 28
                widths[col] = max(widths.get(col, 8), min(limit, max(needed) + 2))
        widths[1] = max(widths.get(1, 8), 18)  # the generation time
        return widths

    def write_table(self, sheet, row: int, table: ReportTable, places: dict) -> int:
        sheet.write_string(row, 0, table.title, self.fmt(bold=True, font_size=12, font_color="#0B4F8A"))
        row += 1
        header = self.fmt(bold=True, bg_color="#E9EEF5", border=1, border_color="#C8D0DA", text_wrap=True)
        for col, name in enumerate(table.columns):
            sheet.write_string(row, col, name, header)
        header_row, first = row, row + 1
        for values in table.rows:
            row += 1
            for col, value in enumerate(values):
                self.write_cell(sheet, row, col, value, self.cell_format(value, wrap=col in table.wide))
        places[table.key] = (header_row, first, row)
        row += 1
        note = table.note
        if table.capped:
            shown = f"（{len(table.rows)} / {table.total}）"
            note = f"{note} {shown}".strip()
        if note:
            sheet.write_string(row, 0, note, self.fmt(italic=True, font_color="#777777"))
            row += 1
        return row + 1

    def insert_chart(self, sheet, section: Section, chart: Chart, places: dict, row: int, col: int) -> None:
        header_row, first, last = places[chart.table]
        if last < first:
            return
        name = section.sheet
        figure = self.workbook.add_chart({"type": CHART_KINDS[chart.kind]})
        for index, value_col in enumerate(chart.values):
            series = {
                "name": [name, header_row, value_col],
                "categories": [name, first, chart.category, last, chart.category],
                "values": [name, first, value_col, last, value_col],
            }
            if chart.kind == "pie":
                series["data_labels"] = {"percentage": True, "leader_lines": True}
                series["points"] = [{"fill": {"color": chart.color(i)}} for i in range(last - first + 1)]
            elif chart.kind == "line":
                series["marker"] = {"type": "circle", "size": 5}
                series["line"] = {"color": PALETTE[index % len(PALETTE)], "width": 2}
            elif chart.colors and len(chart.values) == 1:  # one series over coloured categories
                series["points"] = [{"fill": {"color": chart.color(i)}} for i in range(last - first + 1)]
            else:
                series["fill"] = {"color": PALETTE[index % len(PALETTE)]}
                series["data_labels"] = {"value": True} if len(chart.values) == 1 else {}
            figure.add_series(series)
        figure.set_title({"name_font": {"size": 11, "bold": True}})
        # Given to set_title, a title that looks like a cell reference ("概览!A1") would be taken for one: it is text.
        figure.title.name = chart.title
        if chart.kind != "pie":
            axis = {"num_format": "0%" if chart.unit == PERCENT else "#,##0", "major_gridlines": {"visible": True}}
            if chart.kind == "bar":
                figure.set_x_axis(axis)
                figure.set_y_axis({"reverse": True})
            else:
                figure.set_y_axis(axis)
        if len(chart.values) == 1 and chart.kind != "pie":
            figure.set_legend({"none": True})
        else:
            figure.set_legend({"position": "bottom"})
        figure.set_size({"width": 520, "height": 300})
        sheet.insert_chart(row, col, figure)


def write_report_xlsx(report: Report, target) -> None:
    """Write the workbook to `target`: a path or a binary file object."""
    ReportWorkbook(report, target).write()
