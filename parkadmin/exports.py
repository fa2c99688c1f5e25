"""The one export writer: CSV and XLSX from a Table and a queryset, streamed with flat memory.

XLSX cells are typed: text is written exactly as it is, as a string cell, which no spreadsheet runs as a formula.
CSV has no types, so a CSV text cell a spreadsheet would read as a formula gets a leading `'` (`csv_safe`, the one
guard of every CSV writer). Numbers stay numbers (a negative number too), dates stay dates.
"""

from __future__ import annotations

import csv
import datetime
import tempfile
import unicodedata
from collections.abc import Iterable, Iterator
from decimal import Decimal

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header

from parkadmin import xlsxstream
from parkadmin.tables import MONEY, Table

# What a spreadsheet may read as the start of a formula: OWASP's CSV injection list, and the full-width forms a
# Chinese input method types (a spreadsheet may take them for the ASCII ones).
FORMULA_STARTS = frozenset("=+-@\uff1d\uff0b\uff0d\uff20")
# Cells starting with these are prefixed whatever follows: spreadsheets strip them (or split cells on them) and read
# what comes next.
CONTROL_STARTS = frozenset("\t\r\n\x00")
CHUNK_SIZE = 2000
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def csv_safe(text: str) -> str:
    """A CSV text cell a spreadsheet cannot run: '=1+1' -> "'=1+1"; also behind leading blanks or a BOM
    ("\\ufeff=1+1", "  +1"), in full width ("\\uff1d1+1") and when it starts with a tab, CR, LF or NUL. Other text
    is left exactly as it is."""
    if not text:
        return text
    if text[0] in CONTROL_STARTS:
        return "'" + text
    for char in text:
        if char in FORMULA_STARTS:
            return "'" + text
        # Blanks and invisible marks (a BOM, a zero-width space) are skipped: what follows them is what counts.
        if not (char.isspace() or unicodedata.category(char) == "Cf"):
            return text
    return text


def cell_value(value):
    """A value as an export writes it: numbers and dates typed, everything else text exactly as it is."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int | float | Decimal | datetime.date):
        return value
    return str(value)


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
    yield writer.writerow([csv_safe(h) for h in headers])
    for row in rows:
        yield writer.writerow([_csv_text(value) for value in row])


def _csv_text(value) -> str:
    """Text through the formula guard; numbers and dates as they read (a negative number stays a number)."""
    if isinstance(value, str):
        return csv_safe(value)
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

    Rows are written as they come (flat memory); text is stored exactly as it is, as text, never read as a formula
    or a link.
    """
    widths = [max(10, min(40, len(header.encode("utf-8")) + 2)) for header in headers]
    return xlsxstream.write_sheet(
        target,
        list(headers),
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
    kinds = [column.kind for column in table.columns]
    return rows_xlsx_response(table.headers(), export_rows(table, queryset), kinds, filename)


def rows_xlsx_response(headers: list[str], rows: Iterable[list], kinds: list[str], filename: str) -> FileResponse:
    """One sheet of rows (values as `cell_value` gives them; `kinds` as a Table's columns name them) as a download:
    a page that is not a list (a scoreboard) exports through here."""
    # XLSX is a zip whose index comes last, so it cannot be streamed as it is made: it is built in a temporary
    # file (flat memory) and that file is streamed.
    spool = tempfile.TemporaryFile()
    write_xlsx(spool, headers, ([cell_value(value) for value in row] for row in rows), kinds, sheet_name=filename)
    spool.seek(0)
    return FileResponse(spool, as_attachment=True, filename=f"{filename}.xlsx", content_type=XLSX_CONTENT_TYPE)


def export_filename(stem: str) -> str:
    return f"{stem}-{timezone.localdate().isoformat()}"
