"""The one export writer: CSV and XLSX from a Table and a queryset, streamed with flat memory.

Text that a spreadsheet would run as a formula (starting with = + - @ tab or carriage return) is prefixed with `'`;
numbers stay numbers, dates stay dates.
"""

from __future__ import annotations

import csv
import datetime
import tempfile
from collections.abc import Iterable, Iterator
from decimal import Decimal

import xlsxwriter
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header

from parkadmin.tables import MONEY, Table

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
CHUNK_SIZE = 2000
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def neutralise(text: str) -> str:
    """Make text inert in a spreadsheet: '=1+1' -> "'=1+1"."""
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def cell_value(value):
    """A value as an export writes it: numbers and dates typed, everything else neutralised text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int | float | Decimal | datetime.date):
        return value
    return neutralise(str(value))


def export_rows(table: Table, queryset) -> Iterator[list]:
    """Rows of export values; the queryset is read in chunks so memory stays flat."""
    for obj in queryset.iterator(chunk_size=CHUNK_SIZE):
        yield [cell_value(value) for value in table.values(obj)]


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(headers: list[str], rows: Iterable[list]) -> Iterator[str]:
    """UTF-8 CSV with a BOM first, so Excel opens Chinese text correctly."""
    writer = csv.writer(_Echo())
    yield "\ufeff"
    yield writer.writerow([neutralise(h) for h in headers])
    for row in rows:
        yield writer.writerow([_csv_text(value) for value in row])


def _csv_text(value) -> str:
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if timezone.is_aware(value) else str(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def csv_response(table: Table, queryset, filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        (line.encode("utf-8") for line in csv_lines(table.headers(), export_rows(table, queryset))),
        content_type=CSV_CONTENT_TYPE,
    )
    response["Content-Disposition"] = content_disposition_header(True, f"{filename}.csv")
    return response


def write_xlsx(target, headers: list[str], rows: Iterable[list], kinds: list[str], sheet_name: str = "Sheet1") -> int:
    """Write one sheet to `target` (a path or a binary file); returns the number of data rows.

    constant_memory mode flushes each row as it is written; strings are never read as formulas or links.
    """
    workbook = xlsxwriter.Workbook(
        target, {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    sheet = workbook.add_worksheet(sheet_name[:31])
    bold = workbook.add_format({"bold": True, "bg_color": "#E9EEF5", "border": 1})
    money = workbook.add_format({"num_format": "#,##0.00"})
    day = workbook.add_format({"num_format": "yyyy-mm-dd"})
    moment = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    for col, header in enumerate(headers):
        sheet.write_string(0, col, neutralise(header), bold)
        sheet.set_column(col, col, max(10, min(40, len(header.encode("utf-8")) + 2)))
    sheet.freeze_panes(1, 0)
    count = 0
    for count, row in enumerate(rows, start=1):
        for col, value in enumerate(row):
            if isinstance(value, bool) or value == "":
                sheet.write_string(count, col, cell_value(value) if value != "" else "")
            elif isinstance(value, datetime.datetime):
                naive = timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
                sheet.write_datetime(count, col, naive, moment)
            elif isinstance(value, datetime.date):
                sheet.write_datetime(count, col, datetime.datetime.combine(value, datetime.time()), day)
            elif isinstance(value, int | float | Decimal):
                sheet.write_number(count, col, float(value), money if kinds[col] == MONEY else None)
            else:
                sheet.write_string(count, col, str(value))
    if count:
        sheet.autofilter(0, 0, count, len(headers) - 1)
    workbook.close()
    return count


def xlsx_response(table: Table, queryset, filename: str) -> FileResponse:
    # XLSX is a zip whose index comes last, so it cannot be streamed as it is made: it is built in a temporary
    # file (flat memory) and that file is streamed.
    spool = tempfile.TemporaryFile()
    kinds = [column.kind for column in table.columns]
    write_xlsx(spool, table.headers(), export_rows(table, queryset), kinds, sheet_name=filename)
    spool.seek(0)
    return FileResponse(spool, as_attachment=True, filename=f"{filename}.xlsx", content_type=XLSX_CONTENT_TYPE)


def export_filename(stem: str) -> str:
    return f"{stem}-{timezone.localdate().isoformat()}"
