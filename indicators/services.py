"""Writes of indicator values, with the checks at entry and the review rules.

Draft → submitted → approved, or returned with a comment; never approved by the person who entered it. Editing an
approved value sends it back for review. The entry grid saves its rows all or none (indicator_values_save_grid).
"""

from __future__ import annotations

from dataclasses import dataclass
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
from parkadmin.locking import StaleVersionError, save_versioned, stale_error

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
    span_start: int | None = None,
    span_kind: str = "",
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

    `approve` is for trusted loads (the demo, `import_data --approve --user REVIEWER`), never for a person's entry;
    `user` is recorded as the approver (None for the demo's figures, approved by no one in this system). `submit` needs
    the submit permission (PermissionDenied), except for a value `imported`: the import pipeline decides who may
    import (its page, or whoever runs `import_data`), and imported values are always submitted.
    `span_start` and `span_kind` make it a value over the years `span_start`…`year` (a total or a yearly average):
    it is checked against its indicator's bounds only, never against the yearly series.
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
    series = {} if span_start is not None else series_of_zone(indicator, park)
    result = check_value(indicator, value, year=year, series=series)
    if result.errors:
        raise ValidationError({"value": result.errors})
    if result.warnings and not explanation.strip():
        raise ValidationError({"explanation": [*result.warnings, _("Explain in a sentence why this value is right.")]})
    # Who entered a value is who typed its figure: a save that leaves the figure as it was (a note, a source, a
    # resubmission) does not make the saver its author, or the author could then approve it.
    typed = instance is None or instance.value != value or instance.entered_by_id is None
    target = instance or IndicatorValue(indicator=indicator, park=park, year=year)
    target.indicator, target.park, target.year, target.value = indicator, park, year, value
    target.span_start, target.span_kind = span_start, span_kind or ""
    target.source, target.note, target.explanation = source, note, explanation.strip()
    if typed:
        target.entered_by = user
    target.review_comment = ""
    if approve:
        target.status, target.approved_by, target.approved_at = ValueStatus.APPROVED, user, timezone.now()
    else:
        target.status = ValueStatus.SUBMITTED if submit else ValueStatus.DRAFT
        target.approved_by = target.approved_at = None
    target.full_clean()
    if target.pk:
        return save_versioned(target, expected_version=target.version if expected_version is None else expected_version)
    target.save()
    return target


@dataclass(frozen=True)
class GridEntry:
    """One row of the entry grid to save: what was typed; `existing`, the year's value on record now (None if there
    is none); `expected_version`, the version of the value the row was read with (None if the row was empty then)."""

    indicator: Indicator
    value: Decimal
    source: str = ""
    note: str = ""
    explanation: str = ""
    existing: IndicatorValue | None = None
    expected_version: int | None = None


class ValueDeleted(Exception):
    """A grid row was read over a value that has been deleted since."""


class GridRefused(Exception):
    """Nothing of the grid was saved. `refusals` maps the position of each refused entry to why: a ValidationError,
    a StaleVersionError or ValueDeleted."""

    def __init__(self, refusals: dict[int, Exception]):
        self.refusals = refusals
        super().__init__(f"{len(refusals)} rows of the entry grid refused")


def indicator_values_save_grid(
    *, entries: list[GridEntry], year: int, park=None, user, submit: bool = False
) -> list[IndicatorValue]:
    """Save the entry grid's rows of one year and park through indicator_value_save, all or none.

    Every entry is tried, so that each refused one can say why (later rows are checked against the earlier ones);
    if any is refused, the transaction is rolled back and GridRefused names them all. PermissionDenied (submitting
    without the submit permission) is not a row's refusal: it is raised as it comes.
    """
    saved: list[IndicatorValue] = []
    refusals: dict[int, Exception] = {}
    with transaction.atomic():
        for position, entry in enumerate(entries):
            try:
                saved.append(_save_grid_entry(entry, year=year, park=park, user=user, submit=submit))
            except (ValidationError, StaleVersionError, ValueDeleted) as error:
                refusals[position] = error
        if refusals:
            raise GridRefused(refusals)
    return saved


def _save_grid_entry(entry: GridEntry, *, year: int, park, user, submit: bool) -> IndicatorValue:
    # A stale version of a row is indicator_value_save's to refuse; what it cannot know is whether the row was empty
    # when the grid was read.
    if entry.existing is None and entry.expected_version is not None:
        raise ValueDeleted
    if entry.existing is not None and entry.expected_version is None:
        raise stale_error(entry.existing, 0)  # entered by someone else meanwhile
    try:
        return indicator_value_save(
            indicator=entry.indicator,
            year=year,
            park=park,
            value=entry.value,
            source=entry.source,
            note=entry.note,
            explanation=entry.explanation,
            user=user,
            submit=submit,
            instance=entry.existing,
            expected_version=entry.expected_version,
        )
    except ValidationError:
        if entry.existing is not None:
            raise
        # Refused as a duplicate: someone entered this cell while the grid was being saved. As when they did it
        # before it was read, a conflict naming them.
        entered = IndicatorValue.objects.single_years().filter(indicator=entry.indicator, park=park, year=year).first()
        if entered is None:
            raise
        raise stale_error(entered, 0) from None


def set_by_since_last_approval(value: IndicatorValue) -> set[int]:
    """Everyone who entered the value's figure since it was last approved (or ever, if never), from its history:
    one query. The four-eyes rule holds against all of them, not only the latest."""
    people = {value.entered_by_id} if value.entered_by_id else set()
    for status, entered_by in value.history.order_by("-history_date", "-history_id").values_list(
        "status", "entered_by_id"
    ):
        if status == ValueStatus.APPROVED:
            break
        if entered_by:
            people.add(entered_by)
    return people


def _review(value: IndicatorValue, user, expected_version: int | None) -> None:
    if value.status != ValueStatus.SUBMITTED:
        raise ValidationError({"status": _("Only submitted values can be reviewed.")})
    if user.pk in set_by_since_last_approval(value):
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


def sync_after_migrate(sender, apps=None, **kwargs) -> None:
    """After every migrate: the Indicator model as the database now stands (a migrate back to an earlier state has
    fewer columns than the code's model), or nothing where the indicators app is not migrated at all."""
    if apps is None:
        sync_indicators()
        return
    try:
        indicator_model = apps.get_model("indicators", "Indicator")
    except LookupError:
        return
    sync_indicators(indicator_model)
