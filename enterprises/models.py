"""The zone's enterprises with their qualifications, R&D platforms and yearly
figures; incubators and the stays of enterprises in them; and the problems enterprises raise (服务企业问题清单)."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from enterprises.choices import (
    UNRESOLVED_STATUSES,
    EnterpriseStatus,
    IncubationStatus,
    Level,
    ListingStage,
    PlatformKind,
    ProblemCategory,
    ProblemStatus,
    QualificationKind,
    SizeClass,
)
from enterprises.validators import normalise_credit_code, validate_credit_code
from parkadmin.collation import by_pinyin
from parkadmin.fields import money_field
from parkadmin.locking import VersionedModel
from parks.models import IndustryCluster, Park


class Enterprise(VersionedModel):
    """An enterprise in the zone's register (中小企业信息库): who it is, where, in which cluster, who looks after it."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    short_name = models.CharField(_("short name"), max_length=50, blank=True)
    credit_code = models.CharField(
        _("unified social credit code"),
        max_length=18,
        unique=True,
        null=True,
        blank=True,
        validators=[validate_credit_code],
        help_text=_("18 characters (GB 32100-2015); leave empty if not known yet."),
    )
    legal_representative = models.CharField(_("legal representative"), max_length=50, blank=True)
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    registered_capital = models.DecimalField(
        _("registered capital (CNY 10k)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    cluster = models.ForeignKey(
        IndustryCluster,
        verbose_name=_("industry cluster"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="enterprises",
    )
    park = models.ForeignKey(
        Park, verbose_name=_("park"), on_delete=models.PROTECT, null=True, blank=True, related_name="enterprises"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=EnterpriseStatus.choices, default=EnterpriseStatus.OPERATING
    )
    size_class = models.CharField(_("size"), max_length=8, choices=SizeClass.choices, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    contact_person = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    liaison = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("liaison officer"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="liaison_enterprises",
    )
    listing_stage = models.CharField(
        _("listing stage"), max_length=8, choices=ListingStage.choices, default=ListingStage.NONE
    )
    land_area_mu = models.DecimalField(
        _("self-owned land (mu)"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    has_own_plant = models.BooleanField(_("self-built plant"), default=False)
    notes = models.TextField(_("notes"), blank=True)
    source = models.CharField(_("source"), max_length=255, blank=True)
    is_sample = models.BooleanField(
        _("sample data"), default=False, help_text=_("Invented for the demo, not taken from a real source.")
    )
    history = HistoricalRecords()

    class Meta:
        ordering = [by_pinyin("name").asc()]  # pinyin order (parkadmin.collation)
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        indexes = [
            models.Index(fields=["status"], name="enterprise_status_idx"),
            models.Index(fields=["cluster", "park"], name="enterprise_cluster_park_idx"),
            # Lists sort by a column, then the primary key: one index walks both, so a page reads 50 rows.
            models.Index(fields=["registered_capital", "id"], name="enterprise_capital_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("enterprises:enterprise_detail", args=[self.pk])

    def clean_fields(self, exclude=None) -> None:
        # Normalise before the validators see the code: people type it in lower case and with spaces.
        self.credit_code = normalise_credit_code(self.credit_code)
        super().clean_fields(exclude)


EXPIRES_BEFORE_ISSUED = _("A certificate cannot expire before it was issued.")
LEFT_BEFORE_ENTERED = _("The day it left cannot be before the day it entered.")
DUE_BEFORE_RAISED = _("The due date cannot be before the day the problem was raised.")
RESOLVED_BEFORE_RAISED = _("It cannot be resolved before it was raised.")


def after(later, earlier) -> bool:
    """False only when both dates are known and `later` comes first."""
    return later is None or earlier is None or later >= earlier


class QualificationQuerySet(models.QuerySet):
    def valid_on(self, day: datetime.date):
        """Qualifications in force on `day`: issued by then and not yet expired (no expiry = open-ended)."""
        return self.filter(Q(expires_on__isnull=True) | Q(expires_on__gte=day), issued_on__lte=day)

    def expiring_within(self, days: int, today: datetime.date | None = None):
        """Qualifications that expire within `days` from today (today included), not yet expired."""
        from django.utils import timezone

        today = today or timezone.localdate()
        return self.filter(expires_on__gte=today, expires_on__lte=today + datetime.timedelta(days=days))


class Qualification(VersionedModel):
    """A certificate an enterprise holds, such as 国家高新技术企业; "valid on a date" is always a query."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.CASCADE, related_name="qualifications"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=QualificationKind.choices)
    certificate_no = models.CharField(_("certificate number"), max_length=50, blank=True)
    issued_on = models.DateField(_("issued on"))
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=255, blank=True)
    history = HistoricalRecords()

    objects = QualificationQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_on", "pk"]
        verbose_name = _("qualification")
        verbose_name_plural = _("qualifications")
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(expires_on__gte=models.F("issued_on")),
                name="qualification_expires_after_issue",
                violation_error_message=EXPIRES_BEFORE_ISSUED,
            )
        ]
        indexes = [models.Index(fields=["kind", "issued_on", "expires_on"], name="qualification_validity_idx")]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.get_kind_display()}"

    def clean(self) -> None:
        # The constraint guards the database; here the message goes to the field it concerns.
        if not after(self.expires_on, self.issued_on):
            raise ValidationError({"expires_on": EXPIRES_BEFORE_ISSUED})

    def get_absolute_url(self) -> str:
        return reverse("enterprises:qualification_detail", args=[self.pk])


class ResearchPlatform(VersionedModel):
    """An R&D platform of an enterprise (企业技术中心, 工程研究中心, 重点实验室 …) and its level."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.CASCADE, related_name="platforms"
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=PlatformKind.choices)
    level = models.CharField(_("level"), max_length=12, choices=Level.choices)
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=255, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = [by_pinyin("enterprise__name").asc(), by_pinyin("name").asc()]
        verbose_name = _("R&D platform")
        verbose_name_plural = _("R&D platforms")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("enterprises:researchplatform_detail", args=[self.pk])


class EnterpriseYear(VersionedModel):
    """An enterprise's figures for one year (企业年报数据): money in 万元, exports in 万美元."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.CASCADE, related_name="years"
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(1990), MaxValueValidator(2100)])
    revenue = money_field(_("revenue (CNY 10k)"))
    industrial_output = money_field(_("industrial output (CNY 10k)"))
    tax = money_field(_("tax paid (CNY 10k)"))
    rd_expense = money_field(_("R&D spending (CNY 10k)"))
    employees = models.PositiveIntegerField(_("employees"), null=True, blank=True)
    export_value = money_field(_("exports (USD 10k)"))
    patents_granted = models.PositiveIntegerField(_("patents granted"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=255, blank=True)
    is_sample = models.BooleanField(_("sample data"), default=False)
    history = HistoricalRecords()

    FIGURES = ("revenue", "industrial_output", "tax", "rd_expense", "employees", "export_value", "patents_granted")

    class Meta:
        ordering = [by_pinyin("enterprise__name").asc(), "-year"]
        verbose_name = _("enterprise yearly figures")
        verbose_name_plural = _("enterprise yearly figures")
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "year"],
                name="enterprise_year_unique",
                violation_error_message=_("This enterprise already has figures for that year: edit them instead."),
            )
        ]
        indexes = [
            models.Index(fields=["year", "id"], name="enterprise_year_year_id_idx"),
            models.Index(fields=["revenue", "id"], name="enterprise_year_revenue_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.year}"

    def get_absolute_url(self) -> str:
        return reverse("enterprises:enterpriseyear_detail", args=[self.pk])


class Incubator(VersionedModel):
    """A business incubator (孵化器) in the zone and its level."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    level = models.CharField(_("level"), max_length=12, choices=Level.choices)
    operator = models.CharField(_("operator"), max_length=200, blank=True)
    area_m2 = models.DecimalField(
        _("area (m²)"), max_digits=12, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    park = models.ForeignKey(
        Park, verbose_name=_("park"), on_delete=models.PROTECT, null=True, blank=True, related_name="incubators"
    )
    source = models.CharField(_("source"), max_length=255, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = [by_pinyin("name").asc()]  # pinyin order (parkadmin.collation)
        verbose_name = _("incubator")
        verbose_name_plural = _("incubators")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("enterprises:incubator_detail", args=[self.pk])


class Incubation(VersionedModel):
    """An enterprise's stay in an incubator: incubating (在孵) until it graduates (毕业) or leaves."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.CASCADE, related_name="incubations"
    )
    incubator = models.ForeignKey(
        Incubator, verbose_name=_("incubator"), on_delete=models.PROTECT, related_name="incubations"
    )
    entered_on = models.DateField(_("entered on"))
    status = models.CharField(
        _("status"), max_length=12, choices=IncubationStatus.choices, default=IncubationStatus.INCUBATING
    )
    left_on = models.DateField(_("left on"), null=True, blank=True)
    area_m2 = models.DecimalField(
        _("area (m²)"), max_digits=10, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    is_sample = models.BooleanField(_("sample data"), default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-entered_on", "pk"]
        verbose_name = _("incubation")
        verbose_name_plural = _("incubations")
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise"],
                condition=Q(status="incubating"),
                name="incubation_one_open_per_enterprise",
                violation_error_message=_("This enterprise is already incubating; end that stay first."),
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("entered_on")),
                name="incubation_left_after_entered",
                violation_error_message=LEFT_BEFORE_ENTERED,
            ),
        ]
        indexes = [models.Index(fields=["entered_on", "id"], name="incubation_entered_idx")]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.incubator}"

    def get_absolute_url(self) -> str:
        return reverse("enterprises:incubation_detail", args=[self.pk])

    def clean(self) -> None:
        if not after(self.left_on, self.entered_on):
            raise ValidationError({"left_on": LEFT_BEFORE_ENTERED})
        if self.status == IncubationStatus.INCUBATING and self.left_on:
            raise ValidationError({"left_on": _("An enterprise still incubating has no leaving date.")})
        if self.status != IncubationStatus.INCUBATING and not self.left_on:
            raise ValidationError({"left_on": _("Give the day it graduated or left.")})


def incubating_on_q(day: datetime.date) -> models.Q:
    """A stay counts as incubating on `day` from the day it entered until the day it left: the one rule the yearly
    figures and the incubation list's `incubating_at` filter follow."""
    return models.Q(entered_on__lte=day) & (models.Q(left_on__isnull=True) | models.Q(left_on__gt=day))


def overdue_q(today: datetime.date | None = None) -> models.Q:
    """A problem is overdue while it is unresolved past its due date: the one rule the list's filter and column,
    the dashboard's counts and `ServiceRequest.is_overdue` follow."""
    from django.utils import timezone

    return models.Q(status__in=UNRESOLVED_STATUSES, due_on__lt=today or timezone.localdate())


class ServiceRequestQuerySet(models.QuerySet):
    def unresolved(self):
        return self.filter(status__in=UNRESOLVED_STATUSES)

    def overdue(self, today: datetime.date | None = None):
        return self.filter(overdue_q(today))


class ServiceRequest(VersionedModel):
    """A problem an enterprise raised (服务企业问题清单): assigned, answered by its due date, closed out (销号)."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.CASCADE, related_name="service_requests"
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(pgettext_lazy("problem", "description"), blank=True)
    category = models.CharField(_("category"), max_length=12, choices=ProblemCategory.choices)
    raised_on = models.DateField(_("raised on"))
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_requests",
    )
    due_on = models.DateField(_("due on"), blank=True, help_text=_("Leave empty for the category's time limit."))
    status = models.CharField(_("status"), max_length=12, choices=ProblemStatus.choices, default=ProblemStatus.OPEN)
    resolution = models.TextField(_("resolution"), blank=True)
    resolved_on = models.DateField(_("resolved on"), null=True, blank=True)
    confirmation = models.TextField(_("enterprise's confirmation"), blank=True)
    satisfaction = models.PositiveSmallIntegerField(
        _("satisfaction (1–5)"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    is_sample = models.BooleanField(_("sample data"), default=False)
    history = HistoricalRecords()

    objects = ServiceRequestQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("enterprise problem")
        verbose_name_plural = _("enterprise problems")
        constraints = [
            models.CheckConstraint(
                condition=Q(due_on__gte=models.F("raised_on")),
                name="service_request_due_after_raised",
                violation_error_message=DUE_BEFORE_RAISED,
            ),
            models.CheckConstraint(
                condition=Q(resolved_on__isnull=True) | Q(resolved_on__gte=models.F("raised_on")),
                name="service_request_resolved_after_raised",
                violation_error_message=RESOLVED_BEFORE_RAISED,
            ),
        ]
        indexes = [
            models.Index(fields=["status", "due_on"], name="service_request_status_due_idx"),
            models.Index(fields=["assignee", "status"], name="service_request_assignee_idx"),
            models.Index(fields=["due_on", "id"], name="service_request_due_idx"),
            models.Index(fields=["raised_on", "id"], name="service_request_raised_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("enterprises:servicerequest_detail", args=[self.pk])

    @property
    def is_overdue(self) -> bool:
        """overdue_q, for one record in hand."""
        from django.utils import timezone

        return self.status in UNRESOLVED_STATUSES and self.due_on < timezone.localdate()

    def default_due_on(self) -> datetime.date | None:
        from enterprises.choices import PROBLEM_TIME_LIMIT_DAYS

        if not self.raised_on or not self.category:
            return None
        return self.raised_on + datetime.timedelta(days=PROBLEM_TIME_LIMIT_DAYS.get(self.category, 30))

    def clean_fields(self, exclude=None) -> None:
        if not self.due_on:
            self.due_on = self.default_due_on()
        super().clean_fields(exclude)

    def save(self, *args, **kwargs):
        if not self.due_on:
            self.due_on = self.default_due_on()
        super().save(*args, **kwargs)

    def clean(self) -> None:
        errors = {}
        if not after(self.due_on, self.raised_on):
            errors["due_on"] = DUE_BEFORE_RAISED
        if not after(self.resolved_on, self.raised_on):
            errors["resolved_on"] = RESOLVED_BEFORE_RAISED
        if self.status in (ProblemStatus.RESOLVED, ProblemStatus.CLOSED):
            if not self.resolution.strip():
                errors["resolution"] = _("Say how the problem was resolved before closing it out.")
            if not self.resolved_on:
                errors["resolved_on"] = _("Give the day the problem was resolved.")
        if self.status == ProblemStatus.CLOSED and not self.closed_on:
            errors["closed_on"] = _("Give the day the enterprise confirmed it.")
        if errors:
            raise ValidationError(errors)
