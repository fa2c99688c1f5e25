from django.db import models
from django.utils.translation import gettext_lazy as _


class ParkKind(models.TextChoices):
    ZONE = "zone", _("Zone")
    CORE = "core", _("Core area")
    SUB_PARK = "sub_park", _("Sub-park")
    SPECIALISED = "specialised", _("Specialised park")


class ClusterRole(models.TextChoices):
    MAIN = "main", _("Main")
    AUXILIARY = "auxiliary", _("Auxiliary")
    FEATURED = "featured", _("Featured")
