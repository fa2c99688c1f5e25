"""The indicators of the benchmark's synthetic zone: sample indicators and the article's, with approved values
for twenty years in the whole zone and its parks (`run.parks`), and a target for the last year."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from indicators.choices import Category, Kind, ValueStatus
from indicators.demo import DEFINITIONS
from indicators.models import Indicator, IndicatorValue, Target
from parkadmin.sample import BATCH, END_YEAR, PREFIX, SOURCE, SampleRun, delete_all, money

INDICATOR_PREFIX = "sample_ind_"
YEARS_OF_INDICATORS = 20
INDICATOR_THEMES = [
    ("营业收入", "亿元", Category.ECONOMY),
    ("工业产值", "亿元", Category.ECONOMY),
    ("税收收入", "万元", Category.FISCAL),
    ("研发投入", "万元", Category.INNOVATION),
    ("新增企业", "家", Category.ECONOMY),
    ("专利授权", "件", Category.INNOVATION),
    ("到位资金", "亿元", Category.INVESTMENT),
    ("在孵企业", "家", Category.INCUBATION),
    ("从业人员", "人", Category.OTHER),
    ("出口额", "万美元", Category.ECONOMY),
]


def make(run: SampleRun) -> None:
    """The sample indicators, plus the article's indicators (the ones the dashboard draws, ranks and checks
    against the records) with sample values, all approved, for every year and place."""

    indicators = []
    for number in range(1, run.n["indicators"] + 1):
        theme, unit, category = INDICATOR_THEMES[(number - 1) % len(INDICATOR_THEMES)]
        note = f"，由 {run.marker} 生成" if number == 1 else ""
        indicators.append(
            Indicator(
                code=f"{INDICATOR_PREFIX}{number:03d}",
                name=f"{PREFIX}{theme}{number:03d}",
                unit=unit,
                category=category,
                decimals=2,
                kind=Kind.REPORTED,
                definition=f"{PREFIX}指标{note}。",
                min_value=Decimal(0),
                is_headline=number <= 4,
                sort_order=1000 + number,
            )
        )
    taken = set(Indicator.objects.values_list("code", flat=True))
    for order, item in enumerate(run.facts["indicators"], start=1):
        if item["code"] in taken:
            continue  # --force into a database that has them: leave its own values alone
        category, decimals, headline, higher, lowest, _highest, name_en = DEFINITIONS[item["code"]]
        indicators.append(
            Indicator(
                code=item["code"],
                name=item["name_zh"],
                name_en=name_en,
                unit=item["unit"],
                category=category,
                decimals=decimals,
                is_headline=headline,
                higher_is_better=higher,
                kind=Kind.REPORTED,
                min_value=None if lowest is None else Decimal(lowest),
                max_value=Decimal(item.get("out_of") or 200) if item["unit"] == "位" else None,
                definition=f"{PREFIX}数据：参考文章的指标，数值为随机生成。",
                sort_order=order,
            )
        )
    indicators = run.save(Indicator, indicators)
    places = [None, *(park.pk for park in run.parks[: run.n["parks"] - 1])]
    years = range(END_YEAR - YEARS_OF_INDICATORS + 1, END_YEAR + 1)
    values, targets = [], []
    for indicator in indicators:
        zone_series = None
        for place in places:
            series = value_series(run, indicator, len(years), place is None)
            zone_series = zone_series or series
            for year, value in zip(years, series, strict=True):
                values.append(
                    IndicatorValue(
                        indicator_id=indicator.pk,
                        park_id=place,
                        year=year,
                        value=value,
                        status=ValueStatus.APPROVED,
                        source=SOURCE,
                        entered_by_id=run.staff[0],
                        approved_by_id=run.staff[1],
                        approved_at=timezone.make_aware(datetime.datetime(year + 1, 1, 15, 10)),
                    )
                )
        target = zone_series[-1]
        targets.append(
            Target(
                indicator_id=indicator.pk,
                park_id=None,
                year=END_YEAR,
                value=target if indicator.unit == "位" else money(float(target) * 1.05),
                source=SOURCE,
            )
        )
        if len(values) >= 20 * BATCH:
            run.save(IndicatorValue, values)
            values = []
    if values:
        run.save(IndicatorValue, values)
    run.save(Target, targets)


def value_series(run: SampleRun, indicator: Indicator, years: int, zone: bool) -> list[Decimal]:
    """A plausible run of yearly values: ranks drift within the field, everything else grows."""
    rng = run.rng
    if indicator.unit == "位":
        field = int(indicator.max_value or 200)
        rank = rng.randrange(1, field + 1)
        points = []
        for _year in range(years):
            rank = min(field, max(1, rank + rng.randrange(-5, 4)))
            points.append(Decimal(rank))
        return points
    if indicator.unit == "%":
        return [Decimal(f"{rng.gauss(10, 6):.2f}") for _year in range(years)]
    value = rng.lognormvariate(4, 1) * (10 if zone else 1)
    points = []
    for _year in range(years):
        value = max(value * (1 + rng.gauss(0.07, 0.1)), 1.0)
        points.append(Decimal(round(value)) if indicator.decimals == 0 else money(value))
    return points


def sample_indicators(queryset, exclude: bool = False):
    """The indicators the generator made (or, with `exclude`, every other one of `queryset`)."""
    made = Q(code__startswith=INDICATOR_PREFIX) | Q(definition__startswith=PREFIX)
    return queryset.exclude(made) if exclude else queryset.filter(made)


def marked_definition() -> str | None:
    """The definition of the first sample indicator, which names the run that made the sample data (None: none)."""
    return Indicator.objects.filter(code=f"{INDICATOR_PREFIX}001").values_list("definition", flat=True).first()


def foreign_records() -> list[str]:
    """The kinds of record here that are not sample data."""
    found = []
    if sample_indicators(Indicator.objects.filter(kind=Kind.REPORTED), exclude=True).exists():
        found.append(str(Indicator._meta.verbose_name_plural))
    for model in (IndicatorValue, Target):
        if model._default_manager.exclude(source=SOURCE).exists():
            found.append(str(model._meta.verbose_name_plural))
    return found


def has_sample_data() -> bool:
    return Indicator.objects.filter(code__startswith=INDICATOR_PREFIX).exists()


def wipe() -> None:
    """Delete every value and target, and the sample indicators (computed indicators stay)."""
    delete_all([IndicatorValue, Target])
    sample_indicators(Indicator.objects.filter(kind=Kind.REPORTED)).delete()
