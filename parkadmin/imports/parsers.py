"""Cell parsers: each turns a non-empty cell into the value the app's form expects (text, numbers, dates, yes/no,
one of a TextChoices, a related record named by its code or name), or says why it cannot."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext as _

from parkadmin.imports.limits import CHUNK
from parkadmin.imports.results import shorten


class CellError(Exception):
    """A cell that cannot be read as its column's type (raised by parsers)."""


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


def match_key(text: str) -> str:
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
        raise CellError(_("“%(value)s” is not a whole number.") % {"value": shorten(cell_text(value))})


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
            raise CellError(_("“%(value)s” is not a number.") % {"value": shorten(cell_text(value))})
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
        raise CellError(_("“%(value)s” is not a date: write it as 2020-03-28.") % {"value": shorten(text)})


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
        text = match_key(cell_text(value))
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise CellError(_("Write 是 or 否, not “%(value)s”.") % {"value": shorten(cell_text(value))})


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
                    names.setdefault(match_key(value), value)
                    names.setdefault(match_key(label), value)
                    for inner in re.findall(r"[(（]([^()（）]+)[)）]", label):
                        names.setdefault(match_key(inner), value)
        shown = "、".join(str(label) for label in self.choices.labels)

        def parse(value):
            text = cell_text(value)
            try:
                return names[match_key(text)]
            except KeyError:
                raise CellError(
                    _("“%(value)s” is not one of: %(allowed)s.") % {"value": shorten(text), "allowed": shown}
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
                    key = match_key(str(value)) if self.whole_table else str(value)
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
                matches = found.get(match_key(variant) if self.whole_table else variant)
                if matches and len(matches) == 1:
                    return next(iter(matches))
                if matches:
                    raise CellError(
                        _("%(count)s records of type %(model)s match “%(value)s”: name it by a unique code.")
                        % {"count": len(matches), "model": label, "value": shorten(text)}
                    )
            raise CellError(_("There is no %(model)s “%(value)s”.") % {"model": label, "value": shorten(text)})

        return parse
