"""Consistency checks at entry: impossible values are refused; suspicious ones need a written explanation."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from parkadmin.formatting import format_number, growth_pct

YOY_WARNING_PCT = Decimal(50)
TREND_BREAK_PCT = Decimal(20)


@dataclass
class CheckResult:
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def check_value(indicator, value: Decimal, *, year: int, series: dict[int, Decimal] | None = None) -> CheckResult:
    """Check `value` for `year` against the indicator's bounds and its own series (`series`: year → value,
    the other years' values for the same park)."""
    result = CheckResult()
    series = {y: v for y, v in (series or {}).items() if y != year}
    if indicator.min_value is not None and value < indicator.min_value:
        if indicator.is_ranking:
            result.errors.append(_("A rank starts at %(min)s.") % {"min": format_number(indicator.min_value)})
        else:
            result.errors.append(
                _("This indicator cannot be below %(min)s %(unit)s.")
                % {"min": format_number(indicator.min_value), "unit": indicator.unit}
            )
    if indicator.max_value is not None and value > indicator.max_value:
        if indicator.is_ranking:
            result.errors.append(
                _("Only %(max)s were ranked, so the rank cannot be %(value)s.")
                % {"max": format_number(indicator.max_value), "value": format_number(value)}
            )
        else:
            result.errors.append(
                _("This indicator cannot be above %(max)s %(unit)s.")
                % {"max": format_number(indicator.max_value, 2), "unit": indicator.unit}
            )
    if indicator.decimals == 0 and value != value.to_integral_value():
        result.errors.append(_("This indicator counts whole units (%(unit)s): no decimals.") % {"unit": indicator.unit})
    if result.errors:
        return result
    previous = series.get(year - 1)
    change = growth_pct(value, previous)
    if change is not None and abs(change) > YOY_WARNING_PCT:
        result.warnings.append(
            _("%(change)s%% on %(previous_year)s (%(previous)s): a change of more than 50%%.")
            % {"change": f"{change:+.2f}", "previous_year": year - 1, "previous": format_number(previous, 2)}
        )
    trend = _trend_break(value, year, series)
    if trend:
        result.warnings.append(trend)
    return result


def _trend_break(value: Decimal, year: int, series: dict[int, Decimal]) -> str | None:
    """A series that rose (or fell) three years running and now turns the other way by more than 20%."""
    years = [year - 3, year - 2, year - 1]
    if not all(y in series for y in years):
        return None
    a, b, c = (series[y] for y in years)
    change = growth_pct(value, c)
    if change is None:
        return None
    if a < b < c and change < -TREND_BREAK_PCT:
        return _("The series rose three years running and this value falls %(change)s%%.") % {
            "change": f"{-change:.2f}"
        }
    if a > b > c and change > TREND_BREAK_PCT:
        return _("The series fell three years running and this value rises %(change)s%%.") % {"change": f"{change:.2f}"}
    return None
