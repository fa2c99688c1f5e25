"""Where the import relies on how Django and django-simple-history work inside, rather than on what they document.
Each gains an import much of its speed; tests/imports/test_fastpaths.py checks every assumption below, so an upgrade
that breaks one fails there, by name, instead of making imports slow or wrong.

- The forms (`import_form`): a related-record field takes the record the lookup fetched when its queryset has no
  filters (`QuerySet.query.has_filters()`); a batch's form leaves the fetched fields out of the model's checks by
  extending `BaseModelForm._get_validation_exclusions()`; its fields are copied without their widgets and choices,
  which is what `Field.__deepcopy__` copies besides `error_messages`, `validators` and a `ModelChoiceField`'s
  `_queryset`; `release` empties `BaseForm._bound_fields_cache` and drops the `save_m2m` that `save(commit=False)`
  leaves on the form.
- The records: `saves_only_its_row` reads `Options.many_to_many`; a new record's initial data comes from
  `model_to_dict` and `Field.has_default()`, as a ModelForm's does.
- The history (`copy_history`): simple-history's `tracked_fields` and `get_default_history_user`, the history
  table's columns (`Options.concrete_fields`), and the database backend's `can_return_rows_from_bulk_insert`,
  `quote_name` and `adapt_datetimefield_value`.
"""

from __future__ import annotations

import copy
import datetime
import functools
from collections.abc import Iterable
from typing import Any, ClassVar

from django.db import connection, models
from django.forms.models import ModelChoiceField, model_to_dict

from parkadmin.imports.limits import CHUNK

# --- forms -------------------------------------------------------------------------------------------------------


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
    """A copy of `form_field` whose class also has `mixin`.

    A class made at run time, because an app's form field cannot be rebuilt from its constructor's arguments. Kept
    where measured: without `_FetchedChoiceMixin` an import makes a query per row
    (`tests/imports/test_batches.py::test_an_import_makes_no_query_per_row` fails); without `_UndrawnFieldMixin`
    copying the widgets takes a quarter of an import's time (the benchmark's import rows per second)."""
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


def release(form) -> None:
    """Break the reference cycles a used form is in (its bound fields point back at it; `save(commit=False)` keeps
    a method of it on it), so it is freed at once instead of waiting for the garbage collector, whose passes over
    thousands of such forms took a tenth of an import's time."""
    getattr(form, "_bound_fields_cache", {}).clear()  # Django's own attributes: should they go, nothing breaks
    form.__dict__.pop("save_m2m", None)


# --- records -----------------------------------------------------------------------------------------------------


def saves_only_its_row(model: type[models.Model]) -> bool:
    """Whether saving a new record of `model` stores its row and nothing else (no save() of the model's own;
    many-to-many fields need a saved record), so that it may be inserted with others."""
    saves_row = model.save is models.Model.save or getattr(model.save, "stores_only_its_row", False)
    return saves_row and not model._meta.many_to_many


def record_data(instance: models.Model, names: Iterable[str]) -> dict[str, Any]:
    """A record's values for the form fields `names`, as a ModelForm's initial data."""
    return model_to_dict(instance, fields=list(names))


def has_callable_default(model: type[models.Model], names: Iterable[str]) -> bool:
    """Whether a field among `names` works its default out anew for each record (today's date, a fresh code)."""
    names = set(names)
    return any(f.has_default() and callable(f.default) for f in model._meta.get_fields() if f.name in names)


# --- history -----------------------------------------------------------------------------------------------------


def can_copy_history(model: type[models.Model]) -> bool:
    """Whether the database can copy new rows of `model` into its history table itself: it returns the ids of
    inserted rows, and the history table has no column the copy would not fill."""
    return connection.features.can_return_rows_from_bulk_insert and _history_copy_plan(model) is not None


def copy_history(records: list[models.Model], model: type[models.Model], user, when: datetime.datetime) -> None:
    """Write the "created" history rows of `records`, just inserted, naming `user` (or, where no one signed in,
    whom the history would name) at `when`: one INSERT … SELECT per chunk. Only where `can_copy_history`."""
    plan = _history_copy_plan(model)
    user_id = user.pk if user is not None and user.is_authenticated else None
    if user_id is None:  # the command line without --user: whoever history_user() names, as the library would
        user_id = getattr(model.history.model.get_default_history_user(records[0]), "pk", None)
    when = connection.ops.adapt_datetimefield_value(when)
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
