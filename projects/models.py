"""Investment projects (招商引资项目): the pipeline from first talks to full production, and the money that arrived."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from enterprises.models import Enterprise
from parkadmin.collation import by_pinyin
from parkadmin.fields import money_field
from parkadmin.locking import VersionedModel
from parks.models import IndustryCluster, Park
from projects.choices import InvestorOrigin, KeyLevel, Stage
from projects.validators import not_in_future

KEY_LEVEL_FIELDS = {
    KeyLevel.PROVINCIAL_INDUSTRY: "key_provincial_industry",
    KeyLevel.PROVINCIAL_TECH: "key_provincial_tech",
    KeyLevel.PROVINCIAL: "key_provincial",
    KeyLevel.CITY: "key_city",
}


class Project(VersionedModel):
    """An investment project. Its `stage` is the latest move of its dated stage log (StageChange)."""

    name = models.CharField(_("name"), max_length=200)
    investor = models.CharField(_("investor"), max_length=200)
    investor_origin = models.CharField(_("investor origin"), max_length=16, choices=InvestorOrigin.choices, blank=True)
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("enterprise"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="projects",
        help_text=_("The local enterprise, once one exists."),
    )
    cluster = models.ForeignKey(
        IndustryCluster,
        verbose_name=_("industry cluster"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="projects",
    )
    park = models.ForeignKey(
        Park, verbose_name=_("park"), on_delete=models.PROTECT, null=True, blank=True, related_name="projects"
    )
    stage = models.CharField(
        _("stage"), max_length=16, choices=Stage.choices, default=Stage.NEGOTIATING, editable=False
    )
    contract_investment = money_field(_("contract investment (CNY 10k)"))
    planned_fixed_asset_investment = money_field(_("planned fixed-asset investment (CNY 10k)"))
    land_mu = models.DecimalField(
        _("land (mu)"), max_digits=10, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    expected_completion = models.DateField(_("expected completion"), null=True, blank=True)
    expected_annual_output = money_field(_("expected annual output (CNY 10k)"))
    expected_annual_sales = money_field(_("expected annual sales (CNY 10k)"))
    expected_annual_tax = money_field(_("expected annual tax (CNY 10k)"))
    expected_annual_profit_tax = money_field(_("expected annual profit and tax (CNY 10k)"))
    key_provincial_industry = models.BooleanField(_("Provincial “Five 100s” major industrial project"), default=False)
    key_provincial_tech = models.BooleanField(_("Provincial “Five 100s” major tech-innovation project"), default=False)
    key_provincial = models.BooleanField(_("Provincial key project"), default=False)
    key_city = models.BooleanField(_("City key project"), default=False)
    liaison = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("liaison officer"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="liaison_projects",
    )
    notes = models.TextField(_("notes"), blank=True)
    source = models.CharField(_("source"), max_length=255, blank=True)
    is_sample = models.BooleanField(_("sample data"), default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = [by_pinyin("name").asc()]  # pinyin order (parkadmin.collation)
        verbose_name = _("investment project")
        verbose_name_plural = _("investment projects")
        indexes = [
            models.Index(fields=["stage"], name="project_stage_idx"),
            models.Index(fields=["contract_investment"], name="project_investment_idx"),
            models.Index(fields=["name", "id"], name="project_name_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("projects:project_detail", args=[self.pk])

    @property
    def key_levels(self) -> list[str]:
        return [level for level, field in KEY_LEVEL_FIELDS.items() if getattr(self, field)]

    @property
    def is_key(self) -> bool:
        return bool(self.key_levels)


class StageChange(models.Model):
    """One dated move of a project's stage: the log the project's signed, started and production dates come from.

    A correction moves a project back; the later moves it undoes are marked `superseded` and stop counting.
    """

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="stage_changes"
    )
    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices)
    on = models.DateField(_("date"))
    note = models.TextField(_("note"), blank=True)
    is_correction = models.BooleanField(_("correction"), default=False)
    superseded = models.BooleanField(_("superseded by a correction"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["project", "on", "pk"]
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")
        indexes = [models.Index(fields=["stage", "on"], name="stage_change_stage_on_idx")]

    def __str__(self) -> str:
        return f"{self.project} · {self.get_stage_display()} · {self.on:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return self.project.get_absolute_url()


class FundArrival(VersionedModel):
    """Money that actually arrived for a project (到位资金), in 万元."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="fund_arrivals"
    )
    arrived_on = models.DateField(_("arrived on"), validators=[not_in_future])
    amount = models.DecimalField(_("amount (CNY 10k)"), max_digits=16, decimal_places=2)
    source = models.CharField(_("source of funds"), max_length=200, blank=True)
    note = models.CharField(_("note"), max_length=255, blank=True)
    is_sample = models.BooleanField(_("sample data"), default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-arrived_on", "pk"]
        verbose_name = _("fund arrival")
        verbose_name_plural = _("fund arrivals")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="fund_arrival_amount_positive",
                violation_error_message=_("An amount that arrived must be more than zero."),
            )
        ]
        indexes = [models.Index(fields=["arrived_on"], name="fund_arrival_date_idx")]

    def __str__(self) -> str:
        return f"{self.project} · {self.arrived_on:%Y-%m-%d} · {self.amount}"

    def get_absolute_url(self) -> str:
        return reverse("projects:fundarrival_detail", args=[self.pk])

    def clean(self) -> None:
        if self.amount is not None and self.amount <= 0:
            raise ValidationError({"amount": _("An amount that arrived must be more than zero.")})


class ProjectUpdate(VersionedModel):
    """A dated progress note on a project; `is_problem` flags one that needs someone's help."""

    project = models.ForeignKey(Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="updates")
    on = models.DateField(_("date"), validators=[not_in_future])
    text = models.TextField(_("progress"))
    is_problem = models.BooleanField(_("needs help"), default=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-on", "-pk"]
        verbose_name = _("project update")
        verbose_name_plural = _("project updates")

    def __str__(self) -> str:
        return f"{self.project} · {self.on:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("projects:projectupdate_detail", args=[self.pk])
