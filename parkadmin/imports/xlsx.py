"""Reading the first sheet of an XLSX workbook as a stream, with every bound enforced while the XML is parsed.

A workbook is a zip of XML parts. openpyxl, which read them before, builds the whole shared-strings table and the
styles before the first row, lets expat expand the entities a DTD declares, and fills every gap between two row
numbers with blank rows: uploads of a few kilobytes took gigabytes and minutes. Here each part is fed to expat in
small chunks and refused as soon as it passes a bound (settings `IMPORT_MAX_*`): rows of the sheet, blank ones
included; cells in a row and in the sheet; characters in a cell; the shared strings' count and total size. What no
spreadsheet program writes is refused outright: a DOCTYPE (and with it every entity declaration), comments,
processing instructions, CDATA sections, nesting deeper than a workbook's, or a tag longer than the longest cell.

Values come out as openpyxl's read-only mode with `data_only` gave them: numbers as int or float; a number whose
cell format is a date as a datetime (openpyxl's own test of the format and its conversion, 1900 or 1904 calendar);
booleans; shared and inline strings (rich-text runs joined, phonetic guides left out); error values as their text;
and a formula cell as the value Excel last computed.
"""

from __future__ import annotations

import posixpath
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from xml.parsers import expat

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format
from openpyxl.utils.datetime import CALENDAR_MAC_1904, WINDOWS_EPOCH, from_excel, from_ISO8601

from parkadmin.imports import limits

# Decompressed bytes handed to expat at a time: the most a part holds in memory besides one unfinished tag.
CHUNK = 64 * 1024
# A worksheet nests five deep (worksheet, sheetData, row, c, is/r/t); anything much deeper is not a spreadsheet.
MAX_DEPTH = 16
BOM = b"\xef\xbb\xbf"
# XML elements a part may hold per cell allowed (a cell is <c> and <v>, with <f> for a formula).
ELEMENTS_PER_CELL = 3


class WorkbookError(Exception):
    """The workbook cannot be read within the bounds: one line saying why."""


class DamagedWorkbook(WorkbookError):
    """The workbook is not well-formed (or not a workbook at all)."""


@dataclass(frozen=True)
class Bounds:
    """How much of a workbook is read before it is refused."""

    sheet_rows: int
    row_cells: int
    cells: int
    cell_chars: int
    shared_strings: int
    shared_chars: int
    columns: int = limits.MAX_COLUMNS

    @classmethod
    def from_settings(cls) -> Bounds:
        return cls(
            sheet_rows=settings.IMPORT_MAX_SHEET_ROWS,
            row_cells=settings.IMPORT_MAX_ROW_CELLS,
            cells=settings.IMPORT_MAX_CELLS,
            cell_chars=settings.IMPORT_MAX_CELL_CHARS,
            shared_strings=settings.IMPORT_MAX_SHARED_STRINGS,
            shared_chars=settings.IMPORT_MAX_SHARED_STRINGS_CHARS,
        )

    @property
    def token_bytes(self) -> int:
        """The longest stretch of a part without a '<': a cell's text, every character written as an entity
        (&quot; is six bytes), or a tag."""
        return 6 * self.cell_chars + 4096


def damaged() -> WorkbookError:
    return DamagedWorkbook(_("The file is not a readable Excel workbook (a damaged .xlsx file?)."))


def declarations() -> WorkbookError:
    return WorkbookError(
        _(
            "The workbook holds XML declarations that spreadsheet programs never write (a DOCTYPE, entities or "
            "comments), so it was not read: save it again from Excel or WPS and import that."
        )
    )


def too_many_cells(bounds: Bounds) -> WorkbookError:
    return WorkbookError(
        _("The sheet has more than %(limit)s cells, empty ones included: split it into smaller files.")
        % {"limit": f"{bounds.cells:,}"}
    )


def cell_too_long(bounds: Bounds, row: int | None = None) -> WorkbookError:
    if row is None:
        return WorkbookError(
            _("The workbook holds a text of more than %(limit)s characters: shorten it.")
            % {"limit": f"{bounds.cell_chars:,}"}
        )
    return WorkbookError(
        _("Row %(row)s holds a cell of more than %(limit)s characters: shorten it.")
        % {"row": row, "limit": f"{bounds.cell_chars:,}"}
    )


def too_many_rows(bounds: Bounds) -> WorkbookError:
    return WorkbookError(
        _(
            "The sheet has more than %(limit)s rows, blank ones included: delete the empty rows below the data or "
            "split the file."
        )
        % {"limit": f"{bounds.sheet_rows:,}"}
    )


def too_wide(bounds: Bounds, row: int) -> WorkbookError:
    return WorkbookError(
        _("Row %(row)s has more than %(limit)s cells: delete the empty columns to the right of the data.")
        % {"row": row, "limit": f"{bounds.row_cells:,}"}
    )


class _Part:
    """One XML part of the workbook, parsed by expat as it is unpacked; subclasses handle its elements."""

    def __init__(self, bounds: Bounds):
        self.bounds = bounds
        self.elements = 0
        self.depth = 0
        # The characters of the text being collected (None: text here is not wanted).
        self.text: list[str] | None = None
        self.text_length = 0

    def start(self, name: str, attrs: dict[str, str]) -> None: ...

    def end(self, name: str) -> None: ...

    def too_long(self) -> WorkbookError:
        return cell_too_long(self.bounds)

    def _start(self, name: str, attrs: dict[str, str]) -> None:
        self.elements += 1
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise damaged()
        if self.elements > ELEMENTS_PER_CELL * self.bounds.cells:
            raise too_many_cells(self.bounds)
        self.start(name.rpartition(":")[2], attrs)

    def _end(self, name: str) -> None:
        self.depth -= 1
        self.end(name.rpartition(":")[2])

    def _characters(self, data: str) -> None:
        if self.text is not None:
            self.text_length += len(data)
            if self.text_length > self.bounds.cell_chars:
                raise self.too_long()
            self.text.append(data)

    def collect(self, *, fresh: bool = True) -> None:
        """Collect the text from here on; `fresh=False` goes on counting toward the same cell (a rich text's runs)."""
        self.text = []
        if fresh:
            self.text_length = 0

    def collected(self) -> str:
        text = "".join(self.text or ())
        self.text = None
        return text

    def feed(self, archive: zipfile.ZipFile, name: str) -> Iterator[None]:
        """Parse the part `name`, yielding after each chunk (a sheet's finished rows are taken then)."""
        # UTF-8 whatever the part declares, so that the byte checks below see every '<' (Excel writes UTF-8).
        parser = expat.ParserCreate("utf-8")
        parser.buffer_text = True
        parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        parser.StartDoctypeDeclHandler = _refuse_declarations
        parser.EntityDeclHandler = _refuse_declarations
        parser.StartElementHandler = self._start
        parser.EndElementHandler = self._end
        parser.CharacterDataHandler = self._characters
        longest = self.bounds.token_bytes
        try:
            with archive.open(name) as stream:
                run = 0  # bytes since the last '<'
                first = True
                while chunk := stream.read(CHUNK):
                    start = 0
                    if first and chunk.removeprefix(BOM).startswith(b"<?xml"):
                        start = chunk.find(b"?>") + 2  # after the XML declaration
                    first = False
                    # A DOCTYPE, comment, CDATA section or processing instruction: no spreadsheet writes one. Looked
                    # for in the bytes, before expat holds any of it in memory.
                    if b"<!" in chunk or b"<?" in chunk[start:] or (run == 1 and chunk[:1] in (b"!", b"?")):
                        raise declarations()
                    last = chunk.rfind(b"<")
                    if last < 0:
                        run += len(chunk)
                    else:
                        if run + chunk.find(b"<") > longest:
                            raise damaged()
                        run = len(chunk) - last
                    if run > longest:
                        raise damaged()
                    parser.Parse(chunk, False)
                    yield
                parser.Parse(b"", True)
        except KeyError:
            raise damaged() from None
        except (
            expat.ExpatError,
            zipfile.BadZipFile,
            zlib.error,
            EOFError,
            OSError,
            ValueError,
            IndexError,
            OverflowError,
        ) as error:
            raise damaged() from error


def _refuse_declarations(*args) -> None:
    raise declarations()


def _run(part: _Part, archive: zipfile.ZipFile, name: str) -> None:
    for _chunk in part.feed(archive, name):
        pass


class _Relationships(_Part):
    """A .rels part: relationship type → targets, resolved against the folder of the part they belong to."""

    def __init__(self, bounds: Bounds, folder: str):
        super().__init__(bounds)
        self.folder = folder
        self.targets: dict[str, str] = {}  # id → target
        self.types: dict[str, str] = {}  # id → type

    def start(self, name: str, attrs: dict[str, str]) -> None:
        if name == "Relationship" and attrs.get("TargetMode") != "External":
            target = attrs.get("Target", "")
            path = target[1:] if target.startswith("/") else posixpath.join(self.folder, target)
            self.targets[attrs.get("Id", "")] = posixpath.normpath(path)
            self.types[attrs.get("Id", "")] = attrs.get("Type", "")

    def of_type(self, suffix: str) -> list[str]:
        return [self.targets[key] for key, kind in self.types.items() if kind.endswith(suffix)]


class _WorkbookPart(_Part):
    """workbook.xml: the sheets in their order (relationship ids) and the calendar."""

    def __init__(self, bounds: Bounds):
        super().__init__(bounds)
        self.sheet_ids: list[str] = []
        self.epoch = WINDOWS_EPOCH

    def start(self, name: str, attrs: dict[str, str]) -> None:
        if name == "sheet":
            key = next((value for key, value in attrs.items() if key.rpartition(":")[2] == "id"), "")
            self.sheet_ids.append(key)
        elif name == "workbookPr" and attrs.get("date1904", "").lower() in ("1", "true"):
            self.epoch = CALENDAR_MAC_1904


class _Styles(_Part):
    """styles.xml: which cell formats (indices of cellXfs) show a number as a date or a duration."""

    def __init__(self, bounds: Bounds):
        super().__init__(bounds)
        self.custom: dict[int, str] = {}
        self.formats: list[int] = []
        self.in_cell_formats = False
        self.in_number_formats = False

    def start(self, name: str, attrs: dict[str, str]) -> None:
        if name == "numFmts":
            self.in_number_formats = True
        elif name == "numFmt" and self.in_number_formats:
            self.custom[_integer(attrs.get("numFmtId"))] = attrs.get("formatCode", "")
        elif name == "cellXfs":
            self.in_cell_formats = True
        elif name == "xf" and self.in_cell_formats:
            self.formats.append(_integer(attrs.get("numFmtId", "0")))

    def end(self, name: str) -> None:
        if name == "cellXfs":
            self.in_cell_formats = False
        elif name == "numFmts":
            self.in_number_formats = False

    def date_styles(self) -> tuple[set[int], set[int]]:
        dates, durations = set(), set()
        for index, format_id in enumerate(self.formats):
            code = self.custom[format_id] if format_id in self.custom else BUILTIN_FORMATS.get(format_id)
            if is_date_format(code):
                dates.add(index)
            if is_timedelta_format(code):
                durations.add(index)
        return dates, durations


class _SharedStrings(_Part):
    """sharedStrings.xml: the texts cells refer to by index, within the count and size bounds."""

    def __init__(self, bounds: Bounds):
        super().__init__(bounds)
        self.strings: list[str] = []
        self.pieces: list[str] | None = None
        self.total = 0
        self.phonetic = 0

    def start(self, name: str, attrs: dict[str, str]) -> None:
        if name == "si":
            if len(self.strings) >= self.bounds.shared_strings:
                raise WorkbookError(
                    _("The workbook holds more than %(limit)s different texts: split it into smaller files.")
                    % {"limit": f"{self.bounds.shared_strings:,}"}
                )
            self.pieces = []
            self.text_length = 0
        elif name == "t" and self.pieces is not None and not self.phonetic:
            # The runs of one string share its character bound.
            self.collect(fresh=False)
        elif name == "rPh":
            self.phonetic += 1

    def end(self, name: str) -> None:
        if name == "t" and self.text is not None:
            self.pieces.append(self.collected())
        elif name == "rPh":
            self.phonetic -= 1
        elif name == "si" and self.pieces is not None:
            pieces, self.pieces = self.pieces, None
            text = "".join(pieces).replace("x005F_", "")  # as openpyxl reads an escaped underscore
            self.total += len(text)
            if self.total > self.bounds.shared_chars:
                raise WorkbookError(
                    _("The workbook's texts add up to more than %(limit)s characters: split it into smaller files.")
                    % {"limit": f"{self.bounds.shared_chars:,}"}
                )
            self.strings.append(text)


class _Sheet(_Part):
    """A worksheet: its rows as (row number, cells), the first row (the header) up to `bounds.columns` cells and
    the others as wide as the header. Blank rows are counted but not given; gaps between row numbers cost nothing."""

    def __init__(self, bounds: Bounds, strings: list[str], dates: set[int], durations: set[int], epoch):
        super().__init__(bounds)
        self.strings = strings
        self.dates = dates
        self.durations = durations
        self.epoch = epoch
        self.width = bounds.columns
        self.rows_read = 0
        self.cells_read = 0
        self.number = 0
        self.done: list[tuple[int, list[Any]]] = []
        self.row: dict[int, Any] = {}
        self.row_cells = 0
        self.column = 0
        self.cell_type = "n"
        self.style = 0
        self.value: str | None = None
        self.inline: list[str] | None = None
        self.phonetic = 0

    def too_long(self) -> WorkbookError:
        return cell_too_long(self.bounds, self.number)

    def start(self, name: str, attrs: dict[str, str]) -> None:
        if name == "c":
            self.cells_read += 1
            self.row_cells += 1
            if self.cells_read > self.bounds.cells:
                raise too_many_cells(self.bounds)
            if self.row_cells > self.bounds.row_cells:
                raise too_wide(self.bounds, self.number)
            reference = attrs.get("r")
            self.column = _column(reference) if reference else self.column + 1
            self.cell_type = attrs.get("t", "n")
            style = attrs.get("s")
            self.style = _integer(style) if style else 0
            self.value = None
            self.inline = None
        elif name == "v":
            self.collect()
        elif name == "is":
            self.inline = []
            self.text_length = 0
        elif name == "t" and self.inline is not None and not self.phonetic:
            # An inline string's runs share its character bound, as a shared string's do.
            self.collect(fresh=False)
        elif name == "rPh":
            self.phonetic += 1
        elif name == "row":
            self.rows_read += 1
            if self.rows_read > self.bounds.sheet_rows:
                raise too_many_rows(self.bounds)
            reference = attrs.get("r")
            self.number = _integer(reference) if reference else self.number + 1
            self.row = {}
            self.row_cells = 0
            self.column = 0

    def end(self, name: str) -> None:
        if name == "v":
            self.value = self.collected()
        elif name == "t" and self.text is not None and self.inline is not None:
            self.inline.append(self.collected())
        elif name == "rPh":
            self.phonetic -= 1
        elif name == "c":
            if self.column <= self.width:
                value = self._value()
                if value is not None:
                    self.row[self.column] = value
        elif name == "row":
            if self.number == 1:
                headers = [self.row.get(column) for column in range(1, self.width + 1)]
                while headers and (headers[-1] is None or (isinstance(headers[-1], str) and not headers[-1].strip())):
                    headers.pop()
                self.width = max(len(headers), 1)
                self.done.append((1, headers))
            elif self.row and self.number > 1:
                self.done.append((self.number, [self.row.get(column) for column in range(1, self.width + 1)]))

    def _value(self) -> Any:
        kind = self.cell_type
        if kind == "inlineStr":
            return None if self.inline is None else "".join(self.inline)
        value = self.value or None
        if value is None:
            return None
        if kind == "n":
            number = float(value) if "." in value or "E" in value or "e" in value else int(value)
            if self.style in self.dates:
                try:
                    return from_excel(number, self.epoch, timedelta=self.style in self.durations)
                except (OverflowError, ValueError):
                    return "#VALUE!"
            return number
        if kind == "s":
            return self.strings[int(value)]
        if kind == "b":
            return bool(int(value))
        if kind == "d":
            return from_ISO8601(value)
        return value  # "str" (a formula's text), "e" (an error such as #N/A)

    def rows(self, archive: zipfile.ZipFile, name: str) -> Iterator[tuple[int, list[Any]]]:
        for _chunk in self.feed(archive, name):
            yield from self.done
            self.done.clear()
        yield from self.done
        self.done.clear()


def _integer(text: str | None) -> int:
    try:
        return int(text or "")
    except ValueError:
        raise damaged() from None


def _column(reference: str) -> int:
    """The column number (A = 1) of a cell reference such as AB12."""
    letters = reference.rstrip("0123456789")
    if len(letters) == 1 and "A" <= letters <= "Z" and len(reference) > 1:
        return ord(letters) - 64
    number = 0
    for char in reference:
        if "A" <= char <= "Z":
            number = number * 26 + ord(char) - 64
        elif char.isdigit() and number:
            return number
        else:
            break
    raise damaged()


def _read_part(part: _Part, archive: zipfile.ZipFile, name: str | None) -> _Part:
    if name is not None:
        _run(part, archive, name)
    return part


def _part_named(archive: zipfile.ZipFile, relationships: _Relationships, kind: str, usual: str) -> str | None:
    name = next(iter(relationships.of_type(kind)), usual)
    return name if name in archive.NameToInfo else None


def _relationships(archive: zipfile.ZipFile, bounds: Bounds, part: str) -> _Relationships:
    folder, file_name = posixpath.split(part)
    relationships = _Relationships(bounds, folder)
    name = posixpath.join(folder, "_rels", f"{file_name}.rels")
    if name in archive.NameToInfo:
        _run(relationships, archive, name)
    return relationships


def read_first_sheet(
    archive: zipfile.ZipFile, bounds: Bounds, on_error: Callable[[int], WorkbookError]
) -> tuple[list[Any], Iterator[tuple[int, list[Any]]]]:
    """The header (row 1, trailing blanks removed) and the non-blank rows after it of the workbook's first sheet.

    Raises WorkbookError with a one-line reason for a workbook it cannot read or that passes a bound, before any
    row (the parts read first) or while the rows are taken; `on_error(row)` makes the reason for a part that turns
    out damaged after `row`.
    """
    package = _relationships(archive, bounds, "")
    workbook_name = next(iter(package.of_type("/officeDocument")), "xl/workbook.xml")
    if workbook_name not in archive.NameToInfo:
        raise damaged()
    workbook = _read_part(_WorkbookPart(bounds), archive, workbook_name)
    relationships = _relationships(archive, bounds, workbook_name)
    sheets = [
        relationships.targets[key]
        for key in workbook.sheet_ids
        if relationships.types.get(key, "").endswith("/worksheet") and relationships.targets[key] in archive.NameToInfo
    ]
    if not sheets:
        raise damaged()
    styles = _read_part(_Styles(bounds), archive, _part_named(archive, relationships, "/styles", "xl/styles.xml"))
    dates, durations = styles.date_styles()
    strings_name = _part_named(archive, relationships, "/sharedStrings", "xl/sharedStrings.xml")
    strings = _read_part(_SharedStrings(bounds), archive, strings_name).strings
    sheet = _Sheet(bounds, strings, dates, durations, workbook.epoch)
    rows = sheet.rows(archive, sheets[0])
    first = next(rows, None)
    if first is None or first[0] != 1:
        return [], iter(())

    def data_rows() -> Iterator[tuple[int, list[Any]]]:
        try:
            yield from rows
        except DamagedWorkbook as error:
            raise on_error(sheet.number) from error

    return first[1], data_rows()
