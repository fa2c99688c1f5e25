"""Every figure the dashboard shows, for a year and a park, in a bounded number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from enterprises import selectors as enterprise_selectors
from indicators.choices import Kind, ValueStatus
from indicators.models import Indicator, span_label
from indicators.selectors import (
    approved_series,
    completion_pct,
    indicators_in_order,
    pacing,
    recent_values,
    reconciliation,
    spans_until,
    target_values,
)
from parkadmin.formatting import growth_pct
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
    year: int | None = None
    # A value over several years (2017—2019 累计 / 年均) ending in the card's year, shown with its span; the card
    # then has no year-on-year, target or pace: it is not that year's figure.
    span_start: int | None = None
    span_kind: str = ""

    @property
    def period(self) -> str:
        """What the value covers, in words, when it is not the card's year alone: '2017—2019年累计'."""
        return span_label(self.span_start, self.year, self.span_kind) if self.span_start is not None else ""

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
            "span_start": self.span_start,
            "span_kind": self.span_kind,
        }


def _number(value, places):
    return None if value is None else float(round(value, places))


def indicator_cards(year: int, park: Park | None = None, include_pending: bool = False) -> list[Card]:
    """Cards for the headline indicators and every other reported indicator with a value that year; 3 queries."""
    by_key = {(v.indicator_id, v.year): v for v in recent_values(year, park, include_pending)}
    targets = target_values(year, park)
    spans = spans_until(year, park, include_pending)
    cards = []
    for indicator in indicators_in_order():
        if indicator.kind != Kind.REPORTED:
            continue
        current, before = by_key.get((indicator.pk, year)), by_key.get((indicator.pk, year - 1))
        span = next((v for v in spans.get(indicator.pk, []) if v.year == year), None)
        if current is None and span is not None:
            cards.append(_span_card(indicator, span, targets.get(indicator.pk)))
            continue
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
                year=year,
            )
        )
    return cards


def _span_card(indicator: Indicator, span, target: Decimal | None) -> Card:
    """A card for a value over several years ending in the card's year: the value with its span, never compared
    with a year's figure or target."""
    return Card(
        indicator=indicator,
        value=span.value,
        previous=None,
        status=span.status,
        source=span.source,
        note=span.note,
        target=target,
        yoy_pct=None,
        target_pct=None,
        span_start=span.span_start,
        span_kind=span.span_kind,
        year=span.year,
    )


def indicator_trends(codes: list[str], year: int, park: Park | None = None) -> dict[str, list[tuple[int, Decimal]]]:
    """Approved values of the given indicators up to `year`: {code: [(year, value)]}."""
    ids = {indicator.code: indicator.pk for indicator in indicators_in_order()}
    series = approved_series(year, park)
    return {code: list(series.get(ids.get(code), [])) for code in codes}


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
    """Every reported indicator with its approved values of one year up to `year` (narrative.summary tells the
    period)."""
    series = approved_series(year, park)
    return [(i, series.get(i.pk, [])) for i in indicators_in_order() if i.kind == Kind.REPORTED]


def narrative_spans(year: int, park: Park | None = None) -> list[tuple[Indicator, object]]:
    """Every reported indicator's approved values over several years ending in `year`, in display order, for
    narrative.summary."""
    spans = spans_until(year, park)
    return [
        (i, value)
        for i in indicators_in_order()
        if i.kind == Kind.REPORTED
        for value in spans.get(i.pk, [])
        if value.year == year
    ]
