"""Reading an uploaded file into a table: the first sheet of an XLSX workbook (its zip checked before anything is
unpacked, its XML read as a stream within bounds: see xlsx.py) or a CSV file (UTF-8 with or without BOM, GB18030 or
UTF-16), within the size, row and cell limits of the settings."""

from __future__ import annotations

import contextlib
import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from parkadmin.imports import limits
from parkadmin.imports.xlsx import (
    Bounds,
    WorkbookError,
    cell_too_long,
    read_first_sheet,
    too_many_cells,
    too_many_rows,
    too_wide,
)

XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary .xls (and .doc) container


class ImportFileError(Exception):
    """The file cannot be read as a table at all: one line saying why (no row numbers apply)."""


@dataclass
class Sheet:
    """A table as read from a file: its header and its non-blank rows as (row number, cells)."""

    headers: list[str]
    rows: list[tuple[int, list[Any]]]


def megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f}".removesuffix(".0")


def read_sheet(file, *, name: str = "", limit_bytes: int | None = None, limit_rows: int | None = None) -> Sheet:
    """Read the first sheet of an XLSX file, or a CSV file, from a binary file object (or a path).

    Raises ImportFileError with a one-line reason for anything that is not a readable spreadsheet within the limits.
    """
    limit_bytes = limits.max_bytes() if limit_bytes is None else limit_bytes
    limit_rows = limits.max_rows() if limit_rows is None else limit_rows
    with contextlib.ExitStack() as stack:
        if isinstance(file, str | bytes) or hasattr(file, "__fspath__"):
            file = stack.enter_context(open(file, "rb"))
        file.seek(0, io.SEEK_END)
        size = file.tell()
        file.seek(0)
        if size > limit_bytes:
            raise ImportFileError(
                _("The file is %(size)s MB; files of at most %(limit)s MB can be imported: split it into smaller ones.")
                % {"size": megabytes(size), "limit": megabytes(limit_bytes)}
            )
        if size == 0:
            raise ImportFileError(_("The file is empty."))
        start = file.read(8)
        file.seek(0)
        if start.startswith(OLE_MAGIC):
            raise ImportFileError(
                _("This is an old Excel .xls file (or another Office file): save it as .xlsx or CSV and import that.")
            )
        if not start.startswith(XLSX_MAGIC) and name.lower().endswith((".xlsx", ".xlsm")):
            raise ImportFileError(_("The file is named .xlsx but is not an Excel workbook."))
        bounds = Bounds.from_settings()
        try:
            if start.startswith(XLSX_MAGIC):
                headers, rows = _read_xlsx(file, bounds)
            else:
                headers, rows = _read_csv(file.read(), bounds)
            return _collect(headers, rows, limit_rows)
        except WorkbookError as error:
            # A bound passed (or a damaged workbook), found while parsing: its one-line reason.
            raise ImportFileError(str(error)) from error


def _collect(headers: list[Any], rows: Iterator[tuple[int, list[Any]]], limit_rows: int) -> Sheet:
    # As wide as an XLSX header is read: every row kept is padded to this width.
    headers = [_header_text(h) for h in headers[: limits.MAX_COLUMNS]]
    while headers and not headers[-1]:
        headers.pop()
    if not headers:
        raise ImportFileError(_("The first row (the header naming the columns) is empty."))
    width = len(headers)
    kept: list[tuple[int, list[Any]]] = []
    for number, cells in rows:
        cells = list(cells[:width]) + [None] * (width - len(cells))
        if all(is_blank(cell) for cell in cells):
            continue
        if len(kept) >= limit_rows:
            raise ImportFileError(
                _("The file has more than %(limit)s rows; import at most %(limit)s rows at a time.")
                % {"limit": f"{limit_rows:,}"}
            )
        kept.append((number, cells))
    return Sheet(headers, kept)


def _header_text(value) -> str:
    return "" if value is None else str(value).strip()


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def check_zip(file) -> zipfile.ZipFile:
    """Open an XLSX as a zip after checking, from its directory alone, that unpacking it stays within the limits:
    a zip bomb is refused before anything is decompressed."""
    try:
        archive = zipfile.ZipFile(file)
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise ImportFileError(_("The file is not a readable Excel workbook (a damaged .xlsx file?).")) from error
    entries = archive.infolist()
    if len(entries) > settings.IMPORT_MAX_ZIP_ENTRIES:
        raise ImportFileError(
            _("The workbook holds %(count)s parts, more than the %(limit)s allowed: it is not a plain spreadsheet.")
            % {"count": len(entries), "limit": settings.IMPORT_MAX_ZIP_ENTRIES}
        )
    unpacked = sum(entry.file_size for entry in entries)
    if unpacked > settings.IMPORT_MAX_UNCOMPRESSED_BYTES:
        raise ImportFileError(
            _("The workbook would unpack to %(size)s MB, more than the %(limit)s MB allowed.")
            % {"size": megabytes(unpacked), "limit": megabytes(settings.IMPORT_MAX_UNCOMPRESSED_BYTES)}
        )
    return archive


def _read_xlsx(file, bounds: Bounds) -> tuple[list[Any], Iterator[tuple[int, list[Any]]]]:
    archive = check_zip(file)

    def damaged_after(row: int) -> WorkbookError:
        return WorkbookError(
            _("The workbook could not be read past row %(row)s (a damaged .xlsx file?).") % {"row": row}
        )

    return read_first_sheet(archive, bounds, damaged_after)


def decode_text(data: bytes) -> str:
    """CSV bytes as text: UTF-8 (with or without BOM) first, then GB18030 (what Chinese Excel writes), or UTF-16
    with its BOM (Excel's "Unicode text")."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings = ["utf-16"]
    else:
        encodings = ["utf-8-sig", "gb18030"]
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _looks_like_text(text):
            return text
        break
    raise ImportFileError(_("The file is neither an Excel workbook (.xlsx) nor a CSV text file."))


def _looks_like_text(text: str) -> bool:
    """Binary files sometimes decode as GB18030; real CSV text has no NULs and hardly any control characters."""
    if "\x00" in text:
        return False
    sample = text[:20000]
    controls = sum(1 for char in sample if ord(char) < 32 and char not in "\t\r\n")
    return controls <= len(sample) // 100


def _read_csv(data: bytes, bounds: Bounds) -> tuple[list[Any], Iterator[tuple[int, list[Any]]]]:
    text = decode_text(data)
    # The csv module's own bound on a field (process-wide, 128 KB unless raised): at least one character above
    # ours, so that a longer cell gets our message, with its row, from the check below.
    if csv.field_size_limit() <= bounds.cell_chars:
        csv.field_size_limit(bounds.cell_chars + 1)
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count) if first_line else ","
    if first_line.count(delimiter) == 0:
        delimiter = ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    number, cells = 1, 0

    def bounded(row: list[str]) -> list[str]:
        nonlocal cells
        if number > bounds.sheet_rows:
            raise too_many_rows(bounds)
        if len(row) > bounds.row_cells:
            raise too_wide(bounds, number)
        cells += len(row)
        if cells > bounds.cells:
            raise too_many_cells(bounds)
        if any(len(cell) > bounds.cell_chars for cell in row):
            raise cell_too_long(bounds, number)
        return row

    def refusal(error: csv.Error) -> ImportFileError:
        if str(error).startswith("field larger than field limit"):
            return ImportFileError(str(cell_too_long(bounds, number)))
        return ImportFileError(_("The CSV file cannot be read: %(error)s.") % {"error": error})

    try:
        headers = bounded(next(reader, []))
    except csv.Error as error:
        raise refusal(error) from error

    def rows() -> Iterator[tuple[int, list[Any]]]:
        nonlocal number
        try:
            for number, row in enumerate(reader, start=2):
                yield number, bounded(row)
        except csv.Error as error:
            number += 1  # the row that could not be read
            raise refusal(error) from error

    return headers, rows()
