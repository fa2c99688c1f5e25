"""Demo indicators: every figure of the reference article as approved values with the article as source, the
rankings as lower-is-better indicators with their field sizes, and the 2020 targets."""

from __future__ import annotations

from decimal import Decimal

from indicators import demo_sample
from indicators.choices import Category, SpanKind, ValueStatus
from indicators.models import Indicator, IndicatorValue, Target
from indicators.services import indicator_value_save
from parkadmin.upsert import upsert

# code → (category, decimals, headline, higher is better, lowest, highest, English name)
DEFINITIONS = {
    "fiscal_revenue": (Category.FISCAL, 2, True, True, 0, None, "Public fiscal revenue"),
    "tech_industry_trade_revenue_growth_avg": (
        Category.ECONOMY,
        2,
        False,
        True,
        None,
        None,
        "Technology, industry and trade revenue, average annual growth",
    ),
    "industrial_added_value_growth_avg": (
        Category.ECONOMY,
        2,
        False,
        True,
        None,
        None,
        "Industrial added value, average annual growth",
    ),
    "fixed_asset_investment_growth_avg": (
        Category.ECONOMY,
        2,
        False,
        True,
        None,
        None,
        "Fixed-asset investment, average annual growth",
    ),
    "hitech_enterprises": (Category.INNOVATION, 0, True, True, 0, None, "High-tech enterprises"),
    "hitech_output": (Category.INNOVATION, 2, True, True, 0, None, "High-tech output"),
    "ip_granted": (Category.INNOVATION, 0, False, True, 0, None, "Intellectual property granted"),
    "tech_funds_arrived": (Category.INNOVATION, 0, False, True, 0, None, "Science and technology funds arrived"),
    "incubating": (Category.INCUBATION, 0, False, True, 0, None, "Enterprises incubating"),
    "graduated": (Category.INCUBATION, 0, False, True, 0, None, "Graduated enterprises"),
    "rank_national_hitech_zones": (Category.RANKING, 0, False, False, 1, None, "Rank among national high-tech zones"),
    "rank_province_parks": (Category.RANKING, 0, False, False, 1, None, "Rank among the province's parks"),
    "rank_province_hitech_zones": (
        Category.RANKING,
        0,
        True,
        False,
        1,
        None,
        "Rank among the province's high-tech zones",
    ),
    "contract_investment": (Category.INVESTMENT, 2, True, True, 0, None, "Contract investment"),
    "funds_arrived_out_of_province": (
        Category.INVESTMENT,
        2,
        True,
        True,
        0,
        None,
        "Funds arrived from other provinces",
    ),
    "foreign_trade": (Category.ECONOMY, 0, True, True, 0, None, "Foreign trade"),
    "contracts_signed": (Category.INVESTMENT, 0, True, True, 0, None, "Formal park-entry contracts signed"),
    "projects_over_1bn": (Category.INVESTMENT, 0, False, True, 0, None, "Projects over 1 billion yuan"),
    "projects_over_100m": (Category.INVESTMENT, 0, False, True, 0, None, "Projects over 100 million yuan"),
    "projects_started": (Category.INVESTMENT, 0, False, True, 0, None, "Projects started"),
    "projects_in_production": (Category.INVESTMENT, 0, False, True, 0, None, "Projects in production"),
    "provincial_key_industry_projects": (
        Category.INVESTMENT,
        0,
        False,
        True,
        0,
        None,
        "Provincial “Five 100s” major industrial projects",
    ),
    "provincial_key_tech_projects": (
        Category.INVESTMENT,
        0,
        False,
        True,
        0,
        None,
        "Provincial “Five 100s” major tech-innovation projects",
    ),
    "city_key_projects": (Category.INVESTMENT, 0, False, True, 0, None, "City key projects"),
}
# The 2020 goals the article names, each its own indicator.
TARGET_INDICATORS = {
    "新增国家高新技术企业": ("new_hitech_enterprises", "New national high-tech enterprises"),
    "新增各类研发机构": ("new_rd_institutions", "New R&D institutions"),
    "新增专利": ("new_patents", "New patents"),
}
# Where the article gives a figure without a year, the year it belongs to and why.
UNDATED = {
    # "近三年来 … 从13家增加到33家": the start and end years are not stated; 2017→2019 is the natural reading.
    ("hitech_enterprises", "start"): (2017, "文中称“近三年来”从13家增加到33家，未写明起止年份，按2017—2019年理解。"),
    ("hitech_enterprises", "end"): (2019, "文中称“近三年来”从13家增加到33家，未写明起止年份，按2017—2019年理解。"),
    ("hitech_output", "start"): (2017, "文中称“近三年来”，未写明起止年份，按2017—2019年理解。"),
    ("hitech_output", "end"): (2019, "文中称“近三年来”，未写明起止年份，按2017—2019年理解。"),
    ("rank_province_parks", "latest"): (2019, "文中称“提升到55位”，为最近一次排名，按2019年理解。"),
    ("rank_province_hitech_zones", "latest"): (2019, "文中称“提升至第8位”，为最近一次排名，按2019年理解。"),
}
# Figures the article gives for a period rather than a year: code → (last year, note, first year, span kind).
# A first year makes the value a span (2017—2019 累计 / 年均), which never reads as its last year's figure; None
# keeps it a figure of that one year.
PERIOD_NOTES = {
    "tech_industry_trade_revenue_growth_avg": (2019, "2017—2019年年均增长率。", 2017, SpanKind.AVERAGE),
    "industrial_added_value_growth_avg": (2019, "2017—2019年年均增长率。", 2017, SpanKind.AVERAGE),
    "fixed_asset_investment_growth_avg": (2019, "2017—2019年年均增长率。", 2017, SpanKind.AVERAGE),
    "ip_granted": (2019, "近三年累计（2017—2019年）。", 2017, SpanKind.TOTAL),
    "tech_funds_arrived": (2019, "近三年累计（2017—2019年）。", 2017, SpanKind.TOTAL),
    "incubating": (2020, "截至报道时（2020年）。", None, ""),
    "graduated": (2020, "截至报道时（2020年）累计。", None, ""),
    "rank_national_hitech_zones": (2019, "文中未写明年份，按报道前最近一次排名（2019年）理解。", None, ""),
}


def load(facts: dict, source: str) -> dict:
    values = 0
    for order, item in enumerate(facts["indicators"], start=1):
        indicator = _indicator(item, order)
        for year, value, note, span in _points(item):
            save_value(indicator, year, Decimal(str(value)), note, source, span)
            values += 1
    targets = 0
    for order, item in enumerate(facts["targets"], start=len(facts["indicators"]) + 1):
        code, name_en = TARGET_INDICATORS[item["name_zh"]]
        indicator = upsert(
            Indicator,
            {"code": code},
            {
                "name": item["name_zh"],
                "name_en": name_en,
                "unit": item["unit"],
                "category": Category.INNOVATION,
                "decimals": 0,
                "min_value": Decimal(0),
                "sort_order": order,
            },
        )
        upsert(
            Target,
            {"indicator": indicator, "park": None, "year": item["year"]},
            {"value": Decimal(item["value"]), "source": source},
        )
        targets += 1
    summary = {"indicators": len(facts["indicators"]) + targets, "indicator values": values, "targets": targets}
    return summary | demo_sample.load()


def _indicator(item: dict, order: int) -> Indicator:
    category, decimals, headline, higher, lowest, highest, name_en = DEFINITIONS[item["code"]]
    if "out_of" in item:
        highest = item["out_of"]
    return upsert(
        Indicator,
        {"code": item["code"]},
        {
            "name": item["name_zh"],
            "name_en": name_en,
            "unit": item["unit"],
            "category": category,
            "decimals": decimals,
            "is_headline": headline,
            "higher_is_better": higher,
            "min_value": None if lowest is None else Decimal(lowest),
            "max_value": None if highest is None else Decimal(highest),
            "definition": item.get("note", "") if item["code"].startswith("rank_") else "",
            "sort_order": order,
        },
    )


def _points(item: dict) -> list[tuple[int, object, str, tuple[int | None, str]]]:
    """The (year, value, note, (first year, span kind)) of each figure the article gives for one indicator; the
    first year is None for a figure of one year."""
    code = item["code"]
    one_year = (None, "")
    if "values" in item:
        points = []
        for key, value in item["values"].items():
            if key.isdigit():
                points.append((int(key), value, "", one_year))
            else:
                year, note = UNDATED[(code, key)]
                points.append((year, value, note, one_year))
        return points
    year, note, start, kind = PERIOD_NOTES[code]
    return [(year, item["value"], note, (start, kind))]


def save_value(
    indicator: Indicator,
    year: int,
    value: Decimal,
    note: str,
    source: str,
    span: tuple[int | None, str] = (None, ""),
    explanation: str = "摘自参考文章。",
) -> None:
    """Load one approved value of the whole zone, unless it is already there as it is. A span the demo loaded
    earlier as its last year's figure becomes the span it is."""
    start, kind = span
    zone = IndicatorValue.objects.filter(indicator=indicator, park=None, year=year)
    existing = zone.filter(span_start=start).first() if start is not None else zone.single_years().first()
    if existing is None and start is not None:
        existing = zone.single_years().filter(source=source).first()
    if existing and (
        existing.value,
        existing.note,
        existing.source,
        existing.status,
        existing.span_start,
        existing.span_kind,
    ) == (value, note, source, ValueStatus.APPROVED, start, kind):
        return
    indicator_value_save(
        indicator=indicator,
        year=year,
        span_start=start,
        span_kind=kind,
        value=value,
        source=source,
        note=note,
        approve=True,
        instance=existing,
        explanation=explanation,
    )
