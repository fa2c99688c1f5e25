"""A streaming XLSX writer for list exports: one sheet of typed cells, written row by row into the zip.

A general-purpose library spends tens of microseconds on every cell; an export of half a million yearly figures
has five million cells. This writer does only what a list export needs — text (inline strings, exactly as written,
so never a formula), numbers, dates, a bold header, number formats, column widths, a frozen header row and an
autofilter — at a few microseconds a cell, with memory that does not grow with the rows.
"""

from __future__ import annotations

import datetime
import math
import re
import zipfile
from collections.abc import Iterable
from decimal import Decimal
from xml.sax.saxutils import escape

MAX_ROWS = 1_048_576
MAX_TEXT = 32_767
ROWS_PER_WRITE = 500
EPOCH = datetime.datetime(1899, 12, 30)  # Excel's day 0, with its 1900 leap-year quirk folded in
INVALID_SHEET_CHARACTERS = re.compile(r"[\[\]:*?/\\]")
# Excel reads `_xHHHH_` in a text as the character U+HHHH, so (as XlsxWriter does) control characters, which XML 1.0
# cannot hold, are written that way (a carriage return too: XML would read it as a line feed), and the underscore
# that starts a literal `_xHHHH_` is written `_x005F_`, so the text reads back as it was. Unlike XlsxWriter, an
# underscore is escaped too when the `_` closing its `_xHHHH` is shared with the next sequence (`_x0041_x0042_`) or
# comes from an escaped control character (`_x0041` then U+0001), as Excel decodes left to right.
_UNWRITABLE = "\x00-\x08\x0b-\x1f\ufffe\uffff"
CONTROL = re.compile(f"_(?=x[0-9A-Fa-f]{{4}}[_{_UNWRITABLE}])|[{_UNWRITABLE}]")

# Cell styles (indices into cellXfs below).
PLAIN, HEADER, MONEY_STYLE, DATE_STYLE, DATETIME_STYLE = 0, 1, 2, 3, 4

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/>'
    "</Relationships>"
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
    "</Relationships>"
)
STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/>'
    '<numFmt numFmtId="165" formatCode="yyyy-mm-dd hh:mm"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
    '<fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>'
    '<fill><patternFill patternType="solid"><fgColor rgb="FFE9EEF5"/><bgColor indexed="64"/></patternFill></fill>'
    "</fills>"
    '<borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border>'
    '<border><left style="thin"><color auto="1"/></left><right style="thin"><color auto="1"/></right>'
    '<top style="thin"><color auto="1"/></top><bottom style="thin"><color auto="1"/></bottom><diagonal/></border>'
    "</borders>"
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="5">'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="2" borderId="1" xfId="0" applyFont="1" applyFill="1" applyBorder="1"/>'
    '<xf numFmtId="4" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    "</cellXfs>"
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _escape_character(match: re.Match) -> str:
    return f"_x{ord(match.group()):04X}_"


def _text(value: str) -> str:
    value = value[:MAX_TEXT]
    text = CONTROL.sub(_escape_character, escape(value))
    if text != text.strip():
        return f'<is><t xml:space="preserve">{text}</t></is>'
    return f"<is><t>{text}</t></is>"


def _serial(value: datetime.datetime) -> str:
    delta = value - EPOCH
    return repr(delta.days + delta.seconds / 86400 + delta.microseconds / 86_400_000_000)


def cell_xml(ref: str, value, money: bool) -> str:
    """One cell: text inline (never a formula), numbers and dates typed. Empty values make no cell."""
    if value is None or value == "":
        return ""
    kind = type(value)
    if kind is str:
        return f'<c r="{ref}" t="inlineStr">{_text(value)}</c>'
    if kind is bool:
        return f'<c r="{ref}" t="inlineStr">{_text("是" if value else "否")}</c>'
    if kind is int or kind is float or kind is Decimal:
        number = float(value)
        if not math.isfinite(number):
            return f'<c r="{ref}" t="inlineStr">{_text(str(value))}</c>'
        style = f' s="{MONEY_STYLE}"' if money else ""
        text = repr(int(number)) if number.is_integer() and abs(number) < 1e15 else repr(number)
        return f'<c r="{ref}"{style}><v>{text}</v></c>'
    if kind is datetime.datetime:
        return f'<c r="{ref}" s="{DATETIME_STYLE}"><v>{_serial(value.replace(tzinfo=None))}</v></c>'
    if kind is datetime.date:
        return f'<c r="{ref}" s="{DATE_STYLE}"><v>{(value - EPOCH.date()).days}</v></c>'
    return f'<c r="{ref}" t="inlineStr">{_text(str(value))}</c>'


def write_sheet(
    target,
    headers: list[str],
    rows: Iterable[list],
    money_columns: list[bool],
    sheet_name: str = "Sheet1",
    widths: list[float] | None = None,
) -> int:
    """Write a one-sheet workbook to `target` (a path or a binary file); returns the number of data rows.

    Values must already be what the cell should hold: str, int, float, Decimal, date, datetime (naive, local) or
    bool; datetimes are written as they are given.
    """
    letters = [column_letter(index) for index in range(len(headers))]
    last = letters[-1] if letters else "A"
    name = INVALID_SHEET_CHARACTERS.sub("_", sheet_name)[:31].strip("'") or "Sheet1"
    count = 0
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        archive.writestr("xl/styles.xml", STYLES)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            head = [
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
                '<sheetViews><sheetView tabSelected="1" workbookViewId="0">'
                '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
                '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>'
                '<sheetFormatPr defaultRowHeight="15"/>'
            ]
            if widths:
                head.append("<cols>")
                head.extend(
                    f'<col min="{n}" max="{n}" width="{width:g}" customWidth="1"/>'
                    for n, width in enumerate(widths, start=1)
                )
                head.append("</cols>")
            head.append('<sheetData><row r="1">')
            head.extend(
                f'<c r="{letter}1" t="inlineStr" s="{HEADER}">{_text(header)}</c>'
                for letter, header in zip(letters, headers, strict=True)
            )
            head.append("</row>")
            sheet.write("".join(head).encode("utf-8"))
            chunk: list[str] = []
            columns = list(zip(letters, money_columns, strict=True))
            for count, row in enumerate(rows, start=1):
                if count >= MAX_ROWS:
                    count -= 1
                    break
                number = count + 1
                cells = "".join(
                    cell_xml(f"{letter}{number}", value, money)
                    for (letter, money), value in zip(columns, row, strict=False)
                )
                chunk.append(f'<row r="{number}">{cells}</row>')
                if len(chunk) >= ROWS_PER_WRITE:
                    sheet.write("".join(chunk).encode("utf-8"))
                    chunk = []
            tail = ["".join(chunk), "</sheetData>"]
            if count:
                tail.append(f'<autoFilter ref="A1:{last}{count + 1}"/>')
            tail.append('<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>')
            tail.append("</worksheet>")
            sheet.write("".join(tail).encode("utf-8"))
        quoted = escape(name.replace("'", "''"))
        defined = (
            f'<definedNames><definedName name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">\'{quoted}\''
            f"!$A$1:${last}${count + 1}</definedName></definedNames>"
            if count
            else ""
        )
        archive.writestr(
            "xl/workbook.xml",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            f'<bookViews><workbookView/></bookViews><sheets><sheet name="{escape(name, {chr(34): "&quot;"})}" '
            f'sheetId="1" r:id="rId1"/></sheets>{defined}</workbook>',
        )
    return count
