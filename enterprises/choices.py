from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class EnterpriseStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    CONSTRUCTION = "construction", _("Under construction")
    OPERATING = "operating", _("Operating")
    SUSPENDED = "suspended", _("Suspended")
    CLOSED = "closed", pgettext_lazy("enterprise status", "Closed")
    MOVED_OUT = "moved_out", _("Moved out")


# Still in the zone (not closed or moved out): the enterprises the zone counts.
ACTIVE_STATUSES = (
    EnterpriseStatus.PLANNED,
    EnterpriseStatus.CONSTRUCTION,
    EnterpriseStatus.OPERATING,
    EnterpriseStatus.SUSPENDED,
)


class SizeClass(models.TextChoices):
    LARGE = "large", _("Large")
    MEDIUM = "medium", _("Medium")
    SMALL = "small", _("Small")
    MICRO = "micro", _("Micro")


class ListingStage(models.TextChoices):
    NONE = "none", _("Not listed")
    NEEQ = "neeq", _("NEEQ")
    CHINEXT = "chinext", _("ChiNext")
    STAR = "star", _("STAR Market")
    BSE = "bse", _("Beijing Stock Exchange")
    MAIN = "main", _("Main board")


class QualificationKind(models.TextChoices):
    HITECH = "hitech", _("National high-tech enterprise")
    TECH_SME = "tech_sme", _("Tech-based SME")
    SPECIALISED_SME = "specialised_sme", _("Specialised SME")
    LITTLE_GIANT = "little_giant", _("Little giant")
    GAZELLE = "gazelle", _("Gazelle enterprise")
    OTHER = "other", _("Other")


class PlatformKind(models.TextChoices):
    TECH_CENTER = "tech_center", _("Enterprise technology centre")
    ENGINEERING_CENTER = "engineering_center", _("Engineering research centre")
    KEY_LAB = "key_lab", _("Key laboratory")
    ACADEMICIAN = "academician", _("Academician workstation")
    OTHER = "other", _("Other")


class Level(models.TextChoices):
    NATIONAL = "national", _("National")
    PROVINCIAL = "provincial", _("Provincial")
    MUNICIPAL = "municipal", _("Municipal")


class IncubationStatus(models.TextChoices):
    INCUBATING = "incubating", _("Incubating")
    GRADUATED = "graduated", _("Graduated")
    EXITED = "exited", _("Exited")


class ProblemCategory(models.TextChoices):
    FINANCING = "financing", _("Financing")
    LAND = "land", _("Land")
    LABOUR = "labour", _("Labour and talent")
    APPROVAL = "approval", _("Approvals")
    UTILITIES = "utilities", _("Water, power, gas")
    LOGISTICS = "logistics", _("Logistics")
    POLICY = "policy", _("Policy")
    OTHER = "other", _("Other")


# Days an enterprise may wait for an answer, by kind of problem: the default due date.
PROBLEM_TIME_LIMIT_DAYS = {
    ProblemCategory.FINANCING: 30,
    ProblemCategory.LAND: 60,
    ProblemCategory.LABOUR: 30,
    ProblemCategory.APPROVAL: 15,
    ProblemCategory.UTILITIES: 7,
    ProblemCategory.LOGISTICS: 15,
    ProblemCategory.POLICY: 15,
    ProblemCategory.OTHER: 30,
}


class ProblemStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", pgettext_lazy("problem status", "Closed")


# What staff still owe an answer on.
UNRESOLVED_STATUSES = (ProblemStatus.OPEN, ProblemStatus.IN_PROGRESS)
