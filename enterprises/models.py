"""The zone's places and industries, and (as they land) its enterprises."""

from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from enterprises.choices import ClusterRole, EnterpriseStatus, ListingStage, ParkKind, SizeClass
from enterprises.validators import normalise_credit_code, validate_credit_code
from parkadmin.locking import VersionedModel

code_validator = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9_-]*$",
    _("Use letters, digits, '-' and '_' only, starting with a letter or digit."),
)


class Park(VersionedModel):
    """A place in the zone's tree: the zone itself, its sub-parks and the specialised parks inside them (一核两园)."""

    code = models.CharField(_("code"), max_length=32, unique=True, validators=[code_validator])
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=150, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=ParkKind.choices, default=ParkKind.SUB_PARK)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent park"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    description = models.TextField(_("description"), blank=True)
    source = models.CharField(_("source"), max_length=255, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        verbose_name = _("park")
        verbose_name_plural = _("parks")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("enterprises:park_detail", args=[self.pk])

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        ancestor = self.parent
        while ancestor is not None:
            if ancestor.pk == self.pk and self.pk is not None:
                raise ValidationError({"parent": _("A park cannot sit inside itself.")})
            ancestor = ancestor.parent


class IndustryCluster(VersionedModel):
    """An industry cluster (产业集群) of the zone, e.g. 新能源新材料 — a main, auxiliary or featured industry."""

    code = models.CharField(_("code"), max_length=16, unique=True, validators=[code_validator])
    name = models.CharField(_("name"), max_length=100, unique=True)
    name_en = models.CharField(_("English name"), max_length=150, blank=True)
    role = models.CharField(_("role"), max_length=16, choices=ClusterRole.choices, default=ClusterRole.MAIN)
    color = models.CharField(
        _("chart colour"),
        max_length=7,
        default="#1f77b4",
        validators=[RegexValidator(r"^#[0-9A-Fa-f]{6}$", _("Give a colour as #RRGGBB."))],
    )
    description = models.TextField(_("description"), blank=True)
    source = models.CharField(_("source"), max_length=255, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        verbose_name = _("industry cluster")
        verbose_name_plural = _("industry clusters")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("enterprises:industrycluster_detail", args=[self.pk])


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
        _("registered capital (万元)"),
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
        _("self-owned land (亩)"),
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
        ordering = ["name"]
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        indexes = [
            models.Index(fields=["status"], name="enterprise_status_idx"),
            models.Index(fields=["cluster", "park"], name="enterprise_cluster_park_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("enterprises:enterprise_detail", args=[self.pk])

    def clean_fields(self, exclude=None) -> None:
        # Normalise before the validators see the code: people type it in lower case and with spaces.
        self.credit_code = normalise_credit_code(self.credit_code)
        super().clean_fields(exclude)
