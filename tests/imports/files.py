"""Spreadsheet files built in memory for the import tests: CSV in any encoding, XLSX, and hostile ones."""

from __future__ import annotations

import csv
import datetime
import io
import zipfile
from decimal import Decimal

import openpyxl


def csv_bytes(headers: list[str], rows: list[list], *, encoding: str = "utf-8-sig", delimiter: str = ",") -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(headers)
    for row in rows:
        writer.writerow(["" if value is None else value for value in row])
    return out.getvalue().encode(encoding)


def xlsx_bytes(headers: list[str], rows: list[list]) -> bytes:
    """A workbook as Excel writes one: numbers as numbers, dates as dates, text as (shared) strings."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append([_typed(value) for value in row])
    for cells in sheet.iter_rows():
        for cell in cells:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # text that looks like a formula, as Excel keeps a cell typed with a leading '
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _typed(value):
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, Decimal):
        return float(value)
    return value


def zip_bomb(uncompressed_mb: int = 300) -> bytes:
    """An XLSX-like zip whose one sheet unpacks to `uncompressed_mb` of the same byte: a few hundred KB packed."""
    out = io.BytesIO()
    chunk = b"0" * (1024 * 1024)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as entry:
            for _ in range(uncompressed_mb):
                entry.write(chunk)
    return out.getvalue()


def many_entries_zip(count: int) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for index in range(count):
            archive.writestr(f"xl/part{index}.xml", "")
    return out.getvalue()


def named(data: bytes, name: str) -> io.BytesIO:
    handle = io.BytesIO(data)
    handle.name = name
    return handle
