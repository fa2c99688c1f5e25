from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Stage(models.TextChoices):
    """洽谈 → 签约(正式入园合同) → 开工 → 投产 → 达产, or 终止 at any point."""

    NEGOTIATING = "negotiating", _("Negotiating")
    SIGNED = "signed", _("Signed")
    CONSTRUCTION = "construction", pgettext_lazy("project stage", "Under construction")
    PRODUCTION = "production", _("In production")
    FULL_PRODUCTION = "full_production", _("Full production")
    DROPPED = "dropped", _("Dropped")


# The pipeline's order; `dropped` stands outside it.
STAGE_ORDER = [Stage.NEGOTIATING, Stage.SIGNED, Stage.CONSTRUCTION, Stage.PRODUCTION, Stage.FULL_PRODUCTION]


class InvestorOrigin(models.TextChoices):
    LOCAL = "local", _("Local")
    IN_PROVINCE = "in_province", _("Elsewhere in the province")
    OTHER_PROVINCE = "other_province", _("Other provinces")
    HK_MACAO_TAIWAN = "hk_macao_taiwan", _("Hong Kong, Macao, Taiwan")
    FOREIGN = "foreign", _("Abroad")


class KeyLevel(models.TextChoices):
    PROVINCIAL_INDUSTRY = "provincial_industry", _("Provincial “Five 100s” major industrial project")
    PROVINCIAL_TECH = "provincial_tech", _("Provincial “Five 100s” major tech-innovation project")
    PROVINCIAL = "provincial", _("Provincial key project")
    CITY = "city", _("City key project")


# Investment bands the committee reports (万元).
HUNDRED_MILLION = 10_000  # 1亿元
ONE_BILLION = 100_000  # 10亿元
