"""Optimistic locking: an edit made from an out-of-date copy of a record is refused, never silently applied.

Every editable model carries a `version` that each save increments. A save states the version it was made from;
if the row has moved on meanwhile, `StaleVersionError` says who changed what, and nothing is written.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, router, transaction
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from parkadmin.people import display_name


class VersionedModel(models.Model):
    """Abstract base for records people edit: adds the `version` that optimistic locking checks.

    A save that a unique constraint refuses raises the ValidationError the model's own checks give (its field or
    constraint message), which every page, the API and the services already answer (400 with the field error):
    the checks before a save cannot see a duplicate another request is writing at the same moment, so without this
    the second of two simultaneous creates of one thing was a database error (500).
    """

    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not has_unique_rules(type(self)):
            return super().save(*args, **kwargs)
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        try:
            # A savepoint, so that a refused row leaves the transaction around it usable: the checks below read the
            # database, and the entry grid goes on to check its other rows.
            with transaction.atomic(using=using):
                return super().save(*args, **kwargs)
        except IntegrityError:
            # The checks now see the other record (they read the committed rows); if they find nothing to say, the
            # database's own error stands.
            self.validate_unique()
            self.validate_constraints()
            raise

    save.alters_data = True
    # Rows may still be inserted together (imports): this save stores the row and nothing else, and a batch the
    # database refuses is tried again row by row, through it.
    save.stores_only_its_row = True


@functools.cache
def has_unique_rules(model: type[models.Model]) -> bool:
    """Whether the database may refuse a row of `model` for a duplicate (a unique field or constraint)."""
    return (
        any(field.unique and not field.primary_key for field in model._meta.concrete_fields)
        or bool(model._meta.unique_together)
        or any(isinstance(constraint, models.UniqueConstraint) for constraint in model._meta.constraints)
    )


@dataclass(frozen=True)
class FieldChange:
    field: str
    label: str
    old: object
    new: object


class StaleVersionError(Exception):
    """Raised when a record was saved by someone else since the editor loaded it."""

    def __init__(self, instance: models.Model, expected_version: int, changes: list[FieldChange], changed_by: str):
        self.instance = instance
        self.expected_version = expected_version
        self.changes = changes
        self.changed_by = changed_by
        super().__init__(f"{instance._meta.label} {instance.pk}: version {expected_version} is stale")


def save_versioned(instance: VersionedModel, *, expected_version: int) -> VersionedModel:
    """Save `instance` if the stored row is still at `expected_version`; bump its version.

    The conditional UPDATE takes the row lock, so of two concurrent saves from one version exactly one wins,
    on PostgreSQL and SQLite alike.
    """
    model = type(instance)
    with transaction.atomic():
        moved = model._default_manager.filter(pk=instance.pk, version=expected_version).update(version=F("version") + 1)
        if not moved:
            raise stale_error(instance, expected_version)
        instance.version = expected_version + 1
        try:
            instance.save()
        except ValidationError:
            instance.version = expected_version  # nothing was saved: the record is at the version it was read
            raise
    return instance


def stale_error(instance: models.Model, expected_version: int) -> StaleVersionError:
    """Describe what changed between the version the editor saw and the stored record."""
    from parkadmin.history import describe_changes

    model = type(instance)
    current = model._default_manager.get(pk=instance.pk)
    changes: list[FieldChange] = []
    changed_by = ""
    history = getattr(current, "history", None)
    if history is not None:
        seen = history.filter(version=expected_version).order_by("-history_id").first()
        latest = history.order_by("-history_id").first()
        if seen is not None and latest is not None:
            changes = describe_changes(latest, seen)
        if latest is not None and latest.history_user is not None:
            changed_by = display_name(latest.history_user)
    return StaleVersionError(current, expected_version, changes, changed_by)
