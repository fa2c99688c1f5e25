"""The zone's structure: its tree of parks (the zone, its sub-parks and their specialised parks) and its industry
clusters. Every other app places its records in a park and, where it applies, a cluster."""

from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from parkadmin.locking import VersionedModel
from parkadmin.names import EnglishNamed
from parkadmin.validators import code_validator
from parks.choices import ClusterRole, ParkKind


class Park(EnglishNamed, VersionedModel):
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

    def get_absolute_url(self) -> str:
        return reverse("parks:park_detail", args=[self.pk])

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        ancestor = self.parent
        while ancestor is not None:
            if ancestor.pk == self.pk and self.pk is not None:
                raise ValidationError({"parent": _("A park cannot sit inside itself.")})
            ancestor = ancestor.parent


class IndustryCluster(EnglishNamed, VersionedModel):
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

    def get_absolute_url(self) -> str:
        return reverse("parks:industrycluster_detail", args=[self.pk])
