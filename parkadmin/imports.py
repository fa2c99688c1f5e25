"""The one import pipeline: the import pages and `manage.py import_data` both run it, for every kind of record.

An app declares its kinds in `<app>/importers.py`: a subclass of `Importer` per kind with its columns (English
field name, the template's Chinese header, a parser), its natural key and the app's form (or service) that saves a
row, so an imported row meets exactly the rules of the form. `run()` then

1. reads the file (`read_sheet`): XLSX (its zip checked before parsing) or CSV (UTF-8 with or without BOM, or
   GB18030), within the size and row limits of the settings;
2. maps the header (English name or Chinese header, any case and spacing) and refuses unknown or missing columns;
3. parses every cell, looking up codes and names for the whole file in one query per related model;
4. inside one transaction, validates and saves each row through the form or service, then commits only if no row
   was refused and it is not a dry run. Rows go in batches: a new record the form alone saves is inserted with the
   rest of its batch (`bulk_create`, and its history rows likewise), and the checks the pipeline has already made
   for the whole file are not repeated per row (the related records it fetched exist; no two rows, and no row and
   a stored record, share a natural key). Should the database still refuse something in a batch, the batch is done
   again row by row, each in a savepoint and by the form's full checks, so the refusal is named on its row.

Existing records are updated where the natural key matches, created otherwise; a row that would change nothing
is left alone, so re-importing a file adds no history.
"""

from __future__ import annotations

import contextlib
import copy
import csv
import datetime
import functools
import io
import re
import warnings
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from types import SimpleNamespace
from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import DatabaseError, connection, models, transaction
from django.db.models import Q
from django.forms.models import ModelChoiceField, model_to_dict
from django.utils import timezone, translation
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from simple_history.utils import bulk_create_with_history

from parkadmin.locking import StaleVersionError
from parkadmin.xlsxstream import column_letter

CREATED, UPDATED, UNCHANGED = "create", "update", "unchanged"
ACTION_LABELS = {
    CREATED: gettext_lazy("create"),
    UPDATED: gettext_lazy("update"),
    UNCHANGED: gettext_lazy("unchanged"),
}
# The widest header row read from a file; wider rows are read only as far as their header goes.
MAX_COLUMNS = 200
# Lookups and existing-record queries go in chunks, well under SQLite's limit on query parameters.
CHUNK = 300
# Rows validated and saved together: new records are inserted this many at a time.
BATCH = 1000
XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary .xls (and .doc) container


def max_bytes() -> int:
    return settings.IMPORT_MAX_BYTES


def max_rows() -> int:
    return settings.IMPORT_MAX_ROWS


# --- errors ----------------------------------------------------------------------------------------------------


class ImportFileError(Exception):
    """The file cannot be read as a table at all: one line saying why (no row numbers apply)."""


@dataclass(frozen=True)
class RowError:
    """Why a row was refused: its number as the spreadsheet shows it, the column (as headed in the file), a reason."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        if self.column:
            return _("Row %(row)s, column “%(column)s”: %(message)s") % {
                "row": self.row,
                "column": self.column,
                "message": self.message,
            }
        return _("Row %(row)s: %(message)s") % {"row": self.row, "message": self.message}


class CellError(Exception):
    """A cell that cannot be read as its column's type (raised by parsers)."""


# --- reading -----------------------------------------------------------------------------------------------------


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
    limit_bytes = max_bytes() if limit_bytes is None else limit_bytes
    limit_rows = max_rows() if limit_rows is None else limit_rows
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
        if start.startswith(XLSX_MAGIC):
            headers, rows = _read_xlsx(file)
        elif start.startswith(OLE_MAGIC):
            raise ImportFileError(
                _("This is an old Excel .xls file (or another Office file): save it as .xlsx or CSV and import that.")
            )
        elif name.lower().endswith((".xlsx", ".xlsm")):
            raise ImportFileError(_("The file is named .xlsx but is not an Excel workbook."))
        else:
            headers, rows = _read_csv(file.read())
        return _collect(headers, rows, limit_rows)


def _collect(headers: list[Any], rows: Iterator[tuple[int, list[Any]]], limit_rows: int) -> Sheet:
    headers = [_header_text(h) for h in headers]
    while headers and not headers[-1]:
        headers.pop()
    if not headers:
        raise ImportFileError(_("The first row (the header naming the columns) is empty."))
    width = len(headers)
    kept: list[tuple[int, list[Any]]] = []
    for number, cells in rows:
        cells = list(cells[:width]) + [None] * (width - len(cells))
        if all(_is_blank(cell) for cell in cells):
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


def _is_blank(value) -> bool:
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


def _read_xlsx(file) -> tuple[list[Any], Iterator[tuple[int, list[Any]]]]:
    import openpyxl

    check_zip(file)
    file.seek(0)
    try:
        with warnings.catch_warnings():
            # openpyxl warns about styles and extensions it does not read; they do not matter here.
            warnings.simplefilter("ignore")
            # data_only: a formula cell gives the value Excel last computed, which is what the person saw.
            workbook = openpyxl.load_workbook(file, read_only=True, data_only=True)
            sheet = workbook.worksheets[0]
            sheet.reset_dimensions()  # the stored dimension may be wrong; read what is there
            header_rows = sheet.iter_rows(min_row=1, max_row=1, max_col=MAX_COLUMNS, values_only=True)
            headers = list(next(header_rows, ()))
    except Exception as error:  # openpyxl raises many kinds of errors for files it cannot read
        raise ImportFileError(_("The file is not a readable Excel workbook (a damaged .xlsx file?).")) from error
    while headers and _is_blank(headers[-1]):
        headers.pop()

    def rows() -> Iterator[tuple[int, list[Any]]]:
        number = 1
        try:
            for number, row in enumerate(
                sheet.iter_rows(min_row=2, max_col=max(len(headers), 1), values_only=True), start=2
            ):
                yield number, list(row)
        except ImportFileError:
            raise
        except Exception as error:
            raise ImportFileError(
                _("The workbook could not be read past row %(row)s (a damaged .xlsx file?).") % {"row": number}
            ) from error
        finally:
            workbook.close()

    return headers, rows()


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


def _read_csv(data: bytes) -> tuple[list[Any], Iterator[tuple[int, list[Any]]]]:
    text = decode_text(data)
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count) if first_line else ","
    if first_line.count(delimiter) == 0:
        delimiter = ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        headers = next(reader, [])
    except csv.Error as error:
        raise ImportFileError(_("The CSV file cannot be read: %(error)s.") % {"error": error}) from error

    def rows() -> Iterator[tuple[int, list[Any]]]:
        try:
            yield from enumerate(reader, start=2)
        except csv.Error as error:
            raise ImportFileError(_("The CSV file cannot be read: %(error)s.") % {"error": error}) from error

    return headers, rows()


# --- parsers -----------------------------------------------------------------------------------------------------


def cell_text(value) -> str:
    """A cell as text: numbers without a spurious '.0', dates as 2020-03-28, surrounding spaces removed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


def _key(text: str) -> str:
    """How codes, names and headers are compared: case, spaces and full-width brackets do not matter."""
    text = text.replace("（", "(").replace("）", ")").replace("：", ":")
    return re.sub(r"\s+", "", text).lower()


class Parser:
    """Turns one non-empty cell into the value the form expects, or raises CellError with the reason."""

    def describe(self) -> str:
        return _("text")

    def allowed(self) -> list[tuple[str, str]]:
        """(what to type, what it means) for the template's list of allowed values; empty if anything goes."""
        return []

    def bind(self, cells: Iterable[Any]) -> Callable[[Any], Any]:
        """The function that parses this column's cells in one file (lookups fetch the whole column at once)."""
        return self.parse

    def parse(self, value):
        return cell_text(value)


class Text(Parser):
    pass


class Integer(Parser):
    def describe(self) -> str:
        return _("whole number")

    def parse(self, value):
        if isinstance(value, bool):
            raise CellError(_("Enter a whole number."))
        if isinstance(value, int):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        text = cell_text(value).replace(",", "").replace("，", "")
        if re.fullmatch(r"[-+]?\d+(\.0+)?", text):
            return int(Decimal(text))
        raise CellError(_("“%(value)s” is not a whole number.") % {"value": cell_text(value)})


class Number(Parser):
    def describe(self) -> str:
        return _("number, e.g. 1500 or 1500.50")

    def parse(self, value):
        if isinstance(value, bool):
            raise CellError(_("Enter a number."))
        if isinstance(value, int | Decimal):
            return Decimal(value)
        if isinstance(value, float):
            return Decimal(repr(value))
        text = cell_text(value).replace(",", "").replace("，", "")
        try:
            number = Decimal(text)
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite():
            raise CellError(_("“%(value)s” is not a number.") % {"value": cell_text(value)})
        return number


DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d")


class Date(Parser):
    def describe(self) -> str:
        return _("date, e.g. 2020-03-28")

    def parse(self, value):
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        text = cell_text(value)
        for pattern in DATE_FORMATS:
            try:
                return datetime.datetime.strptime(text, pattern).date()
            except ValueError:
                continue
        raise CellError(_("“%(value)s” is not a date: write it as 2020-03-28.") % {"value": text})


class Boolean(Parser):
    TRUE = {"是", "yes", "y", "true", "1", "√", "✓", "对"}
    FALSE = {"否", "no", "n", "false", "0", "×", "不是"}

    def describe(self) -> str:
        return _("是 or 否")

    def allowed(self) -> list[tuple[str, str]]:
        return [("是", _("Yes")), ("否", _("No"))]

    def parse(self, value):
        if isinstance(value, bool):
            return value
        text = _key(cell_text(value))
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise CellError(_("Write 是 or 否, not “%(value)s”.") % {"value": cell_text(value)})


class Choice(Parser):
    """One of a TextChoices: its code, its label in Chinese or English, or the Chinese in a label's brackets."""

    def __init__(self, choices: type[models.TextChoices]):
        self.choices = choices

    def describe(self) -> str:
        return _("one of: %(values)s") % {"values": "、".join(str(label) for label in self.choices.labels)}

    def allowed(self) -> list[tuple[str, str]]:
        return [(str(label), value) for value, label in self.choices.choices]

    def bind(self, cells):
        names: dict[str, str] = {}
        for language in (settings.LANGUAGE_CODE, "en", translation.get_language() or settings.LANGUAGE_CODE):
            with translation.override(language):
                for value, label in self.choices.choices:
                    label = str(label)
                    names.setdefault(_key(value), value)
                    names.setdefault(_key(label), value)
                    for inner in re.findall(r"[(（]([^()（）]+)[)）]", label):
                        names.setdefault(_key(inner), value)
        shown = "、".join(str(label) for label in self.choices.labels)

        def parse(value):
            text = cell_text(value)
            try:
                return names[_key(text)]
            except KeyError:
                raise CellError(
                    _("“%(value)s” is not one of: %(allowed)s.") % {"value": text, "allowed": shown}
                ) from None

        return parse


class Ref(Parser):
    """A record named by one of its unique `fields` (a code, a name …), fetched for the whole file at once.

    Small tables (parks, clusters, indicators) are read whole and matched ignoring case and spaces; large ones
    (enterprises, projects, users) are fetched by the exact values the file names, a chunk of values per query.
    """

    def __init__(
        self,
        model: type[models.Model],
        fields: tuple[str, ...] = ("code", "name"),
        *,
        whole_table: bool = False,
        normalise: Callable[[str], str | None] | None = None,
        description: Any = None,
    ):
        self.model = model
        self.fields = fields
        self.whole_table = whole_table
        self.normalise = normalise
        self.description = description

    def describe(self) -> str:
        if self.description:
            return str(self.description)
        return _("%(fields)s of a %(model)s") % {
            "fields": _(" or ").join(str(self.model._meta.get_field(f).verbose_name) for f in self.fields),
            "model": self.model._meta.verbose_name,
        }

    def allowed(self) -> list[tuple[str, str]]:
        if not self.whole_table:
            return []
        first, *others = self.fields
        return [
            (str(getattr(obj, first)), " / ".join(str(getattr(obj, f)) for f in others))
            for obj in self.model._default_manager.order_by(first)
        ]

    def _variants(self, text: str) -> list[str]:
        normalised = self.normalise(text) if self.normalise else text
        return [text] if normalised in (None, text) else [normalised, text]

    def bind(self, cells):
        found: dict[str, set] = {}

        def remember(obj) -> None:
            for name in self.fields:
                value = getattr(obj, name)
                if value not in (None, ""):
                    key = _key(str(value)) if self.whole_table else str(value)
                    found.setdefault(key, set()).add(obj)

        if self.whole_table:
            for obj in self.model._default_manager.all():
                remember(obj)
        else:
            wanted = sorted({variant for cell in cells for variant in self._variants(cell_text(cell)) if variant})
            # A query per field, each answered from that field's index: with the fields OR-ed together, PostgreSQL
            # read the whole table for every chunk. A record found by two fields is remembered once (sets of records).
            for name in self.fields:
                for start in range(0, len(wanted), CHUNK):
                    for obj in self.model._default_manager.filter(**{f"{name}__in": wanted[start : start + CHUNK]}):
                        remember(obj)
        label = self.model._meta.verbose_name

        def parse(value):
            text = cell_text(value)
            for variant in self._variants(text):
                matches = found.get(_key(variant) if self.whole_table else variant)
                if matches and len(matches) == 1:
                    return next(iter(matches))
                if matches:
                    raise CellError(
                        _("%(count)s records of type %(model)s match “%(value)s”: name it by a unique code.")
                        % {"count": len(matches), "model": label, "value": text}
                    )
            raise CellError(_("There is no %(model)s “%(value)s”.") % {"model": label, "value": text})

        return parse


# --- columns and importers ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """A column of an import: `name` is the English field name (and the form field it fills), `header` the
    Chinese header of the template. Either is accepted in a file."""

    name: str
    header: str
    parser: Parser = field(default_factory=Text)
    required: bool = False
    example: Any = ""
    note: Any = ""


@dataclass
class RowOutcome:
    row: int
    action: str
    label: str

    @property
    def action_label(self) -> str:
        return str(ACTION_LABELS[self.action])


@dataclass
class ImportResult:
    kind: str
    file_name: str
    dry_run: bool
    outcomes: list[RowOutcome] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    file_error: str = ""
    skipped_example: int | None = None

    @property
    def ok(self) -> bool:
        return not self.errors and not self.file_error

    @property
    def written(self) -> bool:
        return self.ok and not self.dry_run

    def count(self, action: str) -> int:
        return sum(1 for outcome in self.outcomes if outcome.action == action)

    @property
    def created(self) -> int:
        return self.count(CREATED)

    @property
    def updated(self) -> int:
        return self.count(UPDATED)

    @property
    def unchanged(self) -> int:
        return self.count(UNCHANGED)

    @property
    def rejected(self) -> int:
        return len({error.row for error in self.errors})

    def summary(self) -> str:
        counts = {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": self.rejected,
        }
        if self.file_error:
            return self.file_error
        if not self.ok:
            return (
                ngettext(
                    "%(rejected)s row refused; nothing was written (%(created)s to create, %(updated)s to update).",
                    "%(rejected)s rows refused; nothing was written (%(created)s to create, %(updated)s to update).",
                    self.rejected,
                )
                % counts
            )
        if self.dry_run:
            return _("Preview: %(created)s to create, %(updated)s to update, %(unchanged)s unchanged.") % counts
        return _("Imported: %(created)s created, %(updated)s updated, %(unchanged)s unchanged.") % counts


class RowInvalid(Exception):
    """A row refused with reasons per column name (None: the row as a whole)."""

    def __init__(self, reasons: list[tuple[str | None, str]]):
        self.reasons = reasons
        super().__init__(reasons)


REGISTRY: dict[str, type[Importer]] = {}


def register(importer: type[Importer]) -> type[Importer]:
    """Class decorator: make an importer available under its `kind` (to the pages and `import_data`)."""
    REGISTRY[importer.kind] = importer
    return importer


def registry() -> dict[str, type[Importer]]:
    """Every kind, in the order the apps declare them (each app's importers.py is imported on first use)."""
    _discover()
    return REGISTRY


@functools.cache
def _discover() -> None:
    # Once per process: the top bar asks on every page, and each try of an app without importers.py searches
    # the file system again.
    autodiscover_modules("importers")


def importer_for_model(model: type[models.Model]) -> type[Importer] | None:
    return next((importer for importer in registry().values() if importer.model is model), None)


def importable(user) -> list[type[Importer]]:
    """The kinds `user` may import: those whose records the user may add."""
    return [importer for importer in registry().values() if user.has_perm(importer.permission())]


@contextlib.contextmanager
def history_user(user):
    """Record `user` in the history of what is saved inside, where no request names one (the command line)."""
    from simple_history.models import HistoricalRecords

    context = HistoricalRecords.context
    if user is None or getattr(context, "request", None) is not None:
        yield
        return
    context.request = SimpleNamespace(user=user)
    try:
        yield
    finally:
        del context.request


class Importer:
    """One kind of import. Subclasses set `kind`, `model`, `columns`, `key` and `form_class` (or override
    `save_row` to call the app's service)."""

    kind: ClassVar[str]
    model: ClassVar[type[models.Model]]
    columns: ClassVar[list[Column]]
    key: ClassVar[tuple[str, ...]]
    form_class: ClassVar[type | None] = None
    # Templates read the class's declarations; they must not instantiate it.
    do_not_call_in_templates = True

    def __init__(self, *, user=None, approve: bool = False):
        self.user = user
        self.approve = approve
        # Row by row with every check of the form (a batch the database refused), or as batches.
        self.thorough = False
        self._defaults: dict[str, Any] | None = None

    # declarations

    @classmethod
    def permission(cls) -> str:
        return f"{cls.model._meta.app_label}.add_{cls.model._meta.model_name}"

    @classmethod
    def title(cls) -> str:
        return str(cls.model._meta.verbose_name_plural)

    @classmethod
    def column(cls, name: str) -> Column:
        return next(column for column in cls.columns if column.name == name)

    @classmethod
    def headers(cls) -> list[str]:
        return [column.header for column in cls.columns]

    # hooks of a kind

    def row_key(self, values: dict[str, Any]) -> tuple:
        """The natural key of a parsed row: related records by primary key."""
        return tuple(_key_part(values.get(name)) for name in self.key)

    def existing(self, keys: set[tuple]) -> dict[tuple, models.Model]:
        """The stored records whose natural key is among `keys`: a chunk of the values the key's first field takes
        per query, narrowed by the values each other field takes in the file."""
        attnames = [self.model._meta.get_field(name).attname for name in self.key]
        found: dict[tuple, models.Model] = {}
        narrowing = Q()
        for position, attname in enumerate(attnames[1:], start=1):
            values = {key[position] for key in keys}
            if len(values) <= CHUNK:
                narrowing &= _among(attname, values)
        firsts = list({key[0] for key in keys})
        for start in range(0, len(firsts), CHUNK):
            for obj in self.model._default_manager.filter(
                _among(attnames[0], firsts[start : start + CHUNK]), narrowing
            ):
                key = tuple(getattr(obj, attname) for attname in attnames)
                if key in keys:
                    found[key] = obj
        return found

    def form_data(self, values: dict[str, Any], instance: models.Model | None) -> dict[str, Any]:
        """What the form receives: the record's current values (or the model's defaults), overlaid by the file's.

        A column the file leaves out keeps its value; an empty cell clears an optional field, and keeps the
        current value of a required one.
        """
        if instance is not None:
            data = model_to_dict(instance, fields=list(self.form_class.base_fields))
        else:
            data = dict(self._new_record_data())
        data = {name: value for name, value in data.items() if value is not None}
        for name, value in values.items():
            if value is None and self._required_in_form(name) and data.get(name) not in (None, ""):
                continue
            data[name] = value
        if instance is not None:
            data["version"] = instance.version
        return {name: ("" if value is None else value) for name, value in data.items()}

    def _new_record_data(self) -> dict[str, Any]:
        """What the form of a new record starts from: the model's defaults, worked out once per run where none of
        them is worked out anew for each record (a callable default: today's date, a fresh code)."""
        if self._defaults is not None:
            return self._defaults
        names = list(self.form_class.base_fields)
        defaults = model_to_dict(self.model(), fields=names)
        fields = [f for f in self.model._meta.get_fields() if f.name in names]
        if not any(f.has_default() and callable(f.default) for f in fields):
            self._defaults = defaults
        return defaults

    def _required_in_form(self, name: str) -> bool:
        form_field = self.form_class.base_fields.get(name)
        return bool(form_field and form_field.required)

    def form_for(self, form_class: type) -> type:
        """The form a row is validated by: `form_class` as an import runs it (see import_form)."""
        return import_form(form_class, thorough=self.thorough)

    def make_form(self, values: dict[str, Any], instance: models.Model | None):
        return self.form_for(self.form_class)(data=self.form_data(values, instance), instance=instance)

    @classmethod
    def inserts_in_bulk(cls) -> bool:
        """Whether new records may be inserted together: only where saving one stores the row and nothing else
        (no save() of the model's own; many-to-many fields need a saved record)."""
        return cls.model.save is models.Model.save and not cls.model._meta.many_to_many

    def save_row(self, values: dict[str, Any], instance: models.Model | None) -> tuple[str, models.Model]:
        """Validate one row by the form and save it; returns (action, record). Raises RowInvalid or
        ValidationError.

        A new record may be returned unsaved: the pipeline inserts it with the rest of its batch. An override
        that saves records itself (through the app's services) returns them saved.
        """
        before = snapshot(instance)
        form = self.make_form(values, instance)
        if not form.is_valid():
            raise ValidationError(form.errors.as_data())
        if instance is not None and snapshot(form.instance) == before:
            return UNCHANGED, instance
        if instance is None and not self.thorough and self.inserts_in_bulk():
            record = form.save(commit=False)
            release(form)
            return CREATED, record
        return (UPDATED if instance is not None else CREATED), form.save()

    # the pipeline

    def map_headers(self, headers: list[str]) -> dict[int, Column]:
        """Column index → Column, or ImportFileError naming every unknown, repeated or missing column."""
        by_key: dict[str, Column] = {}
        for column in self.columns:
            by_key[_key(column.name)] = column
            by_key[_key(column.header)] = column
        mapping: dict[int, Column] = {}
        unknown, repeated = [], []
        for index, header in enumerate(headers):
            column = by_key.get(_key(header).rstrip("*"))
            if column is None:
                unknown.append(header or _("(empty header in column %(column)s)") % {"column": column_letter(index)})
            elif column in mapping.values():
                repeated.append(header)
            else:
                mapping[index] = column
        missing = [column.header for column in self.columns if column.required and column not in mapping.values()]
        problems = []
        if unknown:
            problems.append(
                _("unknown columns: %(unknown)s (the columns are: %(known)s)")
                % {"unknown": "、".join(unknown), "known": "、".join(self.headers())}
            )
        if repeated:
            problems.append(_("columns given twice: %(columns)s") % {"columns": "、".join(repeated)})
        if missing:
            problems.append(_("missing required columns: %(columns)s") % {"columns": "、".join(missing)})
        if problems:
            raise ImportFileError(
                _("The header does not fit this import: %(problems)s.") % {"problems": "; ".join(problems)}
            )
        return mapping

    def is_example(self, cells: dict[str, Any]) -> bool:
        """Whether a row is the template's example row, unchanged (it is skipped, not imported)."""
        return all(cell_text(cells.get(column.name)) == cell_text(column.example) for column in self.columns) and any(
            cell_text(column.example) for column in self.columns
        )

    def run(self, file, *, name: str = "", dry_run: bool = False) -> ImportResult:
        """Import `file` (a path or a binary file object) all or nothing; see the module's docstring."""
        result = ImportResult(self.kind, name, dry_run)
        try:
            sheet = read_sheet(file, name=name)
            mapping = self.map_headers(sheet.headers)
        except ImportFileError as error:
            result.file_error = str(error)
            return result
        headers = {column.name: sheet.headers[index] for index, column in mapping.items()}
        columns = {column.name: column for column in mapping.values()}
        rows = []
        for number, cells in sheet.rows:
            by_name = {column.name: cells[index] for index, column in mapping.items()}
            if result.skipped_example is None and not rows and self.is_example(by_name):
                result.skipped_example = number
                continue
            rows.append((number, by_name))
        parsers = {
            column.name: column.parser.bind(
                cells[column.name] for _n, cells in rows if not _is_blank(cells[column.name])
            )
            for column in mapping.values()
        }
        parsed: list[tuple[int, dict[str, Any], tuple]] = []
        first_of_key: dict[tuple, int] = {}
        for number, cells in rows:
            values, errors = {}, []
            for name, cell in cells.items():
                column = columns[name]
                if _is_blank(cell):
                    if column.required:
                        errors.append(RowError(number, headers[name], _("This column must be filled in.")))
                    values[name] = None
                    continue
                try:
                    values[name] = parsers[name](cell)
                except CellError as error:
                    errors.append(RowError(number, headers[name], str(error)))
            if errors:
                result.errors.extend(errors)
                continue
            key = self.row_key(values)
            if key in first_of_key:
                result.errors.append(
                    RowError(
                        number,
                        "",
                        _("The same record as row %(row)s (%(key)s); each record once per file.")
                        % {"row": first_of_key[key], "key": "、".join(headers.get(n, n) for n in self.key)},
                    )
                )
                continue
            first_of_key[key] = number
            parsed.append((number, values, key))
        existing = self.existing({key for _n, _v, key in parsed})
        with history_user(self.user), transaction.atomic():
            for start in range(0, len(parsed), BATCH):
                self._import_batch(parsed[start : start + BATCH], existing, headers, result)
            if not result.ok or dry_run:
                transaction.set_rollback(True)
        return result

    def _import_batch(self, batch: list, existing: dict, headers: dict[str, str], result: ImportResult) -> None:
        """Validate and save a batch of rows in one savepoint, inserting its new records together; if the
        database refuses anything, roll the batch back and do it again row by row (see the module's docstring)."""
        try:
            with transaction.atomic():
                outcomes, errors = self._save_rows(batch, existing, headers)
        except DatabaseError:
            # The first pass changed the batch's stored records in memory (and the rollback did not): read them again.
            existing = self.existing({key for _number, _values, key in batch})
            self.thorough = True
            try:
                outcomes, errors = self._save_rows(batch, existing, headers)
            finally:
                self.thorough = False
        result.outcomes.extend(outcomes)
        result.errors.extend(errors)

    def _save_rows(self, batch: list, existing: dict, headers: dict[str, str]):
        outcomes: list[RowOutcome] = []
        errors: list[RowError] = []
        new_records: list[models.Model] = []
        for number, values, key in batch:
            try:
                with transaction.atomic() if self.thorough else contextlib.nullcontext():
                    # A copy: hooks may take values out, and a refused batch is saved again row by row.
                    action, record = self.save_row(dict(values), existing.get(key))
            except ValidationError as error:
                errors.extend(self._reasons(number, error, headers))
            except RowInvalid as error:
                errors.extend(
                    RowError(number, self._column_label(name, headers), message) for name, message in error.reasons
                )
            except StaleVersionError as error:
                errors.append(
                    RowError(
                        number,
                        "",
                        _("%(who)s changed this record while the file was being imported; import it again.")
                        % {"who": error.changed_by or _("Someone")},
                    )
                )
            except DatabaseError as error:
                if not self.thorough:
                    raise
                errors.append(RowError(number, "", _("The database refused the row: %(error)s") % {"error": error}))
            else:
                if record._state.adding:
                    new_records.append(record)
                outcomes.append(RowOutcome(number, action, str(record)))
        if new_records:
            insert_with_history(new_records, self.model, self.user)
        return outcomes, errors

    def _column_label(self, name: str | None, headers: dict[str, str]) -> str:
        if not name or name == NON_FIELD_ERRORS:
            return ""
        if name in headers:
            return headers[name]
        try:
            return self.column(name).header
        except StopIteration:
            pass
        try:
            return str(self.model._meta.get_field(name).verbose_name)
        except Exception:
            return name

    def _reasons(self, number: int, error: ValidationError, headers: dict[str, str]) -> list[RowError]:
        if hasattr(error, "error_dict"):
            return [
                RowError(number, self._column_label(name, headers), message)
                for name, messages in error.message_dict.items()
                for message in messages
            ]
        return [RowError(number, "", message) for message in error.messages]


class _FetchedChoiceMixin:
    """A related-record field that takes the record the file's lookup already fetched (one query for the whole
    file, Ref.bind) instead of fetching it again for each row — unless the form narrowed the field's choices for
    this record, when the choice is checked as the form checks it."""

    def to_python(self, value):
        if isinstance(value, self.queryset.model) and value.pk is not None and not self.queryset.query.has_filters():
            return value
        return super().to_python(value)


class _BatchChecksMixin:
    """An import form in a batch: the related records the file's lookup fetched are not looked up again, and the
    rules that involve them are left to the pipeline and the database — the pipeline has checked the file's natural
    keys against each other and the stored records, and any other refusal sends the batch back through the full
    form (Importer._import_batch). Drawing no widgets, it does not style them."""

    fetched_names: ClassVar[frozenset[str]] = frozenset()

    def _get_validation_exclusions(self):
        return super()._get_validation_exclusions() | self.fetched_names

    def style_fields(self, mark_errors: bool = False) -> None:
        pass


class _UndrawnFieldMixin:
    """A field of a batch's form, copied cheaply for each row's form: its own copy with its own queryset, as
    Django's deep copy gives, but sharing the widget and the choices, which a form that draws nothing never reads
    (a form that sets a field's queryset also sets the shared widget's choices: nothing draws them). Copying widgets
    took a quarter of an import's time."""

    def __deepcopy__(self, memo):
        result = object.__new__(type(self))  # copy.copy, without its generic (and slower) protocol
        result.__dict__.update(self.__dict__)
        memo[id(self)] = result
        result.error_messages = self.error_messages.copy()
        result.validators = self.validators[:]
        if self.__dict__.get("_queryset") is not None:
            # A queryset of its own, as Django's copy gives (set directly: the setter would touch the shared widget)
            result._queryset = self._queryset.all()
        return result


def _field_with(form_field, mixin: type, prefix: str):
    """A copy of `form_field` whose class also has `mixin`."""
    result = copy.deepcopy(form_field)
    result.__class__ = _subclass(type(result), mixin, prefix)
    return result


@functools.cache
def _subclass(cls: type, mixin: type, prefix: str) -> type:
    return type(f"{prefix}{cls.__name__}", (mixin, cls), {})


@functools.cache
def import_form(form_class: type, *, thorough: bool = True) -> type:
    """The app's form as an import runs it: the same fields and rules, but a related record the file named is
    taken as already fetched — only where the field's choices are the whole table, as the lookup's are. Unless
    `thorough`, the checks made for the whole file are not repeated per row (_BatchChecksMixin), and each row's
    form copies its fields cheaply (_UndrawnFieldMixin)."""
    fields = {}
    for name, form_field in form_class.base_fields.items():
        if isinstance(form_field, ModelChoiceField) and not form_field.queryset.query.has_filters():
            fields[name] = _field_with(form_field, _FetchedChoiceMixin, "Fetched")
    if thorough:
        return type(form_class.__name__, (form_class,), fields) if fields else form_class
    attributes = {"fetched_names": frozenset(fields)}
    for name, form_field in form_class.base_fields.items():
        fields[name] = _field_with(fields.get(name, form_field), _UndrawnFieldMixin, "Undrawn")
    return type(form_class.__name__, (_BatchChecksMixin, form_class), {**fields, **attributes})


def insert_with_history(records: list[models.Model], model: type[models.Model], user) -> None:
    """Insert new `records` together, each with its "created" history row naming `user`.

    The history rows are what django-simple-history's `bulk_create_with_history` writes, but copied by the database
    from the rows just inserted (one INSERT … SELECT per chunk) instead of built as a Python object each: that took
    a fifth of an import's time. Where the database does not return the new ids, or the history table has columns
    this copy does not know, the library's own function does it.
    """
    now = timezone.now()
    history = model.history.model
    plan = _history_copy_plan(model) if connection.features.can_return_rows_from_bulk_insert else None
    # What the library honours and the copy would not: history switched off, a record's own user, date or reason.
    own = ("_history_user", "_history_date", "_change_reason")
    if not getattr(settings, "SIMPLE_HISTORY_ENABLED", True) or any(hasattr(r, a) for r in records for a in own):
        plan = None
    if plan is None:
        bulk_create_with_history(records, model, batch_size=BATCH, default_user=user, default_date=now)
        return
    model._default_manager.bulk_create(records, batch_size=BATCH)
    user_id = user.pk if user is not None and user.is_authenticated else None
    if user_id is None:  # the command line without --user: whoever history_user() names, as the library would
        user_id = getattr(history.get_default_history_user(records[0]), "pk", None)
    when = connection.ops.adapt_datetimefield_value(now)
    with connection.cursor() as cursor:
        for start in range(0, len(records), CHUNK):
            pks = [record.pk for record in records[start : start + CHUNK]]
            cursor.execute(plan.replace("%(ids)s", ", ".join(["%s"] * len(pks))), [when, user_id, *pks])


@functools.cache
def _history_copy_plan(model: type[models.Model]) -> str | None:
    """The INSERT … SELECT that copies new rows of `model` into its history table (parameters: the time, the user
    and the ids), or None if the history table has a column it would not fill."""
    history = model.history.model
    quote = connection.ops.quote_name
    # (history column, what fills it): the tracked fields from the new rows, then the history's own bookkeeping
    columns = [(history._meta.get_field(f.name).column, quote(f.column)) for f in history.tracked_fields]
    bookkeeping = {"history_date": "%s", "history_user": "%s", "history_type": "'+'", "history_change_reason": "NULL"}
    columns += [(history._meta.get_field(name).column, value) for name, value in bookkeeping.items()]
    filled = {history._meta.pk.column} | {column for column, _value in columns}
    if {field.column for field in history._meta.concrete_fields} - filled:
        return None
    return (
        f"INSERT INTO {quote(history._meta.db_table)} ({', '.join(quote(column) for column, _value in columns)}) "
        f"SELECT {', '.join(value for _column, value in columns)} FROM {quote(model._meta.db_table)} "
        f"WHERE {quote(model._meta.pk.column)} IN (%(ids)s)"
    )


def release(form) -> None:
    """Break the reference cycles a used form is in (its bound fields point back at it; `save(commit=False)` keeps
    a method of it on it), so it is freed at once instead of waiting for the garbage collector, whose passes over
    thousands of such forms took a tenth of an import's time."""
    getattr(form, "_bound_fields_cache", {}).clear()  # Django's own attributes: should they go, nothing breaks
    form.__dict__.pop("save_m2m", None)


def _among(attname: str, values) -> Q:
    """`attname` is one of `values` (None among them: or is null)."""
    present = [value for value in values if value is not None]
    query = Q(**{f"{attname}__in": present})
    if len(present) < len(values):
        query |= Q(**{f"{attname}__isnull": True})
    return query


def _key_part(value):
    if isinstance(value, models.Model):
        return value.pk
    return value


def snapshot(instance: models.Model | None) -> dict[str, Any] | None:
    """The stored fields of a record, to tell whether a row changes it."""
    if instance is None:
        return None
    return {
        f.attname: getattr(instance, f.attname)
        for f in instance._meta.concrete_fields
        if not f.primary_key and f.name != "version"
    }


def record_run(result: ImportResult, *, user=None, via: str = "web"):
    """Keep the run in the import history (who, when, file, counts)."""
    from parkadmin.models import ImportRecord

    account = user if user is not None and user.is_authenticated else None
    with history_user(account):
        return ImportRecord.objects.create(
            kind=result.kind,
            file_name=result.file_name[:255],
            user=account,
            via=via,
            dry_run=result.dry_run,
            created=result.created,
            updated=result.updated,
            unchanged=result.unchanged,
            rejected=result.rejected,
            error=result.file_error[:500],
        )


# --- the template ------------------------------------------------------------------------------------------------


def template_workbook(importer: type[Importer], target) -> None:
    """Write the import template of a kind to `target` (a path or binary file): the Chinese headers and an example
    row; a sheet of allowed values (with drop-down lists on the data sheet); a sheet describing each column.

    Strings are never written as formulas.
    """
    import xlsxwriter

    workbook = xlsxwriter.Workbook(target, {"strings_to_formulas": False, "strings_to_urls": False})
    data = workbook.add_worksheet(_("Data")[:31])
    lists = workbook.add_worksheet(_("Allowed values")[:31])
    notes = workbook.add_worksheet(_("Columns")[:31])
    bold = workbook.add_format({"bold": True, "bg_color": "#E9EEF5", "border": 1})
    required = workbook.add_format({"bold": True, "bg_color": "#FCE8D5", "border": 1})
    example = workbook.add_format({"italic": True, "font_color": "#6C757D"})
    for col, column in enumerate(importer.columns):
        data.write_string(0, col, column.header, required if column.required else bold)
        data.set_column(col, col, max(12, min(40, len(column.header.encode("utf-8")) + 2)))
        value = column.example
        if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
            data.write_number(1, col, float(value), example)
        else:
            data.write_string(1, col, cell_text(value), example)
    data.freeze_panes(1, 0)

    list_col = 0
    for col, column in enumerate(importer.columns):
        allowed = column.parser.allowed()
        if not allowed:
            continue
        lists.write_string(0, list_col, column.header, bold)
        lists.write_string(0, list_col + 1, _("meaning"), bold)
        for row, (value, meaning) in enumerate(allowed, start=1):
            lists.write_string(row, list_col, value)
            lists.write_string(row, list_col + 1, meaning)
        lists.set_column(list_col, list_col + 1, 22)
        sheet_name = lists.get_name().replace("'", "''")
        letter = column_letter(list_col)
        data.data_validation(
            1,
            col,
            max_rows(),
            col,
            {
                "validate": "list",
                "source": f"='{sheet_name}'!${letter}$2:${letter}${len(allowed) + 1}",
                # A warning, not a stop: codes and the other spellings are accepted too.
                "error_type": "warning",
                "ignore_blank": True,
            },
        )
        list_col += 3

    for col, title in enumerate((_("header"), _("English name"), _("required"), _("what to enter"))):
        notes.write_string(0, col, title, bold)
    for row, column in enumerate(importer.columns, start=1):
        notes.write_string(row, 0, column.header)
        notes.write_string(row, 1, column.name)
        notes.write_string(row, 2, _("Yes") if column.required else _("No"))
        text = column.parser.describe()
        if column.note:
            text = f"{text}; {column.note}"
        notes.write_string(row, 3, text)
    last = len(importer.columns) + 2
    notes.write_string(
        last,
        0,
        _(
            "Row 2 of the data sheet is an example: replace it with your records (left as it is, it is skipped). "
            "Records whose key matches a stored one are updated; the others are created."
        ),
    )
    notes.write_string(
        last + 1,
        0,
        _("Key (what identifies a record): %(key)s")
        % {"key": "、".join(importer.column(n).header for n in importer.key)},
    )
    notes.set_column(0, 1, 24)
    notes.set_column(3, 3, 60)
    workbook.close()
