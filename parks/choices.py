from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ParkKind(models.TextChoices):
    ZONE = "zone", _("Zone")
    CORE = "core", _("Core area")
    SUB_PARK = "sub_park", _("Sub-park")
    SPECIALISED = "specialised", _("Specialised park")


class ClusterRole(models.TextChoices):
    MAIN = "main", pgettext_lazy("cluster role", "Main")
    AUXILIARY = "auxiliary", _("Auxiliary")
    FEATURED = "featured", _("Featured")
