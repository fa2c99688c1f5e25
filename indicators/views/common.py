"""What the indicators app's pages share: who may enter values, status words, the conflict message, detail rows."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from indicators.choices import ValueStatus
from indicators.models import IndicatorValue
from indicators.tables import format_value, plain_decimal
from parkadmin.generic import stale_message
from parkadmin.locking import StaleVersionError

VALUE_PERMISSIONS = ("indicators.add_indicatorvalue", "indicators.change_indicatorvalue")
REVIEW_PERMISSION = "indicators.approve_indicatorvalue"

VALUE_CONFLICT = gettext_lazy(
    "%(who)s saved this value after you opened it. Nothing of yours was saved: "
    "open the current version and repeat your edit."
)


def can_enter_values(user) -> bool:
    return user.has_perms(VALUE_PERMISSIONS)


def status_labels() -> dict[str, str]:
    return {**{status.value: str(status.label) for status in ValueStatus}, "computed": _("computed")}


def conflict_message(conflict: StaleVersionError) -> str:
    return stale_message(VALUE_CONFLICT, conflict)


def kept_explanation(typed: str, existing: IndicatorValue | None, value: Decimal) -> str:
    """What is typed; else, for an unchanged value, the explanation on record. An explanation belongs to its value:
    a new value is never let through on the old value's explanation."""
    typed = typed.strip()
    if typed or existing is None or existing.value != value:
        return typed
    return existing.explanation


def tidy_rows(obj, fields: list[str], rows: list[tuple]) -> list[tuple]:
    """A record's detail rows with values in the indicator's decimals and unit, bounds without trailing zeros and an
    empty park read as the whole zone (`rows` come in the order of `fields`)."""
    tidy = []
    for name, (label, text) in zip(fields, rows, strict=True):
        if name == "value":
            text = format_value(obj.indicator, obj.value)
        elif name in ("min_value", "max_value") and getattr(obj, name) is not None:
            text = plain_decimal(getattr(obj, name))
        elif name == "park" and not obj.park_id:
            text = _("whole zone")
        tidy.append((label, text))
    return tidy
