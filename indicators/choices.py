from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Category(models.TextChoices):
    ECONOMY = "economy", _("Economy")
    INNOVATION = "innovation", _("Innovation")
    INVESTMENT = "investment", _("Investment")
    INCUBATION = "incubation", _("Incubation")
    FISCAL = "fiscal", _("Fiscal")
    RANKING = "ranking", _("Ranking")
    OTHER = "other", _("Other")


class Kind(models.TextChoices):
    REPORTED = "reported", _("Reported")
    COMPUTED = "computed", _("Computed from the records")


class ValueStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", pgettext_lazy("indicator value status", "Returned")


class SpanKind(models.TextChoices):
    """What a value over several years is: their total (累计) or a yearly average (年均, average growth included)."""

    TOTAL = "total", _("total over the years")
    AVERAGE = "average", _("yearly average")
