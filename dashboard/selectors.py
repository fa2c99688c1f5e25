"""Every figure the dashboard shows, for a year and a park, in a bounded number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from enterprises import selectors as enterprise_selectors
from indicators.choices import Kind, ValueStatus
from indicators.models import Indicator, IndicatorValue, Target
from indicators.selectors import completion_pct, pacing
from parkadmin import computed as computed_indicators
from parkadmin.formatting import growth_pct
from parkadmin.memo import memoized
from parks.models import Park
from projects import selectors as project_selectors

RANKING_CODES = ("rank_province_hitech_zones", "rank_province_parks", "rank_national_hitech_zones")


@dataclass
class Card:
    """One indicator for one year: what a KPI card and the JSON's `indicators` list show."""

    indicator: Indicator
    value: Decimal | None
    previous: Decimal | None
    status: str | None
    source: str
    note: str
    target: Decimal | None
    yoy_pct: Decimal | None
    target_pct: Decimal | None
    pace: dict | None = None

    @property
    def places_gained(self) -> int | None:
        """For a rank: places moved up since last year (negative: down). YoY % means nothing for a rank."""
        if not self.indicator.is_ranking or self.value is None or self.previous is None:
            return None
        return int(self.previous - self.value)

    @property
    def places_lost(self) -> int | None:
        gained = self.places_gained
        return None if gained is None else -gained

    @property
    def pending(self) -> bool:
        return self.status not in (None, ValueStatus.APPROVED, "computed")

    def as_json(self) -> dict:
        ind = self.indicator
        return {
            "code": ind.code,
            "name": ind.name,
            "unit": ind.unit,
            "value": _number(self.value, ind.decimals),
            "yoy_pct": _number(self.yoy_pct, 2),
            "target": _number(self.target, ind.decimals),
            "target_pct": _number(self.target_pct, 2),
            "source": self.source,
            "status": self.status,
            "higher_is_better": ind.higher_is_better,
        }


def _number(value, places):
    return None if value is None else float(round(value, places))


def at(queryset: QuerySet, park: Park | None) -> QuerySet:
    """Values of a park, or the whole zone's (no park, or the zone itself)."""
    if park is not None and park.parent_id:
        return queryset.filter(park=park)
    return queryset.filter(park__isnull=True)


@memoized
def indicators() -> list[Indicator]:
    """Every indicator, in display order; read once per request inside a memo scope."""
    return list(Indicator.objects.order_by("sort_order", "code"))


@memoized
def value_rows(year: int, park: Park | None, include_pending: bool) -> list[IndicatorValue]:
    """This year's and last year's indicator values, approved only unless pending ones are asked for."""
    values = at(IndicatorValue.objects.filter(year__in=[year - 1, year]).select_related("indicator"), park)
    if not include_pending:
        values = values.filter(status=ValueStatus.APPROVED)
    return list(values)


@memoized
def submitted_by_year() -> dict[int, int]:
    """Every year with indicator values, and how many of its values wait for review; one query."""
    # Counting a column of the (year, status) index lets the database read the index alone.
    submitted = Count("year", filter=Q(status=ValueStatus.SUBMITTED))
    return dict(IndicatorValue.objects.order_by().values("year").annotate(n=submitted).values_list("year", "n"))


def year_choices(*also: int) -> list[int]:
    """Years with indicator values, this year and `also` (the year shown, the default year), newest first."""
    years = set(submitted_by_year()) | {timezone.localdate().year, *also}
    return sorted(years, reverse=True)


def indicator_cards(year: int, park: Park | None = None, include_pending: bool = False) -> list[Card]:
    """Cards for the headline indicators and every other reported indicator with a value that year; 3 queries."""
    by_key = {(v.indicator_id, v.year): v for v in value_rows(year, park, include_pending)}
    targets = dict(at(Target.objects.filter(year=year), park).values_list("indicator_id", "value"))
    cards = []
    for indicator in indicators():
        if indicator.kind != Kind.REPORTED:
            continue
        current, before = by_key.get((indicator.pk, year)), by_key.get((indicator.pk, year - 1))
        if current is None and not indicator.is_headline and indicator.pk not in targets:
            continue
        value = current.value if current else None
        previous = before.value if before else None
        target = targets.get(indicator.pk)
        cards.append(
            Card(
                indicator=indicator,
                value=value,
                previous=previous,
                status=current.status if current else None,
                source=current.source if current else "",
                note=current.note if current else "",
                target=target,
                yoy_pct=growth_pct(value, previous),
                target_pct=completion_pct(indicator, value, target),
                pace=pacing(target, value, year=year),
            )
        )
    return cards


@memoized
def approved_series(year: int, park: Park | None = None) -> dict[int, list[tuple[int, Decimal]]]:
    """Every approved value up to `year`, {indicator id: [(year, value)] oldest first}; one query, which the
    trends and the narrative share."""
    values = at(IndicatorValue.objects.filter(status=ValueStatus.APPROVED, year__lte=year), park)
    series: dict[int, list[tuple[int, Decimal]]] = {}
    for indicator_id, value_year, value in values.order_by("year").values_list("indicator_id", "year", "value"):
        series.setdefault(indicator_id, []).append((value_year, value))
    return series


def indicator_trends(codes: list[str], year: int, park: Park | None = None) -> dict[str, list[tuple[int, Decimal]]]:
    """Approved values of the given indicators up to `year`: {code: [(year, value)]}."""
    ids = {indicator.code: indicator.pk for indicator in indicators()}
    series = approved_series(year, park)
    return {code: list(series.get(ids.get(code), [])) for code in codes}


def reconciliation(year: int, park: Park | None = None, include_pending: bool = False) -> list[dict]:
    """Reported figures beside what the records hold, for every computed indicator paired with a reported one: the
    dashboard's table and the annual report's."""
    computed = [i for i in indicators() if i.kind == Kind.COMPUTED and i.reconciles]
    reconciled = {i.reconciles for i in computed}
    reported = {
        v.indicator.code: v
        for v in value_rows(year, park, include_pending)
        if v.year == year and v.indicator.code in reconciled
    }
    rows = []
    for indicator in computed:
        report = reported.get(indicator.reconciles)
        # A computed indicator's row outlives its code when the code leaves the registry (renamed, app removed).
        if report is None or indicator.code not in computed_indicators.REGISTRY:
            continue
        records = computed_indicators.compute(indicator.code, year, park)
        rows.append(
            {
                "code": indicator.reconciles,
                "name": report.indicator.name,
                "unit": report.indicator.unit,
                "decimals": report.indicator.decimals,
                "reported": report.value,
                "records": records,
                "computed_code": indicator.code,
                "agrees": records is not None and abs(records - report.value) < Decimal("0.005"),
                "source": report.source,
            }
        )
    return rows


def dashboard_figures(*, year: int, park: Park | None = None, include_pending: bool = False) -> dict:
    """The contract's /api/dashboard/ shape (plus what the page needs), from the apps' selectors."""
    cards = indicator_cards(year, park, include_pending)
    incubation = enterprise_selectors.incubation_figures(year=year, park=park)
    return {
        "year": year,
        "park": park.code if park else None,
        "cards": cards,
        "indicators": [card.as_json() for card in cards],
        "projects": project_selectors.yearly_figures(year=year, park=park),
        "funds_by_month": project_selectors.funds_by_month(year=year, park=park),
        "incubation": incubation,
        "service_requests": enterprise_selectors.service_request_figures(year=year, park=park),
        "clusters": enterprise_selectors.enterprises_by_cluster(park=park),
        "cluster_output": enterprise_selectors.year_totals_by_cluster(year=year, park=park),
        "reconciliation": reconciliation(year, park, include_pending),
    }


def narrative_series(year: int, park: Park | None = None) -> list[tuple[Indicator, list[tuple[int, Decimal]]]]:
    """Every reported indicator with its approved values up to `year` (narrative.summary tells the period)."""
    series = approved_series(year, park)
    return [(i, series.get(i.pk, [])) for i in indicators() if i.kind == Kind.REPORTED]
