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

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header

from parkadmin import xlsxstream
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
    """Rows of export values; the queryset is read in chunks so memory stays flat. Where every column is a plain
    field, rows are read as tuples (no model instances); the primary key keeps identical rows apart."""
    paths = table.row_paths(queryset)
    if paths is None:
        for obj in queryset.iterator(chunk_size=CHUNK_SIZE):
            yield [cell_value(value) for value in table.values(obj)]
        return
    labels = [labels for _path, labels in paths]
    for _pk, *row in queryset.values_list("pk", *(path for path, _labels in paths)).iterator(chunk_size=CHUNK_SIZE):
        yield [
            cell_value(value if names is None else names.get(value, value))
            for value, names in zip(row, labels, strict=True)
        ]


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
    if type(value) is str:
        return value
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

    Rows are written as they come (flat memory); text is stored as text, never read as a formula or a link.
    """
    widths = [max(10, min(40, len(header.encode("utf-8")) + 2)) for header in headers]
    return xlsxstream.write_sheet(
        target,
        [neutralise(header) for header in headers],
        (_xlsx_row(row) for row in rows),
        [kind == MONEY for kind in kinds],
        sheet_name=sheet_name,
        widths=widths,
    )


def _xlsx_row(row: list) -> list:
    """A row as export_rows gives it, with aware datetimes in local time (a spreadsheet has no time zones)."""
    return [
        timezone.localtime(value).replace(tzinfo=None)
        if isinstance(value, datetime.datetime) and timezone.is_aware(value)
        else value
        for value in row
    ]


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
