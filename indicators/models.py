"""The zone's official statistics: indicator definitions, yearly values with a review step, and targets."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from indicators.choices import Category, Kind, SpanKind, ValueStatus
from parkadmin.formatting import english, unit_label
from parkadmin.locking import VersionedModel
from parkadmin.names import EnglishNamed
from parkadmin.validators import code_validator
from parks.models import Park

YEAR_VALIDATORS = [MinValueValidator(1990), MaxValueValidator(2100)]
# What may be set on a computed indicator: the rest is declared in code (its app's computed.py) and synced at every
# migrate, so an edit there would be overwritten. The definition form and the API both keep to it.
COMPUTED_EDITABLE_FIELDS = ("is_headline", "min_value", "max_value", "records_complete")


class Indicator(EnglishNamed, VersionedModel):
    """What is measured, in which unit, and which way is better (rankings: lower is better)."""

    code = models.CharField(_("code"), max_length=64, unique=True, validators=[code_validator])
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=150, blank=True)
    unit = models.CharField(
        _("unit"),
        max_length=16,
        help_text=_("The unit the figures are reported in, written as Chinese reports write it."),
    )
    category = models.CharField(_("category"), max_length=12, choices=Category.choices, default=Category.ECONOMY)
    decimals = models.PositiveSmallIntegerField(_("decimals"), default=2, validators=[MaxValueValidator(6)])
    higher_is_better = models.BooleanField(_("higher is better"), default=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.REPORTED)
    definition = models.TextField(_("definition"), blank=True)
    min_value = models.DecimalField(
        _("lowest possible value"),
        max_digits=20,
        decimal_places=6,
        null=True,
        blank=True,
        help_text=_("Counts and amounts: 0. Leave empty where any value is possible (growth rates)."),
    )
    max_value = models.DecimalField(
        _("highest possible value"),
        max_digits=20,
        decimal_places=6,
        null=True,
        blank=True,
        help_text=_("Shares in %: 100. Rankings: the number ranked."),
    )
    is_headline = models.BooleanField(_("headline (dashboard card)"), default=False)
    reconciles = models.CharField(
        _("reported indicator it checks"),
        max_length=64,
        blank=True,
        help_text=_("For a computed indicator: the code of the reported indicator of the same measure."),
    )
    records_complete = models.BooleanField(
        _("records are complete"),
        default=False,
        help_text=_(
            "For a computed indicator: the records hold every case, so a figure below the reported one is a "
            "disagreement; otherwise it reads as records still missing."
        ),
    )
    sort_order = models.PositiveIntegerField(_("order"), default=100)
    history = HistoricalRecords()

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        # Values and targets list in their indicator's order: with this index the database walks the indicators
        # in order and takes a page of values, instead of sorting every value.
        indexes = [models.Index(fields=["sort_order", "code"], name="indicator_order_idx")]

    def __str__(self) -> str:
        unit = unit_label(self.unit)
        if english():
            return f"{self.local_name} ({unit})" if unit else self.local_name
        return f"{self.name}（{self.unit}）"

    @property
    def local_unit(self) -> str:
        """The unit as a header names it in the interface's language ('亿元'; 'CNY 100m'; '' for English counts)."""
        return unit_label(self.unit)

    def get_absolute_url(self) -> str:
        return reverse("indicators:indicator_detail", args=[self.code])

    @property
    def is_ranking(self) -> bool:
        return not self.higher_is_better and self.unit == "位"

    def clean(self) -> None:
        low, high = self.min_value, self.max_value
        if low is not None and high is not None and low > high:
            raise ValidationError({"max_value": _("The highest possible value cannot be below the lowest.")})


class PerParkYear(VersionedModel):
    """A figure for an indicator, a year and a park — or the whole zone when `park` is empty.

    Each subclass declares its `indicator` and `park` itself, with the related name the indicator and park read it by.
    """

    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=6)
    source = models.CharField(_("source"), max_length=255, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        abstract = True

    @classmethod
    def unique_per_park_year(
        cls, prefix: str, message, *, single_year: Q | None = None
    ) -> list[models.UniqueConstraint]:
        """One figure per indicator, park and year. `single_year`: the condition that picks the one-year figures,
        where a model also holds figures over several years (those have constraints of their own)."""
        # NULL parks are distinct to SQL, so the whole zone needs a constraint of its own.
        extra = single_year or Q()
        return [
            models.UniqueConstraint(
                fields=["indicator", "park", "year"],
                condition=Q(park__isnull=False) & extra,
                name=f"{prefix}_unique_per_park",
                violation_error_message=message,
            ),
            models.UniqueConstraint(
                fields=["indicator", "year"],
                condition=Q(park__isnull=True) & extra,
                name=f"{prefix}_unique_for_zone",
                violation_error_message=message,
            ),
        ]


class IndicatorValueQuerySet(models.QuerySet):
    def single_years(self) -> IndicatorValueQuerySet:
        """Values of one year: the only ones a year's series, growth, CAGR, cards and sums may read."""
        return self.filter(span_start__isnull=True)

    def spans(self) -> IndicatorValueQuerySet:
        """Values over several years (a total or a yearly average from `span_start` to `year`)."""
        return self.filter(span_start__isnull=False)


def span_label(start: int | None, end: int, kind: str) -> str:
    """'2019' for one year; '2017—2019年累计' / '2017—2019年年均' (English: '2017–2019 total') for a span."""
    if start is None:
        return str(end)
    if kind == SpanKind.AVERAGE:
        return _("%(start)s–%(end)s yearly average") % {"start": start, "end": end}
    return _("%(start)s–%(end)s total") % {"start": start, "end": end}


class IndicatorValue(PerParkYear):
    """A reported value: entered as a draft, submitted, then approved by someone else (or returned)."""

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="values"
    )
    park = models.ForeignKey(
        Park,
        verbose_name=_("park"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="indicator_values",
        help_text=_("Empty for the whole zone."),
    )
    span_start = models.PositiveSmallIntegerField(
        _("first year of the span"),
        null=True,
        blank=True,
        validators=YEAR_VALIDATORS,
        help_text=_(
            "Empty for a value of one year. For a value over several years (2017—2019): its first year; the year "
            "above is its last."
        ),
    )
    span_kind = models.CharField(
        _("span"),
        max_length=8,
        choices=SpanKind.choices,
        blank=True,
        help_text=_("For a value over several years: their total (累计) or a yearly average (年均)."),
    )
    status = models.CharField(_("status"), max_length=10, choices=ValueStatus.choices, default=ValueStatus.DRAFT)
    explanation = models.TextField(
        _("explanation"), blank=True, help_text=_("Why an unusual value is right (required when the checks warn).")
    )
    review_comment = models.TextField(_("review comment"), blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    history = HistoricalRecords()

    objects = IndicatorValueQuerySet.as_manager()

    class Meta:
        ordering = ["indicator__sort_order", "indicator__code", "park__code", "year", "span_start"]
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        permissions = [
            ("submit_indicatorvalue", _("Can submit indicator values for review")),
            ("approve_indicatorvalue", _("Can approve indicator values")),
        ]
        constraints = [
            *PerParkYear.unique_per_park_year(
                "indicator_value",
                _("This indicator already has a value for that park and year: edit it instead."),
                single_year=Q(span_start__isnull=True),
            ),
            models.UniqueConstraint(
                fields=["indicator", "park", "span_start", "year"],
                condition=Q(park__isnull=False, span_start__isnull=False),
                name="indicator_value_unique_span_per_park",
                violation_error_message=_("This indicator already has a value for that park and span: edit it."),
            ),
            models.UniqueConstraint(
                fields=["indicator", "span_start", "year"],
                condition=Q(park__isnull=True, span_start__isnull=False),
                name="indicator_value_unique_span_for_zone",
                violation_error_message=_("This indicator already has a value for that park and span: edit it."),
            ),
            models.CheckConstraint(
                condition=Q(span_start__isnull=True, span_kind="")
                | Q(span_start__isnull=False, span_kind__in=SpanKind.values, span_start__lt=models.F("year")),
                name="indicator_value_span_valid",
                violation_error_message=_(
                    "A span starts before its last year and says whether it is a total or an average."
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["year", "status"], name="indicator_value_status_idx"),
            models.Index(fields=["year", "id"], name="indicator_value_year_id_idx"),
        ]

    def __str__(self) -> str:
        # Fields only (no property): history names a record by calling this on its historical row.
        period = span_label(self.span_start, self.year, self.span_kind)
        return f"{self.indicator.local_name} · {self.park or _('whole zone')} · {period}"

    def get_absolute_url(self) -> str:
        return reverse("indicators:indicatorvalue_detail", args=[self.pk])

    @property
    def is_span(self) -> bool:
        return self.span_start is not None

    @property
    def period_label(self) -> str:
        """'2019', or a span's years and kind: '2017—2019年累计'."""
        return span_label(self.span_start, self.year, self.span_kind)

    def clean(self) -> None:
        if self.indicator_id and self.indicator.kind == Kind.COMPUTED:
            raise ValidationError({"indicator": _("Computed indicators come from the records; they are not typed in.")})
        if self.span_start is None and self.span_kind:
            raise ValidationError({"span_start": _("A total or an average covers several years: give the first.")})
        if self.span_start is not None:
            errors = {}
            if self.year is not None and self.span_start >= self.year:
                errors["span_start"] = _("The span's first year must come before its last year (%(year)s).") % {
                    "year": self.year
                }
            if not self.span_kind:
                errors["span_kind"] = _("Say whether the value is the years' total or their yearly average.")
            if errors:
                raise ValidationError(errors)


class Target(PerParkYear):
    """The year's goal for an indicator (年度目标), for a park or the whole zone."""

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="targets"
    )
    park = models.ForeignKey(
        Park,
        verbose_name=_("park"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="targets",
        help_text=_("Empty for the whole zone."),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator__sort_order", "indicator__code", "park__code", "year"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = PerParkYear.unique_per_park_year(
            "target", _("This indicator already has a target for that park and year: edit it instead.")
        )

    def __str__(self) -> str:
        return f"{self.indicator.local_name} · {self.park or _('whole zone')} · {self.year}"

    def get_absolute_url(self) -> str:
        return reverse("indicators:target_detail", args=[self.pk])
