"""Indicators the projects app computes from its records (see parkadmin/computed.py)."""

from decimal import Decimal

from parkadmin.computed import register_computed
from parkadmin.formatting import WAN_PER_YI
from projects import selectors

SUFFIX, SUFFIX_EN = "（台账）", " (records)"


def _yi(wan) -> Decimal | None:
    """万元 → 亿元; None (unknown) stays None, never 0."""
    return None if wan is None else (Decimal(wan) / WAN_PER_YI).quantize(Decimal("0.01"))


def _figure(name):
    return lambda year, park: selectors.yearly_figures(year=year, park=park)[name]


def _funds_from(origin):
    def compute(year, park):
        by_origin = selectors.funds_by_origin(year=year, park=park)
        return _yi(next(row["amount"] for row in by_origin if row["origin"] == origin))

    return compute


def _key_projects(level):
    """Key projects of that level in the pipeline at the year's end (recorded by then, not dropped by then)."""
    return lambda year, park: selectors.key_project_counts(year=year, park=park)[level]


for code, name, name_en, unit, figure in [
    ("contracts_signed", "签订正式入园合同", "Formal park-entry contracts signed", "个", "signed_count"),
    ("projects_over_1bn", "投资超10亿元项目", "Projects over 1 billion yuan", "个", "over_1bn_count"),
    ("projects_over_100m", "投资亿元以上项目", "Projects over 100 million yuan", "个", "over_100m_count"),
    ("projects_started", "新增开工项目", "Projects started", "个", "started_count"),
    ("projects_in_production", "投产项目", "Projects in production", "个", "production_count"),
]:
    register_computed(
        code=f"{code}_records",
        name=name + SUFFIX,
        name_en=name_en + SUFFIX_EN,
        unit=unit,
        category="investment",
        reconciles=code,
        compute=_figure(figure),
        definition="由项目台账的阶段记录按年度统计。",
    )

register_computed(
    code="contract_investment_records",
    name="合同引资" + SUFFIX,
    name_en="Contract investment" + SUFFIX_EN,
    unit="亿元",
    category="investment",
    decimals=2,
    reconciles="contract_investment",
    definition="当年签约项目的合同投资额合计。",
    compute=lambda year, park: _yi(selectors.yearly_figures(year=year, park=park)["signed_investment"]),
)
register_computed(
    code="funds_arrived_records",
    name="到位资金" + SUFFIX,
    name_en="Funds arrived" + SUFFIX_EN,
    unit="亿元",
    category="investment",
    decimals=2,
    definition="当年到位资金合计。",
    compute=lambda year, park: _yi(selectors.yearly_figures(year=year, park=park)["funds_arrived"]),
)
register_computed(
    code="funds_arrived_out_of_province_records",
    name="省外境内到位资金" + SUFFIX,
    name_en="Funds arrived from other provinces" + SUFFIX_EN,
    unit="亿元",
    category="investment",
    decimals=2,
    reconciles="funds_arrived_out_of_province",
    definition="投资方来自省外境内的项目当年到位资金合计。",
    compute=_funds_from("other_province"),
)
for level, code, name, name_en in [
    (
        "provincial_industry",
        "provincial_key_industry_projects",
        "省“五个100”重大产业项目",
        "Provincial “Five 100s” major industrial projects",
    ),
    (
        "provincial_tech",
        "provincial_key_tech_projects",
        "省“五个100”重大科技创新项目",
        "Provincial “Five 100s” major tech-innovation projects",
    ),
    ("city", "city_key_projects", "市级重点项目", "City key projects"),
]:
    register_computed(
        code=f"{code}_records",
        name=name + SUFFIX,
        name_en=name_en + SUFFIX_EN,
        unit="个",
        category="investment",
        reconciles=code,
        compute=_key_projects(level),
        definition="年末在库且未终止、标记为该级重点的项目数。",
    )
