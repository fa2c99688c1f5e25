"""Writes of indicator values, with the checks at entry and the review rules.

Draft → submitted → approved, or returned with a comment; never approved by the person who entered it. Editing an
approved value sends it back for review.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from indicators.checks import check_value
from indicators.choices import Kind, ValueStatus
from indicators.models import Indicator, IndicatorValue
from indicators.selectors import series_of_zone
from parkadmin.computed import REGISTRY
from parkadmin.locking import save_versioned, stale_error

SUBMIT_PERMISSION = "indicators.submit_indicatorvalue"


def _check_may_submit(user) -> None:
    """Submitting is a permission of its own (the statistics staff's role holds it with add and change); `user` None
    is a trusted load, as for `approve`."""
    if user is not None and not user.has_perm(SUBMIT_PERMISSION):
        raise PermissionDenied(_("You may not submit values for review: save the value as a draft instead."))


@transaction.atomic
def indicator_value_save(
    *,
    indicator: Indicator,
    year: int,
    value: Decimal,
    park=None,
    source: str = "",
    note: str = "",
    explanation: str = "",
    user=None,
    submit: bool = False,
    approve: bool = False,
    instance: IndicatorValue | None = None,
    expected_version: int | None = None,
    imported: bool = False,
) -> IndicatorValue:
    """Create or update a value after the checks: errors refuse it; warnings need `explanation`.

    `approve` is for trusted loads (the demo, `import_data --approve`), never for a person's entry. `submit` needs
    the submit permission (PermissionDenied), except for a value `imported`: the import pipeline decides who may
    import (its page, or whoever runs `import_data`), and imported values are always submitted.
    An edit from a stale `expected_version` is refused (StaleVersionError) before the value is judged: the checks
    would otherwise speak of a record the user never saw.
    """
    if submit and not (approve or imported):
        _check_may_submit(user)
    if instance is not None and expected_version is not None and expected_version != instance.version:
        raise stale_error(instance, expected_version)
    if instance is not None and instance.value != value and explanation.strip() == instance.explanation:
        # An explanation belongs to the value it explained: a new value needs its own.
        explanation = ""
    result = check_value(indicator, value, year=year, series=series_of_zone(indicator, park))
    if result.errors:
        raise ValidationError({"value": result.errors})
    if result.warnings and not explanation.strip():
        raise ValidationError({"explanation": [*result.warnings, _("Explain in a sentence why this value is right.")]})
    target = instance or IndicatorValue(indicator=indicator, park=park, year=year)
    target.indicator, target.park, target.year, target.value = indicator, park, year, value
    target.source, target.note, target.explanation = source, note, explanation.strip()
    target.entered_by = user
    target.review_comment = ""
    if approve:
        target.status, target.approved_by, target.approved_at = ValueStatus.APPROVED, None, timezone.now()
    else:
        target.status = ValueStatus.SUBMITTED if submit else ValueStatus.DRAFT
        target.approved_by = target.approved_at = None
    target.full_clean()
    if target.pk:
        return save_versioned(target, expected_version=target.version if expected_version is None else expected_version)
    target.save()
    return target


def _review(value: IndicatorValue, user, expected_version: int | None) -> None:
    if value.status != ValueStatus.SUBMITTED:
        raise ValidationError({"status": _("Only submitted values can be reviewed.")})
    if value.entered_by_id and value.entered_by_id == user.pk:
        raise PermissionDenied(_("A value is reviewed by someone other than the person who entered it."))
    if expected_version is not None and expected_version != value.version:
        raise stale_error(value, expected_version)


@transaction.atomic
def indicator_value_submit(*, value: IndicatorValue, user, expected_version: int | None = None) -> IndicatorValue:
    _check_may_submit(user)
    if value.status not in (ValueStatus.DRAFT, ValueStatus.RETURNED):
        raise ValidationError({"status": _("Only drafts and returned values can be submitted.")})
    value.status = ValueStatus.SUBMITTED
    return save_versioned(value, expected_version=value.version if expected_version is None else expected_version)


@transaction.atomic
def indicator_value_approve(*, value: IndicatorValue, user, expected_version: int | None = None) -> IndicatorValue:
    _review(value, user, expected_version)
    value.status, value.approved_by, value.approved_at = ValueStatus.APPROVED, user, timezone.now()
    value.review_comment = ""
    return save_versioned(value, expected_version=value.version)


@transaction.atomic
def indicator_value_return(
    *, value: IndicatorValue, user, comment: str, expected_version: int | None = None
) -> IndicatorValue:
    _review(value, user, expected_version)
    if not comment.strip():
        raise ValidationError({"review_comment": _("Say what needs correcting.")})
    value.status, value.review_comment = ValueStatus.RETURNED, comment.strip()
    return save_versioned(value, expected_version=value.version)


@transaction.atomic
def indicator_value_delete(*, value: IndicatorValue, user) -> None:
    """Delete a draft or returned value; a submitted or approved one only by someone who may approve (else
    deleting would bypass review). The API deletes by this rule; the value's delete page calls this too, but offers
    only drafts and returned values."""
    deletable = (ValueStatus.DRAFT, ValueStatus.RETURNED)
    if value.status not in deletable and not user.has_perm("indicators.approve_indicatorvalue"):
        raise PermissionDenied(
            _("An approved value can only be removed by a reviewer: ask one, or enter a correction.")
        )
    value.delete()


def sync_indicators(indicator_model=None) -> None:
    """Create or update the Indicator row of every registered computed indicator."""
    if indicator_model is None:
        indicator_model = Indicator
    for order, entry in enumerate(REGISTRY.values(), start=500):
        values = {
            "name": entry.name,
            "name_en": entry.name_en,
            "unit": entry.unit,
            "category": entry.category,
            "decimals": entry.decimals,
            "kind": Kind.COMPUTED,
            "reconciles": entry.reconciles,
            "definition": entry.definition,
            "higher_is_better": entry.higher_is_better,
            "sort_order": order,
        }
        indicator, created = indicator_model.objects.get_or_create(code=entry.code, defaults=values)
        if not created and any(getattr(indicator, k) != v for k, v in values.items()):
            indicator_model.objects.filter(pk=indicator.pk).update(**values)


def sync_after_migrate(sender, **kwargs) -> None:
    sync_indicators()
