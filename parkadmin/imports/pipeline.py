"""The one import pipeline: the import pages and `manage.py import_data` both run it, for every kind of record.

An app declares its kinds in `<app>/importers.py`: a subclass of `Importer` per kind, registered with
`kinds.register_importer`, with its columns (`ImportColumn`: English field name, the template's Chinese header, a
parser), its natural key and the app's form (or service) that saves a row, so an imported row meets exactly the
rules of the form. `run()` then

1. reads the file (`reading.read_sheet`): XLSX (its zip checked before parsing) or CSV (UTF-8 with or without BOM,
   or GB18030), within the size and row limits of the settings;
2. maps the header (English name or Chinese header, any case and spacing) and refuses unknown or missing columns;
3. parses every cell, looking up codes and names for the whole file in one query per related model;
4. inside one transaction, validates and saves each row through the form or service, then commits only if no row
   was refused and it is not a dry run. Rows go in batches: a new record the form alone saves is inserted with the
   rest of its batch (`bulk.insert_with_history`), and the checks the pipeline has already made for the whole file
   are not repeated per row (`fastpaths.import_form`: the related records it fetched exist; no two rows, and no row
   and a stored record, share a natural key). Should the database still refuse something in a batch, the batch is
   done again row by row, each in a savepoint and by the form's full checks, so the refusal is named on its row.

Existing records are updated where the natural key matches, created otherwise; a row that would change nothing
is left alone, so re-importing a file adds no history.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from typing import Any, ClassVar

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import DatabaseError, models, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from parkadmin.imports import limits
from parkadmin.imports.bulk import history_user, insert_with_history
from parkadmin.imports.fastpaths import has_callable_default, import_form, record_data, release, saves_only_its_row
from parkadmin.imports.parsers import CellError, Parser, Text, cell_text, match_key
from parkadmin.imports.reading import ImportFileError, is_blank, read_sheet
from parkadmin.imports.results import (
    CREATED,
    UNCHANGED,
    UPDATED,
    ImportResult,
    RowError,
    RowInvalid,
    RowOutcome,
    shorten,
)
from parkadmin.locking import StaleVersionError
from parkadmin.xlsxstream import column_letter


@dataclass(frozen=True)
class ImportColumn:
    """A column of an import: `name` is the English field name (and the form field it fills), `header` the
    Chinese header of the template. Either is accepted in a file."""

    name: str
    header: str
    parser: Parser = field(default_factory=Text)
    required: bool = False
    example: Any = ""
    note: Any = ""


class Importer:
    """One kind of import. Subclasses set `kind`, `model`, `columns`, `key` and `form_class` (or override
    `save_row` to call the app's service)."""

    kind: ClassVar[str]
    model: ClassVar[type[models.Model]]
    columns: ClassVar[list[ImportColumn]]
    key: ClassVar[tuple[str, ...]]
    form_class: ClassVar[type | None] = None
    # The permission whoever imports with `approve` must hold (they are recorded as the approver); None: the kind
    # has nothing to approve.
    approve_permission: ClassVar[str | None] = None
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
    def column(cls, name: str) -> ImportColumn:
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
            if len(values) <= limits.CHUNK:
                narrowing &= _among(attname, values)
        firsts = list({key[0] for key in keys})
        for start in range(0, len(firsts), limits.CHUNK):
            for obj in self.model._default_manager.filter(
                _among(attnames[0], firsts[start : start + limits.CHUNK]), narrowing
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
            data = record_data(instance, self.form_class.base_fields)
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
        defaults = record_data(self.model(), names)
        if not has_callable_default(self.model, names):
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
        return saves_only_its_row(cls.model)

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

    def map_headers(self, headers: list[str]) -> dict[int, ImportColumn]:
        """Column index → ImportColumn, or ImportFileError naming every unknown, repeated or missing column."""
        by_key: dict[str, ImportColumn] = {}
        for column in self.columns:
            by_key[match_key(column.name)] = column
            by_key[match_key(column.header)] = column
        mapping: dict[int, ImportColumn] = {}
        unknown, repeated = [], []
        for index, header in enumerate(headers):
            column = by_key.get(match_key(header).rstrip("*"))
            if column is None:
                unknown.append(
                    shorten(header) or _("(empty header in column %(column)s)") % {"column": column_letter(index)}
                )
            elif column in mapping.values():
                repeated.append(shorten(header))
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
                cells[column.name] for _n, cells in rows if not is_blank(cells[column.name])
            )
            for column in mapping.values()
        }
        parsed: list[tuple[int, dict[str, Any], tuple]] = []
        first_of_key: dict[tuple, int] = {}
        for number, cells in rows:
            values, errors = {}, []
            for name, cell in cells.items():
                column = columns[name]
                if is_blank(cell):
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
            for start in range(0, len(parsed), limits.BATCH):
                self._import_batch(parsed[start : start + limits.BATCH], existing, headers, result)
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
