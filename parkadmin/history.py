"""Reads of record history (django-simple-history): per-record panels and the app-wide recent-changes page."""

from __future__ import annotations

import datetime
import heapq
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import models
from django.db.models import IntegerField, OuterRef, Subquery, Value
from django.utils.translation import gettext_lazy as _

from parkadmin.locking import FieldChange
from parkadmin.people import display_name

# Bookkeeping columns that never interest a reader.
HIDDEN_FIELDS = {"version", "id"}
CHANGE_TYPES = {"+": _("created"), "~": _("changed"), "-": _("deleted")}


@dataclass
class HistoryEntry:
    record: models.Model
    when: datetime.datetime
    user: object
    change_type: str
    object_label: str
    model_label: str
    object_url: str | None
    changes: list[FieldChange] = field(default_factory=list)

    @property
    def change_type_label(self) -> str:
        return str(CHANGE_TYPES.get(self.change_type, self.change_type))


def tracked_models() -> list[type[models.Model]]:
    """Every model of ours that keeps history, in a stable order."""
    return sorted(
        (m for m in apps.get_models() if hasattr(m, "history") and not m._meta.app_label.startswith("django")),
        key=lambda m: m._meta.label,
    )


def readable_models(user) -> list[type[models.Model]]:
    """The tracked models whose records `user` may read."""
    return [m for m in tracked_models() if user.has_perm(f"{m._meta.app_label}.view_{m._meta.model_name}")]


def _display(model: type[models.Model], name: str, value, related: dict) -> object:
    model_field = model._meta.get_field(name)
    if value is None or value == "":
        return "—"
    if model_field.choices:
        return dict(model_field.flatchoices).get(value, value)
    if model_field.is_relation and model_field.many_to_one:
        return related.get((model_field.related_model, value), value)
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    return value


def describe_changes(new, old, related: dict | None = None) -> list[FieldChange]:
    """Field-by-field differences between two historical records, with labels and readable values."""
    model = new.instance_type
    if related is None:
        related = _related_labels(model, [new, old])
    result = []
    # Every tracked field, editable or not (a project's stage is set by its stage moves, not typed in); compared
    # here rather than with diff_against, which leaves non-editable fields out.
    for model_field in model._meta.concrete_fields:
        if model_field.name in HIDDEN_FIELDS:
            continue
        before, after = getattr(old, model_field.attname), getattr(new, model_field.attname)
        if before == after:
            continue
        result.append(
            FieldChange(
                model_field.name,
                str(model_field.verbose_name),
                _display(model, model_field.name, before, related),
                _display(model, model_field.name, after, related),
            )
        )
    return result


def _related_labels(model: type[models.Model], records: list) -> dict:
    """{(related model, pk): label} for every key the records mention: read from the related records fetched with
    them (history_entries selects them), else one query per foreign key."""
    labels: dict = {}
    for model_field in model._meta.concrete_fields:
        if not (model_field.is_relation and model_field.many_to_one):
            continue
        related_model = model_field.related_model
        missing = set()
        for record in records:
            key = getattr(record, model_field.attname)
            if key is None or (related_model, key) in labels:
                continue
            fetched = record._meta.get_field(model_field.name)
            if fetched.is_cached(record) and getattr(record, model_field.name) is not None:
                labels[(related_model, key)] = _name(getattr(record, model_field.name))
            else:
                missing.add(key)
        for obj in related_model._default_manager.filter(pk__in=missing) if missing else ():
            labels[(related_model, obj.pk)] = _name(obj)
    return labels


def _name(obj: models.Model) -> str:
    """A related record as history names it: a person by their display name, anything else as itself."""
    return display_name(obj) if isinstance(obj, AbstractBaseUser) else str(obj)


def _label(model: type[models.Model], record) -> str:
    """The record's name as it read at that version, from its historical row (whose foreign keys are fetched with it,
    see history_entries): no query per entry, and deleted records keep their name."""
    try:
        return model.__str__(record)
    except AttributeError:  # a __str__ that needs more than the model's fields
        return str(record.instance)


def _with_previous(queryset: models.QuerySet) -> models.QuerySet:
    """Annotate each historical record with the id of the record before it, in the same query."""
    earlier = queryset.model.objects.filter(id=OuterRef("id"), history_id__lt=OuterRef("history_id"))
    return queryset.annotate(previous_id=Subquery(earlier.order_by("-history_id").values("history_id")[:1]))


def _entries(model: type[models.Model], records: list) -> list[HistoryEntry]:
    """Entries for records annotated by `_with_previous`, each diffed against the version before it.

    Two queries per model whatever the number of records: the records and their predecessors, each with the
    records they name (a third, per foreign key, only for records named that have since been deleted).
    """
    if not records:
        return []
    history_model = model.history.model
    wanted = [r.previous_id for r in records if r.history_type == "~" and r.previous_id]
    predecessors = history_model.objects.select_related(*_relations(history_model)).filter(history_id__in=wanted)
    previous = {p.history_id: p for p in predecessors}
    related = _related_labels(model, records + list(previous.values()))
    entries = []
    for record in records:
        prior = previous.get(record.previous_id) if record.history_type == "~" else None
        instance = record.instance
        url = None
        if record.history_type != "-" and hasattr(instance, "get_absolute_url"):
            url = instance.get_absolute_url()
        entries.append(
            HistoryEntry(
                record=record,
                when=record.history_date,
                user=record.history_user,
                change_type=record.history_type,
                object_label=_label(model, record),
                model_label=str(model._meta.verbose_name),
                object_url=url,
                changes=describe_changes(record, prior, related) if prior else [],
            )
        )
    return entries


def _relations(history_model: type[models.Model]) -> list[str]:
    """The foreign keys of a historical model that name records (not the user who made the change)."""
    return [
        f.name
        for f in history_model._meta.concrete_fields
        if f.is_relation and f.many_to_one and f.name != "history_user"
    ]


def history_entries(queryset: models.QuerySet, limit: int | None = 50) -> list[HistoryEntry]:
    """History entries of any history queryset (one record's, a set of records', filtered), newest first, each
    diffed against the version before it, in a fixed number of queries whatever the number of entries."""
    history_model = queryset.model
    ordered = _with_previous(queryset.select_related("history_user", *_relations(history_model))).order_by(
        "-history_date", "-history_id"
    )
    records = list(ordered if limit is None else ordered[:limit])
    return _entries(history_model.instance_type, records)


def object_history(obj: models.Model, limit: int = 50) -> list[HistoryEntry]:
    """The history panel of one record: who changed what, when, newest first."""
    return history_entries(obj.history.all(), limit)


def _filtered(
    queryset: models.QuerySet,
    *,
    user_id: int | None,
    since: datetime.date | None,
    until: datetime.date | None,
) -> models.QuerySet:
    if user_id:
        queryset = queryset.filter(history_user_id=user_id)
    if since:
        queryset = queryset.filter(history_date__date__gte=since)
    if until:
        queryset = queryset.filter(history_date__date__lte=until)
    return queryset


def recent_changes(
    *,
    models_: list[type[models.Model]] | None = None,
    user_id: int | None = None,
    since: datetime.date | None = None,
    until: datetime.date | None = None,
    limit: int = 100,
) -> list[HistoryEntry]:
    """The latest changes across the given models (default: every tracked one), newest first."""
    streams = []
    for model in tracked_models() if models_ is None else models_:
        queryset = _filtered(model.history.all(), user_id=user_id, since=since, until=until)
        streams.append(history_entries(queryset, limit))
    merged = heapq.merge(*streams, key=lambda entry: entry.when, reverse=True)
    return [entry for _index, entry in zip(range(limit), merged, strict=False)]


def change_index(
    models_: list[type[models.Model]],
    *,
    user_id: int | None = None,
    since: datetime.date | None = None,
    until: datetime.date | None = None,
) -> models.QuerySet:
    """Every change to the given models, newest first, as (when, history id, the model's place in `models_`) rows:
    one UNION ALL over their history tables, so a page of it and the total are one query each whatever the number
    of changes. `changes_of` turns a page of it into entries."""
    parts = [
        _filtered(model.history.all(), user_id=user_id, since=since, until=until)
        .order_by()
        .annotate(model_key=Value(key, output_field=IntegerField()))
        .values_list("history_date", "history_id", "model_key")
        for key, model in enumerate(models_)
    ]
    index = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    return index.order_by("-history_date", "-model_key", "-history_id")


def changes_of(rows, models_: list[type[models.Model]]) -> list[HistoryEntry]:
    """The entries of rows of `change_index(models_)`, in their order: two queries per model the rows name."""
    wanted: dict[int, list[int]] = {}
    for _when, history_id, key in rows:
        wanted.setdefault(key, []).append(history_id)
    found = {}
    for key, ids in wanted.items():
        model = models_[key]
        for entry in history_entries(model.history.filter(history_id__in=ids), limit=None):
            found[(key, entry.record.history_id)] = entry
    return [found[(key, history_id)] for _when, history_id, key in rows if (key, history_id) in found]
