"""The report's indicators section (指标): every reported indicator with its year, growth, target and history, and
the reported figures beside the records."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from indicators.choices import Category, Kind
from indicators.models import Indicator, IndicatorValue
from indicators.selectors import (
    completion_pct,
    indicators_in_order,
    reconciliation,
    reported_histories,
    spans_until,
)
from indicators.tables import reconciliation_text
from parkadmin.formatting import cagr_pct, growth_pct
from parkadmin.sample import in_language
from parks.models import Park
from reports.content import PERCENT, Amount, Chart, ReportTable, Section, pct

TREND_YEARS = 6  # years of history in trend tables


@dataclass
class IndicatorRow:
    indicator: Indicator
    series: list[tuple[int, Decimal]]  # approved values up to the report's year
    value: Decimal | None
    previous: Decimal | None
    target: Decimal | None
    source: str
    note: str

    def amount(self, value) -> Amount:
        return Amount(value, self.indicator.unit, self.indicator.decimals)

    @property
    def is_ranking(self) -> bool:
        return self.indicator.is_ranking

    @property
    def yoy_pct(self) -> Decimal | None:
        # A rank that falls from 16 to 8 is a rise, not −50%: rankings are compared by their places instead.
        return None if self.is_ranking else growth_pct(self.value, self.previous)

    @property
    def cagr(self) -> tuple[Decimal | None, str]:
        """Average annual growth from the first value to this year's, and the period it covers."""
        if self.is_ranking or self.value is None or len(self.series) < 2:
            return None, ""
        (first_year, first), (last_year, last) = self.series[0], self.series[-1]
        return cagr_pct(first, last, last_year - first_year), f"{first_year}—{last_year}"


def indicator_rows(year: int, park: Park | None) -> list[IndicatorRow]:
    """Reported indicators with an approved value or a target for `year`, each with its history; three queries."""
    rows = []
    for indicator, history, target in reported_histories(year=year, park=park):
        current, before = history.get(year), history.get(year - 1)
        rows.append(
            IndicatorRow(
                indicator=indicator,
                series=[(y, v.value) for y, v in sorted(history.items())],
                value=current.value if current else None,
                previous=before.value if before else None,
                target=target,
                source=in_language(current.source) if current else "",
                note=in_language(current.note) if current else "",
            )
        )
    return rows


def report_spans(year: int, park: Park | None) -> list[tuple[Indicator, IndicatorValue]]:
    """Approved values over several years that end in `year` (2017—2019 累计 / 年均), in display order: told with
    their span, never as the year's figures."""
    spans = spans_until(year, park)
    return [
        (indicator, value)
        for indicator in indicators_in_order()
        if indicator.kind == Kind.REPORTED
        for value in spans.get(indicator.pk, [])
        if value.year == year
    ]


def indicators_section(year: int, park: Park | None, rows: list[IndicatorRow]) -> Section:
    section = Section("indicators", _("Indicators"))
    categories = {code: str(label) for code, label in Category.choices}
    sources = {row.source for row in rows if row.value is not None}
    shared_source = next(iter(sources)) if len(sources) == 1 else ""
    table_rows = []
    for row in rows:
        cagr, period = row.cagr
        table_rows.append(
            [
                row.indicator.local_name,
                str(categories.get(row.indicator.category, row.indicator.category)),
                row.amount(row.value),
                row.amount(row.previous),
                pct(row.yoy_pct),
                pct(cagr),
                period,
                row.amount(row.target),
                pct(completion_pct(row.indicator, row.value, row.target), signed=False),
                row.note,
                row.source,
            ]
        )
    note = _("Approved values only. Rankings are compared by their places, not by growth.")
    if shared_source:
        note += " " + _("Source of every value: %(source)s") % {"source": shared_source}
    section.tables.append(
        ReportTable(
            "indicators",
            _("Indicators of %(year)s") % {"year": year},
            [
                _("Indicator"),
                _("Category"),
                _("This year"),
                _("Last year"),
                _("Year on year"),
                _("Average annual growth"),
                _("Period"),
                _("Target"),
                _("Completion"),
                _("Note"),
                _("Source"),
            ],
            table_rows,
            note=note,
            wide=[0, 9, 10],
            brief=[0, 2, 3, 4, 5, 6, 7, 8, 9] if shared_source else [0, 2, 3, 4, 5, 7, 8, 10],
        )
    )

    spans = report_spans(year, park)
    if spans:
        section.tables.append(
            ReportTable(
                "spans",
                _("Values over several years"),
                [_("Indicator"), _("Period"), _("Value"), _("Note"), _("Source")],
                [
                    [
                        indicator.local_name,
                        value.period_label,
                        Amount(value.value, indicator.unit, indicator.decimals),
                        in_language(value.note),
                        in_language(value.source),
                    ]
                    for indicator, value in spans
                ],
                note=_("A total or a yearly average over several years: not a figure of its last year alone."),
                wide=[0, 3, 4],
                brief=[0, 1, 2, 3],
            )
        )

    history = [row for row in rows if row.series]
    first = min((y for row in history for y, _v in row.series), default=year)
    years = list(range(max(first, year - TREND_YEARS + 1), year + 1))
    section.tables.append(
        ReportTable(
            "history",
            _("Values by year"),
            [_("Indicator")] + [str(y) for y in years],
            [[row.indicator.local_name] + [row.amount(dict(row.series).get(y)) for y in years] for row in history],
            wide=[0],
        )
    )

    growth = [row for row in rows if row.yoy_pct is not None]
    if growth:
        section.tables.append(
            ReportTable(
                "growth",
                _("Year-on-year growth"),
                [_("Indicator"), _("Year on year")],
                [[row.indicator.local_name, pct(row.yoy_pct)] for row in growth],
            )
        )
        section.charts.append(Chart("bar", _("Year-on-year growth (%)"), "growth", [1], unit=PERCENT))

    targeted = [row for row in rows if row.target is not None]
    if targeted:
        section.tables.append(
            ReportTable(
                "targets",
                _("Targets of %(year)s") % {"year": year},
                [_("Indicator"), _("Target"), _("This year"), _("Completion")],
                [
                    [
                        row.indicator.local_name,
                        row.amount(row.target),
                        row.amount(row.value),
                        pct(completion_pct(row.indicator, row.value, row.target), signed=False),
                    ]
                    for row in targeted
                ],
            )
        )
        section.charts.append(Chart("bar", _("Target completion (%)"), "targets", [3], unit=PERCENT))

    reconciled = []
    for line in reconciliation(year, park):  # approved values, as everywhere in the report
        reported, records = line["reported"], line["records"]
        difference = None if records is None else reported - records
        amounts = [Amount(value, line["unit"], line["decimals"]) for value in (reported, records, difference)]
        reconciled.append([line["name"], *amounts, reconciliation_text(line)])
    if reconciled:
        section.tables.append(
            ReportTable(
                "reconciliation",
                _("Reported figures and the records"),
                [_("Indicator"), _("Reported"), _("From the records"), _("Difference"), _("Verdict")],
                reconciled,
                note=_(
                    "Records incomplete: the records hold less than the reported figure and are not known to hold "
                    "every case. The records disagree: they hold more, or less although they are complete."
                ),
                wide=[0, 4],
            )
        )
    return section


def records_notes(year: int, park: Park | None, codes: tuple[str, ...]) -> dict[str, str]:
    """{reported code: the verdict in words} for the reconciled measures among `codes` whose records do not agree:
    what a table counted from the records says beside a figure the report's summary gives as reported."""
    return {
        line["code"]: reconciliation_text(line)
        for line in reconciliation(year, park)
        if line["code"] in codes and line["verdict"] != "agrees"
    }
