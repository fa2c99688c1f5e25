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


class EnterpriseStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    CONSTRUCTION = "construction", _("Under construction")
    OPERATING = "operating", _("Operating")
    SUSPENDED = "suspended", _("Suspended")
    CLOSED = "closed", _("Closed")
    MOVED_OUT = "moved_out", _("Moved out")


class SizeClass(models.TextChoices):
    LARGE = "large", _("Large")
    MEDIUM = "medium", _("Medium")
    SMALL = "small", _("Small")
    MICRO = "micro", _("Micro")


class ListingStage(models.TextChoices):
    NONE = "none", _("Not listed")
    NEEQ = "neeq", _("NEEQ (新三板)")
    CHINEXT = "chinext", _("ChiNext (创业板)")
    STAR = "star", _("STAR Market (科创板)")
    BSE = "bse", _("Beijing Stock Exchange (北交所)")
    MAIN = "main", _("Main board (主板)")
