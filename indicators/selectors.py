"""Reads of indicators: series with year-on-year growth and CAGR, completion of a target, pacing, the review queue,
the years with values, the reported figures beside what the records give (the reconciliation), an indicator's
year rows and the entry grid."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, F, Q, QuerySet, Subquery
from django.utils import timezone

from indicators.checks import YOY_WARNING_PCT
from indicators.choices import Kind, ValueStatus
from indicators.models import Indicator, IndicatorValue, Target
from parkadmin import computed as computed_indicators
from parkadmin.formatting import cagr_pct, growth_pct, round_half_up
from parkadmin.memo import memo_scope, memoized
from parkadmin.targets import YearTarget

PENDING_STATUSES = (ValueStatus.DRAFT, ValueStatus.SUBMITTED, ValueStatus.RETURNED)


def at_park(queryset: QuerySet, park) -> QuerySet:
    """Values of one park, or of the whole zone (park empty) when `park` is None."""
    return queryset.filter(park=park) if park is not None else queryset.filter(park__isnull=True)


def at_park_or_zone(queryset: QuerySet, park) -> QuerySet:
    """Values of a park, or the whole zone's (no park, or the zone itself)."""
    if park is not None and park.parent_id:
        return queryset.filter(park=park)
    return queryset.filter(park__isnull=True)


def visible_values(*, include_pending: bool = False) -> QuerySet:
    """Approved values only, unless pending ones are asked for (then marked by their status)."""
    values = IndicatorValue.objects.all()
    return values if include_pending else values.filter(status=ValueStatus.APPROVED)


def yearly_values(*, include_pending: bool = False) -> QuerySet:
    """visible_values of one year each: values over several years (spans) never read as a year's."""
    return visible_values(include_pending=include_pending).single_years()


def series_values(
    indicator: Indicator, *, park=None, include_pending: bool = False, years: list[int] | None = None
) -> list[tuple[int, Decimal, str]]:
    """(year, value, status) in year order; a computed indicator is computed for `years` (default: the years any
    value of the zone was reported, up to this year)."""
    if indicator.kind == Kind.COMPUTED:
        if years is None:
            reported = IndicatorValue.objects.order_by().values_list("year", flat=True).distinct()
            first = min(reported, default=timezone.localdate().year)
            years = list(range(first, timezone.localdate().year + 1))
        points = []
        for year in years:
            value = computed_indicators.compute(indicator.code, year, park)
            if value is not None:
                points.append((year, value, "computed"))
        return points
    values = at_park(yearly_values(include_pending=include_pending).filter(indicator=indicator), park)
    return list(values.order_by("year").values_list("year", "value", "status"))


def indicator_series(indicator: Indicator, *, park=None, include_pending: bool = False) -> dict:
    """The contract's series: points with `yoy_pct` against the previous calendar year (null where that year has no
    value) and the period's `cagr_pct` from the first to the last point; both rounded to 2 places."""
    rows = series_values(indicator, park=park, include_pending=include_pending)
    by_year = {year: value for year, value, _status in rows}
    points = [
        {
            "year": year,
            "value": value,
            "yoy_pct": growth_pct(value, by_year.get(year - 1)),
            "status": status,
        }
        for year, value, status in rows
    ]
    cagr = None
    if len(rows) >= 2:
        (first_year, first, _s1), (last_year, last, _s2) = rows[0], rows[-1]
        cagr = cagr_pct(first, last, last_year - first_year)
    return {"indicator": indicator.code, "unit": indicator.unit, "points": points, "cagr_pct": cagr}


def completion_pct(indicator: Indicator, value: Decimal | None, target: Decimal | None) -> Decimal | None:
    """How far `value` is towards `target`, in %; for lower-is-better indicators (rankings) target ÷ value."""
    if value is None or target is None or target == 0 or value == 0:
        return None
    ratio = value / target if indicator.higher_is_better else target / value
    return round_half_up(ratio * 100, 2)


def pacing(
    target: Decimal | None, year_to_date: Decimal | None, *, today: datetime.date | None = None, year: int
) -> dict | None:
    """序时进度: for the current year, the share of the year elapsed and the year-to-date value against it."""
    today = today or timezone.localdate()
    if target is None or year_to_date is None or year != today.year:
        return None
    start = datetime.date(year, 1, 1)
    days = (datetime.date(year + 1, 1, 1) - start).days
    elapsed = Decimal((today - start).days + 1) / Decimal(days)
    expected = target * elapsed
    return {
        "elapsed_pct": round_half_up(elapsed * 100, 2),
        "expected": round_half_up(expected, 2),
        "pace_pct": round_half_up(year_to_date / expected * 100, 2) if expected else None,
    }


def pending_review() -> QuerySet:
    return IndicatorValue.objects.filter(status=ValueStatus.SUBMITTED).select_related("indicator", "park", "entered_by")


def pending_review_count(user=None) -> int:
    """How many values wait for review: the count the top bar's review badge shows (one query)."""
    return IndicatorValue.objects.filter(status=ValueStatus.SUBMITTED).count()


def latest_year_with_approved_data(default: int | None = None) -> int:
    year = (
        IndicatorValue.objects.filter(status=ValueStatus.APPROVED)
        .order_by("-year")
        .values_list("year", flat=True)
        .first()
    )
    return year or default or timezone.localdate().year


def default_year() -> int:
    """The year a reader expects to open on: the latest in which at least half of the headline indicators have an
    approved value for the whole zone; failing that, the latest year with approved data. One query (two where no
    year qualifies)."""
    headline = Indicator.objects.filter(is_headline=True, kind=Kind.REPORTED)
    headline_count = Subquery(headline.order_by().values("kind").annotate(n=Count("pk")).values("n")[:1])
    year = (
        IndicatorValue.objects.filter(status=ValueStatus.APPROVED, park=None, indicator__in=headline)
        .order_by()
        .values("year")
        .annotate(twice=Count("indicator_id", distinct=True) * 2, headline=headline_count)
        .filter(twice__gte=F("headline"))
        .order_by("-year")
        .values_list("year", flat=True)
        .first()
    )
    return year or latest_year_with_approved_data()


def series_of_zone(indicator: Indicator, park=None) -> dict[int, Decimal]:
    """Every value entered for the indicator and park, whatever its status: what entry checks compare against."""
    values = at_park(IndicatorValue.objects.single_years().filter(indicator=indicator), park)
    return dict(values.exclude(status=ValueStatus.RETURNED).values_list("year", "value"))


@memoized
def indicators_in_order() -> list[Indicator]:
    """Every indicator, in display order; read once per request inside a memo scope."""
    return list(Indicator.objects.order_by("sort_order", "code"))


@memoized
def recent_values(year: int, park, include_pending: bool) -> list[IndicatorValue]:
    """This year's and last year's indicator values, approved only unless pending ones are asked for."""
    values = at_park_or_zone(
        IndicatorValue.objects.single_years().filter(year__in=[year - 1, year]).select_related("indicator"), park
    )
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


AGREES, INCOMPLETE, DISAGREES = "agrees", "incomplete", "disagrees"


def reconciliation_verdict(reported: Decimal, records: Decimal | None, *, records_complete: bool) -> str:
    """How the records stand against a reported figure: AGREES (equal to the cent); INCOMPLETE (they hold less, and
    are not known to hold every case: records are still missing — "n of m recorded"); DISAGREES (they hold more, or
    less although they are complete)."""
    held = records if records is not None else Decimal(0)
    if abs(held - reported) < Decimal("0.005"):
        return AGREES
    if held < reported and not records_complete:
        return INCOMPLETE
    return DISAGREES


def reconciliation(year: int, park=None, include_pending: bool = False) -> list[dict]:
    """Reported figures beside what the records hold, for every computed indicator paired with a reported one: the
    dashboard's table and the annual report's. Each row's `verdict` (reconciliation_verdict) tells records still
    missing apart from records that disagree; `agrees` is kept for readers of the verdict's first form."""
    computed = [i for i in indicators_in_order() if i.kind == Kind.COMPUTED and i.reconciles]
    reconciled = {i.reconciles for i in computed}
    reported = {
        v.indicator.code: v
        for v in recent_values(year, park, include_pending)
        if v.year == year and v.indicator.code in reconciled
    }
    rows = []
    for indicator in computed:
        report = reported.get(indicator.reconciles)
        # A computed indicator's row outlives its code when the code leaves the registry (renamed, app removed).
        if report is None or indicator.code not in computed_indicators.REGISTRY:
            continue
        records = computed_indicators.compute(indicator.code, year, park)
        verdict = reconciliation_verdict(report.value, records, records_complete=indicator.records_complete)
        rows.append(
            {
                "code": indicator.reconciles,
                "name": report.indicator.local_name,
                "indicator": report.indicator,
                "unit": report.indicator.unit,
                "decimals": report.indicator.decimals,
                "reported": report.value,
                "records": records,
                "computed_code": indicator.code,
                "agrees": verdict == AGREES,
                "verdict": verdict,
                "source": report.source,
            }
        )
    return rows


def reported_histories(*, year: int, park=None) -> list[tuple[Indicator, dict[int, IndicatorValue], Decimal | None]]:
    """Reported indicators with an approved value or a target for `year`, in display order, each with its approved
    values up to `year` ({year: value}, oldest first; value, source and note read) and its target; three queries.
    `park` None is the whole zone."""
    values = at_park(
        IndicatorValue.objects.single_years().filter(
            status=ValueStatus.APPROVED, year__lte=year, indicator__kind=Kind.REPORTED
        ),
        park,
    ).order_by("year")
    by_indicator: dict[int, dict[int, IndicatorValue]] = {}
    for value in values.only("indicator_id", "year", "value", "source", "note"):
        by_indicator.setdefault(value.indicator_id, {})[value.year] = value
    targets = dict(at_park(Target.objects.filter(year=year), park).values_list("indicator_id", "value"))
    histories = []
    for indicator in Indicator.objects.filter(kind=Kind.REPORTED).order_by("sort_order", "code"):
        history = by_indicator.get(indicator.pk, {})
        if year not in history and indicator.pk not in targets:
            continue
        histories.append((indicator, history, targets.get(indicator.pk)))
    return histories


def default_entry_year() -> int:
    """The year after the latest approved data (the one being collected), but never a year still to come."""
    current = timezone.localdate().year
    latest = latest_year_with_approved_data(default=current - 1)
    return min(latest + 1, current)


# --- an indicator's page ----------------------------------------------------------------------------------------


def reconciliation_pair(indicator: Indicator) -> tuple[Indicator | None, Indicator | None]:
    """(reported, computed) of the measure `indicator` belongs to, where it has a twin; else (None, None)."""
    if indicator.kind == Kind.COMPUTED:
        reported = Indicator.objects.filter(code=indicator.reconciles, kind=Kind.REPORTED).first()
        return (reported, indicator) if reported else (None, None)
    computed = Indicator.objects.filter(kind=Kind.COMPUTED, reconciles=indicator.code).order_by("sort_order").first()
    return (indicator, computed) if computed else (None, None)


def twin_values(
    twin: Indicator | None, *, series: dict, park=None, include_pending: bool = False
) -> dict[int, Decimal | None]:
    """The twin's figure by year: a computed twin worked out for each year of `series` (an indicator_series), a
    reported twin's values as visible."""
    if twin is None:
        return {}
    if twin.kind == Kind.COMPUTED:
        return {p["year"]: computed_indicators.compute(twin.code, p["year"], park) for p in series["points"]}
    values = series_values(twin, park=park, include_pending=include_pending)
    return {year: value for year, value, _status in values}


@dataclass
class IndicatorYearRow:
    """One year on an indicator's page: its figure, year-on-year, target and completion, the value on record
    (reported indicators) and the twin's figure."""

    year: int
    value: Decimal | None = None
    status: str = ""
    yoy_pct: Decimal | None = None
    target: Decimal | None = None
    completion_pct: Decimal | None = None
    record: IndicatorValue | None = None
    twin_value: Decimal | None = None
    # Filled by the page: the status in words and the colour of the change.
    status_label: str = ""
    yoy_class: str = ""

    @property
    def pending(self) -> bool:
        return self.status in PENDING_STATUSES

    @property
    def show_explanation(self) -> bool:
        """Pending values and unusual changes show why they are right; routine ones keep the table short."""
        if self.record is None or not self.record.explanation:
            return False
        return self.pending or (self.yoy_pct is not None and abs(self.yoy_pct) > YOY_WARNING_PCT)


def indicator_year_rows(
    indicator: Indicator,
    *,
    series: dict,
    twin_values: dict[int, Decimal | None],
    park=None,
    include_pending: bool = False,
) -> list[IndicatorYearRow]:
    """A row for each year of `series` (an indicator_series) or with a target, in year order."""
    records = {}
    if indicator.kind == Kind.REPORTED:
        visible = yearly_values(include_pending=include_pending).filter(indicator=indicator)
        records = {v.year: v for v in at_park(visible, park).select_related("entered_by", "approved_by")}
    targets = dict(at_park(Target.objects.filter(indicator=indicator), park).values_list("year", "value"))
    rows = {p["year"]: IndicatorYearRow(p["year"], p["value"], p["status"], p["yoy_pct"]) for p in series["points"]}
    for year in targets:
        rows.setdefault(year, IndicatorYearRow(year))
    for year, row in rows.items():
        row.record = records.get(year)
        row.target = targets.get(year)
        row.completion_pct = completion_pct(indicator, row.value, row.target)
        row.twin_value = twin_values.get(year)
    return [rows[year] for year in sorted(rows)]


# --- the entry grid ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EntryGridLine:
    """One indicator of the entry grid of a year and park. A reported one carries the year's value (`existing`),
    last year's (`previous`, never a returned one) and its computed twin's figure where it has one; a computed one
    its figure (`computed`)."""

    indicator: Indicator
    existing: IndicatorValue | None = None
    previous: IndicatorValue | None = None
    computed: Decimal | None = None
    twin: Indicator | None = None
    twin_value: Decimal | None = None

    @property
    def reported(self) -> bool:
        return self.indicator.kind == Kind.REPORTED


def entry_grid(*, year: int, park) -> list[EntryGridLine]:
    """The reported indicators, then the computed ones the registry works out, in the indicators' order."""
    indicators = list(Indicator.objects.all())
    values = at_park(
        IndicatorValue.objects.single_years().filter(year__in=(year, year - 1), indicator__kind=Kind.REPORTED), park
    ).select_related("entered_by")
    current, previous = {}, {}
    for value in values:
        if value.year == year:
            current[value.indicator_id] = value
        elif value.status != ValueStatus.RETURNED:
            previous[value.indicator_id] = value
    computed = {}
    # Computed indicators of one grid share their yearly figures.
    with memo_scope():
        for indicator in indicators:
            if indicator.kind == Kind.COMPUTED and indicator.code in computed_indicators.REGISTRY:
                computed[indicator.code] = computed_indicators.compute(indicator.code, year, park)
    twins = {i.reconciles: i for i in indicators if i.kind == Kind.COMPUTED and i.reconciles and i.code in computed}
    lines = []
    for indicator in indicators:
        if indicator.kind != Kind.REPORTED:
            continue
        twin = twins.get(indicator.code)
        lines.append(
            EntryGridLine(
                indicator,
                existing=current.get(indicator.pk),
                previous=previous.get(indicator.pk),
                twin=twin,
                twin_value=computed.get(twin.code) if twin else None,
            )
        )
    lines += [
        EntryGridLine(indicator, computed=computed[indicator.code])
        for indicator in indicators
        if indicator.kind == Kind.COMPUTED and indicator.code in computed
    ]
    return lines


def target_values(year: int, park=None) -> dict[int, Decimal]:
    """The year's targets of a park (or the whole zone), {indicator id: value}; one query."""
    return dict(at_park_or_zone(Target.objects.filter(year=year), park).values_list("indicator_id", "value"))


def targets_by_park(code: str, year: int) -> dict[int | None, YearTarget]:
    """The year's targets of the indicator `code`, {park id (None: the whole zone): target in its unit}; one query.
    What this app gives other apps through parkadmin.targets (registered in IndicatorsConfig.ready)."""
    rows = Target.objects.filter(indicator__code=code, year=year).values_list("park_id", "value", "indicator__unit")
    return {park_id: YearTarget(value, unit) for park_id, value, unit in rows}


@memoized
def approved_series(year: int, park=None) -> dict[int, list[tuple[int, Decimal]]]:
    """Every approved value up to `year`, {indicator id: [(year, value)] oldest first}; one query, which the
    trends and the narrative share."""
    values = at_park_or_zone(
        IndicatorValue.objects.single_years().filter(status=ValueStatus.APPROVED, year__lte=year), park
    )
    series: dict[int, list[tuple[int, Decimal]]] = {}
    for indicator_id, value_year, value in values.order_by("year").values_list("indicator_id", "year", "value"):
        series.setdefault(indicator_id, []).append((value_year, value))
    return series


@memoized
def spans_until(year: int, park=None, include_pending: bool = False) -> dict[int, list[IndicatorValue]]:
    """Values over several years that end by `year` (approved only unless pending ones are asked for), {indicator
    id: [value]} latest first; one query. What cards, the summary and the report tell beside, never inside, the
    yearly figures."""
    values = at_park_or_zone(IndicatorValue.objects.spans().filter(year__lte=year), park)
    if not include_pending:
        values = values.filter(status=ValueStatus.APPROVED)
    spans: dict[int, list[IndicatorValue]] = {}
    for value in values.order_by("-year", "span_start"):
        spans.setdefault(value.indicator_id, []).append(value)
    return spans


def indicator_spans(indicator: Indicator, *, park=None, include_pending: bool = False) -> list[IndicatorValue]:
    """An indicator's values over several years, as visible, latest first: its page lists them apart from the
    yearly series."""
    values = at_park(visible_values(include_pending=include_pending).spans().filter(indicator=indicator), park)
    return list(values.select_related("entered_by", "approved_by").order_by("-year", "span_start"))
