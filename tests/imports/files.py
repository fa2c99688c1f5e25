"""Spreadsheet files built in memory for the import tests: CSV in any encoding, XLSX, and hostile ones."""

from __future__ import annotations

import csv
import datetime
import io
import zipfile
from collections.abc import Iterable
from decimal import Decimal
from xml.sax.saxutils import escape

import openpyxl

from parkadmin.xlsxstream import column_letter


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


# Hostile workbooks, written part by part: what no spreadsheet program writes but a zip and some XML can say.

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
XML_DECLARATION = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
SHEET_START = XML_DECLARATION + f'<worksheet xmlns="{MAIN}"><sheetData>'.encode()
SHEET_END = b"</sheetData></worksheet>"


def raw_xlsx(sheet: bytes | Iterable[bytes], strings: bytes | Iterable[bytes] | None = None) -> bytes:
    """A workbook whose first sheet (and shared-strings table) is exactly the XML given, deflated at level 9: a
    repetitive part of hundreds of megabytes packs into a few hundred KB."""
    out = io.BytesIO()
    parts = {
        "[Content_Types].xml": XML_DECLARATION
        + b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        b'<Default Extension="xml" ContentType="application/xml"/>'
        b'<Override PartName="/xl/workbook.xml" '
        b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        b'<Override PartName="/xl/worksheets/sheet1.xml" '
        b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        + (
            b'<Override PartName="/xl/sharedStrings.xml" '
            b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
            if strings is not None
            else b""
        )
        + b"</Types>",
        "_rels/.rels": XML_DECLARATION
        + b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        + f'<Relationship Id="rId1" Type="{RELATIONSHIPS}/officeDocument" Target="xl/workbook.xml"/>'.encode()
        + b"</Relationships>",
        "xl/workbook.xml": XML_DECLARATION
        + f'<workbook xmlns="{MAIN}" xmlns:r="{RELATIONSHIPS}"><sheets>'.encode()
        + b'<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": XML_DECLARATION
        + b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        + f'<Relationship Id="rId1" Type="{RELATIONSHIPS}/worksheet" Target="worksheets/sheet1.xml"/>'.encode()
        + f'<Relationship Id="rId2" Type="{RELATIONSHIPS}/sharedStrings" Target="sharedStrings.xml"/>'.encode()
        + b"</Relationships>",
    }
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
        for name, content in (("xl/worksheets/sheet1.xml", sheet), ("xl/sharedStrings.xml", strings)):
            if content is None:
                continue
            with archive.open(name, "w", force_zip64=True) as entry:
                for piece in [content] if isinstance(content, bytes) else content:
                    entry.write(piece)
    return out.getvalue()


def inline_row(number: int, values: list[str]) -> bytes:
    cells = "".join(
        f'<c r="{column_letter(index)}{number}" t="inlineStr"><is><t>{escape(value)}</t></is></c>'
        for index, value in enumerate(values)
    )
    return f'<row r="{number}">{cells}</row>'.encode()


def blank_rows_bomb(rows: int = 5_000_000) -> bytes:
    """A header, then row after row of one empty styled cell (numbered by their order): a few hundred KB packed."""

    def sheet():
        yield SHEET_START + inline_row(1, ["企业名称", "园区"])
        for start in range(0, rows, 100_000):
            yield b'<row><c s="1"/></row>' * min(100_000, rows - start)
        yield SHEET_END

    return raw_xlsx(sheet())


def shared_strings_bomb(count: int = 1_000_000) -> bytes:
    """A table of `count` shared strings (a sheet using none of them): short ones, packing to a few hundred KB."""

    def strings():
        yield XML_DECLARATION + f'<sst xmlns="{MAIN}" count="{count}" uniqueCount="{count}">'.encode()
        for start in range(0, count, 10_000):
            yield b"".join(b"<si><t>%d</t></si>" % (n % 1000) for n in range(start, min(start + 10_000, count)))
        yield b"</sst>"

    return raw_xlsx(SHEET_START + inline_row(1, ["企业名称", "园区"]) + SHEET_END, strings())


def long_shared_strings(count: int = 1_000, length: int = 30_000) -> bytes:
    """`count` shared strings each just under the bound for a cell, adding up to more than all strings may."""
    strings = XML_DECLARATION + f'<sst xmlns="{MAIN}">'.encode()
    strings += b"".join(b"<si><t>%d%s</t></si>" % (n, b"x" * length) for n in range(count)) + b"</sst>"
    return raw_xlsx(SHEET_START + inline_row(1, ["企业名称", "园区"]) + SHEET_END, strings)


def billion_laughs(levels: int = 10) -> bytes:
    """The classic entity bomb in the shared strings: ten levels of ten references, 10^10 'lol's once expanded."""
    entities = '<!ENTITY lol0 "lol">' + "".join(
        f'<!ENTITY lol{level} "{f"&lol{level - 1};" * 10}">' for level in range(1, levels)
    )
    strings = XML_DECLARATION + f'<!DOCTYPE sst [{entities}]><sst xmlns="{MAIN}">'.encode()
    strings += f"<si><t>&lol{levels - 1};</t></si></sst>".encode()
    sheet = SHEET_START + inline_row(1, ["企业名称", "园区"]) + b'<row r="2"><c r="A2" t="s"><v>0</v></c></row>'
    return raw_xlsx(sheet + SHEET_END, strings)


def quadratic_blowup(size: int = 40_000, references: int = 40_000) -> bytes:
    """One entity of `size` characters referred to `references` times in a cell of the sheet: under expat's
    amplification limit per reference, gigabytes in all."""
    declaration = f'<!DOCTYPE worksheet [<!ENTITY a "{"A" * size}">]>'.encode()
    sheet = XML_DECLARATION + declaration + f'<worksheet xmlns="{MAIN}"><sheetData>'.encode()
    sheet += inline_row(1, ["企业名称", "园区"])
    sheet += b'<row r="2"><c r="A2" t="inlineStr"><is><t>' + b"&a;" * references + b"</t></is></c></row>"
    return raw_xlsx(sheet + SHEET_END)


def reused_huge_string(length: int = 1_000_000, rows: int = 1_000) -> bytes:
    """One shared string of `length` characters, used as the year (年份) of `rows` enterprise years."""
    strings = XML_DECLARATION + f'<sst xmlns="{MAIN}"><si><t>'.encode() + b"x" * length + b"</t></si></sst>"
    body = b"".join(
        b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>91431200MA000000%dP</t></is></c>'
        b'<c r="B%d" t="s"><v>0</v></c></row>' % (n, n, n % 10, n)
        for n in range(2, rows + 2)
    )
    return raw_xlsx(SHEET_START + inline_row(1, ["企业", "年份"]) + body + SHEET_END, strings)


def wide_row(cells: int = 1_000_000) -> bytes:
    """A header, then one row of `cells` empty cells."""
    row = b'<row r="2">' + b"<c/>" * cells + b"</row>"
    return raw_xlsx(SHEET_START + inline_row(1, ["企业名称", "园区"]) + row + SHEET_END)


def deep_nesting(depth: int = 5_000_000) -> bytes:
    """Elements nested millions deep inside a cell: expat keeps every open one."""
    sheet = SHEET_START + inline_row(1, ["企业名称", "园区"]) + b'<row r="2"><c r="A2">' + b"<x>" * depth
    return raw_xlsx(sheet + b"</x>" * depth + b"</c></row>" + SHEET_END)


def late_instruction(rows: int = 5_000, length: int = 150_000_000) -> bytes:
    """Ordinary rows, then a processing instruction of `length` bytes: expat holds a whole one before it reports it."""
    body = b"".join(inline_row(n, [f"怀化{n}号科技有限公司", "core"]) for n in range(2, rows + 2))
    start = SHEET_START + inline_row(1, ["企业名称", "园区"]) + body + b"<?x "
    return raw_xlsx([start] + [b"<" * 1_000_000] * (length // 1_000_000) + [b"?>" + SHEET_END])


def long_attribute(length: int = 150_000_000) -> bytes:
    """A cell whose style attribute runs to `length` bytes: expat holds a whole tag before it reports it."""
    return raw_xlsx(
        [SHEET_START + inline_row(1, ["企业名称", "园区"]) + b'<row r="2"><c r="A2" s="']
        + [b"1" * 1_000_000] * (length // 1_000_000)
        + [b'"/></row>' + SHEET_END]
    )
