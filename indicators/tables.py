"""Tables of indicators, values and targets: the list pages and their CSV/XLSX exports share them."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from indicators import selectors
from indicators.choices import Kind, ValueStatus
from indicators.models import Indicator, IndicatorValue, Target
from parkadmin import computed as computed_indicators
from parkadmin.formatting import english, format_number, format_percent, growth_pct, unit_label, value_in_unit
from parkadmin.sample import in_language
from parkadmin.tables import BOOL, NUMBER, Cell, Column, Table, person_name


def format_value(indicator: Indicator, value, *, unit: bool = True) -> str:
    """A value as people read it: the indicator's own decimals, then its unit (rankings: 第55位)."""
    if value is None:
        return "—"
    text = format_number(value, indicator.decimals)
    if not unit:
        return text
    if english():
        return value_in_unit(value, indicator.unit, indicator.decimals)
    if indicator.is_ranking:
        return f"第{text}位"
    return f"{text}{indicator.unit}"


def reconciliation_text(row: dict) -> str:
    """A reconciliation row's verdict in words (indicators.selectors.reconciliation): 'agrees', 'records incomplete:
    0 of 69家 recorded', 'the records disagree: 20个 against 18个 reported'; the amounts in the interface's language
    and as the cards write them (value_in_unit)."""

    def amount(value) -> str:
        return value_in_unit(Decimal(0) if value is None else value, row["unit"], row["decimals"])

    numbers = {"records": amount(row["records"]), "reported": amount(row["reported"])}
    if row["verdict"] == selectors.AGREES:
        return str(_("agrees"))
    if row["verdict"] == selectors.INCOMPLETE:
        return _("records incomplete: %(records)s of %(reported)s recorded") % numbers
    return _("the records disagree: %(records)s against %(reported)s reported") % numbers


def change_class(change: Decimal | None, higher_is_better: bool) -> str:
    """The colour of a year-on-year change: green when it goes the good way (down, for rankings), red otherwise."""
    if change is None or change == 0:
        return ""
    return "text-success" if (change > 0) == higher_is_better else "text-danger"


def plain_decimal(value: Decimal | None) -> str:
    """A stored value for an input box: 7.260000 → '7.26', 100.000000 → '100'."""
    if value is None:
        return ""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _park(record) -> str:
    return record.park.local_name if record.park_id else str(_("whole zone"))


def _value(record):
    """The value with the indicator's own number of decimals (typed, for exports)."""
    return round(record.value, record.indicator.decimals)


class FormattedValues:
    """Shows the `value` column with each row's indicator's decimals (the unit has its own column; exports keep the
    number as it is)."""

    formatted = ("value",)

    def cells(self, obj) -> list[Cell]:
        cells = super().cells(obj)
        for index, c in enumerate(cells):
            if c.column.name in self.formatted:
                cells[index] = Cell(c.column, c.value, format_value(obj.indicator, c.value, unit=False), c.url)
        return cells


# --- the indicator list: latest value, year-on-year, target completion, a sparkline -------------------------------


SPARK_WIDTH, SPARK_HEIGHT, SPARK_PAD = 96, 24, 3


@dataclass
class Trend:
    """An indicator's yearly series, shown as a tiny SVG line (no script, no inline style) and exported as text."""

    points: list[tuple[int, Decimal]]
    reversed_axis: bool = False

    def __str__(self) -> str:
        return "; ".join(f"{year}: {format_number(value, 2).rstrip('0').rstrip('.')}" for year, value in self.points)

    @property
    def svg(self) -> SafeString:
        if not self.points:
            return SafeString("")
        values = [float(value) for _year, value in self.points]
        low, high = min(values), max(values)
        span = (high - low) or 1.0
        step = (SPARK_WIDTH - 2 * SPARK_PAD) / max(len(values) - 1, 1)
        coordinates = []
        for index, value in enumerate(values):
            share = (value - low) / span
            if self.reversed_axis:
                share = 1 - share
            x = SPARK_PAD + index * step if len(values) > 1 else SPARK_WIDTH / 2
            y = SPARK_HEIGHT - SPARK_PAD - share * (SPARK_HEIGHT - 2 * SPARK_PAD)
            coordinates.append((round(x, 1), round(y, 1)))
        points = " ".join(f"{x},{y}" for x, y in coordinates)
        last_x, last_y = coordinates[-1]
        return format_html(
            '<svg class="pa-spark" viewBox="0 0 {} {}" width="{}" height="{}" role="img" aria-label="{}">'
            '<polyline points="{}" fill="none" stroke="currentColor" stroke-width="1.5"/>'
            '<circle cx="{}" cy="{}" r="2.5" fill="currentColor"/></svg>',
            SPARK_WIDTH,
            SPARK_HEIGHT,
            SPARK_WIDTH,
            SPARK_HEIGHT,
            str(self),
            points,
            last_x,
            last_y,
        )


@dataclass
class Summary:
    """What the indicator list shows of one indicator, for the whole zone."""

    year: int | None = None
    period: str = ""  # a value over several years, where the indicator has only such values: '2017—2019年累计'
    value: Decimal | None = None
    yoy_pct: Decimal | None = None
    target: Decimal | None = None
    completion_pct: Decimal | None = None
    trend: Trend = field(default_factory=lambda: Trend([]))
    yoy_class: str = ""


class Row(list):
    """A list row's cells, with the record they show."""

    def __init__(self, cells, obj):
        super().__init__(cells)
        self.obj = obj


def summary(indicator: Indicator) -> Summary:
    return getattr(indicator, "list_summary", None) or Summary()


class IndicatorTable(Table):
    """Indicators with their latest approved value for the whole zone.

    Reported values and targets of the whole listed page come in two prefetch queries; a computed indicator is
    computed for one year only (the latest year with approved data), so the queries do not grow with the number of
    reported indicators.
    """

    model = Indicator
    default_sort = "sort_order"
    columns = [
        Column("sort_order", order_by="sort_order", header=_("order"), kind=NUMBER),
        Column("name", order_by="name", link=True),
        Column("code", order_by="code", link=True),
        Column("unit", value=lambda i: unit_label(i.unit)),
        Column("category", order_by="category"),
        Column("kind", order_by="kind"),
        Column("latest_year", header=_("latest year"), value=lambda i: summary(i).period or summary(i).year),
        Column("latest_value", header=_("latest value"), kind=NUMBER, value=lambda i: summary(i).value, places=6),
        Column("yoy_pct", header=_("year-on-year (%)"), kind=NUMBER, value=lambda i: summary(i).yoy_pct),
        Column("target", header=_("target"), kind=NUMBER, value=lambda i: summary(i).target, places=6),
        Column(
            "completion_pct", header=_("target completion (%)"), kind=NUMBER, value=lambda i: summary(i).completion_pct
        ),
        Column("trend", header=_("trend"), value=lambda i: summary(i).trend),
        Column("is_headline", kind=BOOL),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._computed_year: int | None = None

    def queryset(self):
        approved = (
            IndicatorValue.objects.single_years()
            .filter(park__isnull=True, status=ValueStatus.APPROVED)
            .order_by("year")
            .only("id", "indicator_id", "year", "value")
        )
        spans = (
            IndicatorValue.objects.spans()
            .filter(park__isnull=True, status=ValueStatus.APPROVED)
            .order_by("year", "span_start")
            .only("id", "indicator_id", "year", "span_start", "span_kind", "value")
        )
        targets = Target.objects.filter(park__isnull=True).order_by("year").only("id", "indicator_id", "year", "value")
        return (
            super()
            .queryset()
            .prefetch_related(
                Prefetch("values", queryset=approved, to_attr="zone_values"),
                Prefetch("values", queryset=spans, to_attr="zone_spans"),
                Prefetch("targets", queryset=targets, to_attr="zone_targets"),
            )
        )

    def computed_year(self) -> int:
        if self._computed_year is None:
            self._computed_year = selectors.latest_year_with_approved_data()
        return self._computed_year

    def annotate(self, indicator: Indicator) -> Indicator:
        if hasattr(indicator, "list_summary"):
            return indicator
        targets = {t.year: t.value for t in getattr(indicator, "zone_targets", [])}
        if indicator.kind == Kind.COMPUTED:
            year = self.computed_year()
            value = computed_indicators.compute(indicator.code, year, None)
            points = [] if value is None else [(year, value)]
        else:
            points = [(v.year, v.value) for v in getattr(indicator, "zone_values", [])]
        result = Summary(trend=Trend(points, reversed_axis=indicator.is_ranking))
        if points:
            by_year = dict(points)
            result.year, result.value = points[-1]
            result.yoy_pct = growth_pct(result.value, by_year.get(result.year - 1))
            result.yoy_class = change_class(result.yoy_pct, indicator.higher_is_better)
            result.target = targets.get(result.year)
            result.completion_pct = selectors.completion_pct(indicator, result.value, result.target)
        elif spans := getattr(indicator, "zone_spans", []):
            # Only values over several years: the latest, with its span, never as a year's own value.
            latest = spans[-1]
            result.year, result.period, result.value = latest.year, latest.period_label, latest.value
        indicator.list_summary = result
        return indicator

    def values(self, obj):
        return super().values(self.annotate(obj))

    def rows(self, objects) -> list[Row]:
        return [Row(self.cells(obj), obj) for obj in objects]

    def cells(self, obj) -> list[Cell]:
        cells = super().cells(self.annotate(obj))
        formatted = []
        for cell in cells:
            if cell.column.name in ("latest_value", "target"):
                cell = Cell(cell.column, cell.value, format_value(obj, cell.value), cell.url)
            elif cell.column.name in ("yoy_pct", "completion_pct") and cell.value is not None:
                text = format_percent(cell.value, signed=cell.column.name == "yoy_pct")
                cell = Cell(cell.column, cell.value, text, cell.url)
            formatted.append(cell)
        return formatted


class IndicatorValueTable(FormattedValues, Table):
    model = IndicatorValue
    default_sort = "-year"
    select_related = ("indicator", "park")
    columns = [
        Column(
            "indicator",
            accessor="indicator.local_name",
            header=_("indicator"),
            order_by="indicator__sort_order",
            link=True,
        ),
        Column("park", header=_("park"), value=_park, order_by="park__code"),
        Column("year", order_by="year", link=True),
        Column("value", kind=NUMBER, value=_value, places=6, order_by="value"),
        Column("unit", header=_("unit"), value=lambda v: unit_label(v.indicator.unit)),
        # A value over several years: its first year and whether it is their total or yearly average (the year
        # above is the span's last); blank for a year's own value.
        Column("span_start", order_by="span_start"),
        Column("span_kind"),
        Column("status", order_by="status"),
        Column("source", value=lambda v: in_language(v.source), written=True),
        Column("note", value=lambda v: in_language(v.note), written=True),
        Column("entered_by", accessor="entered_by_name"),
        Column("approved_by", accessor="approved_by_name"),
    ]

    def queryset(self):
        return (
            super()
            .queryset()
            .annotate(entered_by_name=person_name("entered_by"), approved_by_name=person_name("approved_by"))
        )


class TargetTable(FormattedValues, Table):
    model = Target
    default_sort = "-year"
    select_related = ("indicator", "park")
    columns = [
        Column(
            "indicator",
            accessor="indicator.local_name",
            header=_("indicator"),
            order_by="indicator__sort_order",
            link=True,
        ),
        Column("park", header=_("park"), value=_park, order_by="park__code"),
        Column("year", order_by="year", link=True),
        Column("value", kind=NUMBER, value=_value, places=6, order_by="value"),
        Column("unit", header=_("unit"), value=lambda v: unit_label(v.indicator.unit)),
        Column("source", value=lambda v: in_language(v.source), written=True),
    ]
