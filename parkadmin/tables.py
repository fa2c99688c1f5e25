"""One table definition per model serves its list page and its CSV/XLSX export: list columns = export columns."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, ClassVar

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Value
from django.db.models.functions import Coalesce, Concat, NullIf, Trim
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from parkadmin import formatting
from parkadmin.collation import by_pinyin
from parkadmin.people import display_name

TEXT, NUMBER, MONEY, DATE, BOOL = "text", "number", "money", "date", "bool"


def person_name(path: str):
    """The full name of the user at `path`, or their user name when they gave none (as User.get_full_name() or
    get_username()), worked out by the database so a list can sort by it and an export read it as a plain value."""
    full = Trim(Concat(f"{path}__first_name", Value(" "), f"{path}__last_name"))
    return Coalesce(NullIf(full, Value("")), f"{path}__username")


@dataclass(frozen=True)
class Column:
    """A column: `name` is its key in `?sort=`, `accessor` a dotted path from the row's object."""

    name: str
    header: Any = None
    accessor: str | None = None
    order_by: str | None = None
    kind: str = TEXT
    link: bool = False
    places: int = 2
    value: Callable[[Any], Any] | None = None
    # Whether the cells show what people wrote (names, notes) rather than the interface's own words (labels, units,
    # numbers): None works it out from the field (Table); the pages mark such cells, and the browser tests hold only
    # the interface's own words to the active language.
    written: bool | None = None

    @property
    def sortable(self) -> bool:
        return self.order_by is not None

    def raw(self, obj) -> Any:
        """The typed value (numbers stay numbers): what exports write."""
        if self.value is not None:
            return self.value(obj)
        target = obj
        parts = (self.accessor or self.name).split(".")
        for part in parts[:-1]:
            target = getattr(target, part, None)
            if target is None:
                return None
        display = getattr(target, f"get_{parts[-1]}_display", None)
        if callable(display):
            return display()
        result = getattr(target, parts[-1], None)
        if isinstance(result, AbstractBaseUser):
            return display_name(result)
        if isinstance(result, models.Model):
            return str(result)
        return result

    def reader(self, model) -> Callable[[Any], Any]:
        """`raw` for rows of `model`, made fast: the path is resolved once, and a choice field's label comes from one
        dict built per table (in the active language) instead of `get_FOO_display`, which turns every lazy label of
        the field into text again on each call — the most expensive part of an export."""
        if self.value is not None:
            return self.value
        parts = (self.accessor or self.name).split(".")
        field = _final_field(model, parts)
        if field is None or field.is_relation:
            return self.raw
        labels = {value: str(label) for value, label in field.flatchoices} if field.choices else None
        head, last = parts[:-1], parts[-1]

        def read(obj):
            target = obj
            for part in head:
                target = getattr(target, part, None)
                if target is None:
                    return None
            value = getattr(target, last, None)
            if labels is None:
                return value
            try:
                return labels.get(value, value)
            except TypeError:  # an unhashable value: let Django say it
                return self.raw(obj)

        return read

    def display(self, value) -> str:
        """The value as the list page shows it."""
        if value is None or value == "":
            return "—"
        if self.kind == MONEY:
            return formatting.format_money(value, self.places)
        if self.kind == NUMBER:
            return formatting.format_number(value, self.places if isinstance(value, Decimal | float) else 0)
        if self.kind == BOOL or isinstance(value, bool):
            return str(_("Yes") if value else _("No"))
        if isinstance(value, datetime.datetime):
            return value.strftime("%Y-%m-%d %H:%M")
        if isinstance(value, datetime.date):
            return value.isoformat()
        return str(value)


def _final_field(model, parts: list[str], forward_only: bool = False):
    """The model field at the end of a dotted path, or None where the path is not made of fields (with
    `forward_only`, of foreign keys followed forwards: one related row per row)."""
    try:
        for part in parts[:-1]:
            field = model._meta.get_field(part)
            if forward_only and not (field.concrete and (field.many_to_one or field.one_to_one)):
                return None
            model = field.related_model
            if model is None:
                return None
        return model._meta.get_field(parts[-1])
    except (FieldDoesNotExist, AttributeError):
        return None


@dataclass(frozen=True)
class Cell:
    column: Column
    value: Any
    text: str
    url: str | None

    @property
    def html(self) -> SafeString:
        """The cell's `<td>`, built here rather than by a template: a list page draws hundreds of them, and a
        template include per cell costs more than the rest of the page. A `cell_template` draws its special
        columns and hands the others back with `{{ cell.html }}`."""
        kind = self.column.kind
        classes = f"pa-col-{self.column.name}"
        if kind in (NUMBER, MONEY):
            classes += " text-end text-nowrap"
        elif kind == DATE:
            classes += " text-nowrap"
        written = " data-pa-user-text" if self.column.written else ""
        if self.url:
            return format_html('<td class="{}"{}><a href="{}">{}</a></td>', classes, written, self.url, self.text)
        return format_html('<td class="{}"{}>{}</td>', classes, written, self.text)


class Table:
    """Subclass with `model`, `columns` and `default_sort`; add `select_related`/`prefetch_related` for relations."""

    model: ClassVar[type[models.Model]]
    columns: ClassVar[list[Column]]
    default_sort: ClassVar[str] = "pk"
    select_related: ClassVar[tuple[str, ...]] = ()
    prefetch_related: ClassVar[tuple[str, ...]] = ()

    def __init__(self) -> None:
        self.columns = [self._with_header(column) for column in self.columns]
        self._readers = [column.reader(self.model) for column in self.columns]

    def _with_header(self, column: Column) -> Column:
        if column.written is None:
            column = Column(**{**column.__dict__, "written": self._written(column)})
        if column.header is not None:
            return column
        # The field the column reads, else the field it is named after (an annotation such as a person's name).
        header = column.name
        for field_name in dict.fromkeys([(column.accessor or column.name).split(".")[0], column.name]):
            try:
                header = self.model._meta.get_field(field_name).verbose_name
                break
            except FieldDoesNotExist:
                continue
        return Column(**{**column.__dict__, "header": header})

    def _written(self, column: Column) -> bool:
        """Text a person wrote: a text field without choices, a related record's name, a name worked out in the
        query; not a computed value, a number, a date or a choice's label."""
        if column.value is not None or column.kind != TEXT:
            return False
        field = _final_field(self.model, (column.accessor or column.name).split("."))
        if field is None or field.is_relation:
            return True
        return isinstance(field, models.CharField | models.TextField) and not field.choices

    def queryset(self) -> models.QuerySet:
        queryset = self.model._default_manager.all()
        if self.select_related:
            queryset = queryset.select_related(*self.select_related)
        if self.prefetch_related:
            queryset = queryset.prefetch_related(*self.prefetch_related)
        return queryset

    def _sortable(self, name: str) -> Column | None:
        return next((c for c in self.columns if c.name == name and c.sortable), None)

    def order(self, queryset: models.QuerySet, sort: str | None) -> tuple[models.QuerySet, str]:
        """Apply `?sort=name` or `?sort=-name` if the column is sortable; the primary key breaks ties."""
        sort = sort or self.default_sort
        column = self._sortable(sort.removeprefix("-"))
        if column is None:
            sort = self.default_sort
            column = self._sortable(sort.removeprefix("-"))
        if column is None:
            return queryset.order_by("pk"), "pk"
        descending = sort.startswith("-")
        key = column.order_by
        if key.endswith("name"):  # names, Chinese ones above all, in pinyin order
            ordering = by_pinyin(key).desc() if descending else by_pinyin(key).asc()
        else:
            ordering = f"-{key}" if descending else key
        return queryset.order_by(ordering, "-pk" if descending else "pk"), sort

    def headers(self) -> list[str]:
        return [str(column.header) for column in self.columns]

    def values(self, obj) -> list[Any]:
        return [read(obj) for read in self._readers]

    def row_paths(self, queryset: models.QuerySet) -> list[tuple[str, dict | None]] | None:
        """Each column's ORM path and its choice labels, if every column reads a plain field (or an annotation of
        `queryset`) and `values` is not overridden: exports then read rows as tuples instead of model instances,
        several times faster. None otherwise."""
        if type(self).values is not Table.values:
            return None
        paths = []
        for column in self.columns:
            if column.value is not None:
                return None
            parts = (column.accessor or column.name).split(".")
            if len(parts) == 1 and parts[0] in queryset.query.annotations:
                paths.append((parts[0], None))
                continue
            field = _final_field(self.model, parts, forward_only=True)
            if field is None or field.is_relation:
                return None
            labels = {value: str(label) for value, label in field.flatchoices} if field.choices else None
            paths.append(("__".join(parts), labels))
        return paths

    def cells(self, obj) -> list[Cell]:
        url = obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else None
        cells = []
        for column, read in zip(self.columns, self._readers, strict=True):
            value = read(obj)
            cells.append(Cell(column, value, column.display(value), url if column.link else None))
        return cells

    def rows(self, objects: Iterable) -> list[list[Cell]]:
        return [self.cells(obj) for obj in objects]
