"""A summary of the year in Chinese (the dashboard's and the annual report's), in the style of the reference article:

"2017—2019年，园区公共财政收入分别为7.01亿元、6.55亿元、7.26亿元，年均增长1.77%；"

A value over several years (a span: 2017—2019 累计 / 年均) is told as such ("2017—2019年，园区知识产权授权累计365项"),
never as its last year's figure. Only sentences whose figures exist are written; every figure is formatted in its unit.
"""

from __future__ import annotations

from decimal import Decimal
from itertools import pairwise

from django.utils import translation

from indicators.choices import SpanKind
from parkadmin.formatting import cagr_pct, value_in_unit

NARRATIVE_YEARS = 5  # the period a summary tells: the year and the four before it


def series_sentence(subject: str, name: str, unit: str, decimals: int, points: list[tuple[int, Decimal]]) -> str:
    """'2017—2019年，园区公共财政收入分别为7.01亿元、6.55亿元、7.26亿元，年均增长1.77%': for 3+ consecutive years
    (`summary` tells two years, a gap or a rank with `change_sentence`)."""
    first_year, last_year = points[0][0], points[-1][0]
    values = "、".join(value_in_unit(v, unit, decimals) for _y, v in points)
    sentence = f"{first_year}—{last_year}年，{subject}{name}分别为{values}"
    if unit not in ("%", "位"):
        growth = cagr_pct(points[0][1], points[-1][1], last_year - first_year)
        if growth is not None:
            sentence += f"，年均增长{growth:.2f}%" if growth >= 0 else f"，年均下降{-growth:.2f}%"
    return sentence


def change_sentence(
    subject: str, name: str, unit: str, decimals: int, start: tuple[int, Decimal], end: tuple[int, Decimal]
) -> str:
    """'园区高新技术企业数从2017年的13家增加到2019年的33家'; for a rank, '…从2018年的第16位提升至2019年的第8位'."""
    (start_year, before), (end_year, after) = start, end
    if unit == "位":
        verb = "提升至" if after < before else "下降至" if after > before else "保持在"
    else:
        verb = "增加到" if after > before else "减少到" if after < before else "保持在"
    return (
        f"{subject}{name}从{start_year}年的{value_in_unit(before, unit, decimals)}"
        f"{verb}{end_year}年的{value_in_unit(after, unit, decimals)}"
    )


def year_sentence(year: int, subject: str, items: list[tuple[str, str]]) -> str:
    """'2019年，园区合同引资358.7亿元，签订正式入园合同18个'."""
    parts = "，".join(f"{name}{text}" for name, text in items)
    return f"{year}年，{subject}{parts}"


def span_sentence(subject: str, start: int, end: int, items: list[tuple[object, object]]) -> str:
    """'2017—2019年，园区知识产权授权累计365项，技工贸收入年均增长率23.62%': the values over one span.

    `items`: [(indicator, value)], each value with `span_kind` (total: 累计; average: 年均, unless the name says so)."""
    parts = []
    for indicator, value in items:
        text = value_in_unit(value.value, indicator.unit, indicator.decimals)
        if value.span_kind == SpanKind.TOTAL:
            parts.append(f"{indicator.name}累计{text}")
        elif "年均" in indicator.name:
            parts.append(f"{indicator.name}{text}")
        else:
            parts.append(f"{indicator.name}年均{text}")
    return f"{start}—{end}年，{subject}" + "，".join(parts)


@translation.override("zh-hans")  # Chinese sentences hold Chinese figures (358.7亿元), whatever the interface speaks
def summary(year: int, subject: str, series: list, spans: list | None = None) -> list[str]:
    """Sentences for the year: first the indicators with earlier values, then the values over several years that
    end in `year` (`spans`: [(indicator, value)], a value with span_start, span_kind, year and value), one sentence
    per span, then the year's single figures.

    `series`: [(indicator, [(year, value)] oldest first)], one-year values only. Only the indicators with a value in
    `year` are told, with
    their values of the NARRATIVE_YEARS years ending then. Three or more consecutive years read "分别为 …, 年均增长
    …"; two years, a gap or a rank read "从 … 到 …".
    """
    sentences, singles = [], []
    for indicator, full in series:
        points = [(y, v) for y, v in full if year - NARRATIVE_YEARS < y <= year]
        if not points or points[-1][0] != year:
            continue
        args = (subject, indicator.name, indicator.unit, indicator.decimals)
        consecutive = all(b[0] - a[0] == 1 for a, b in pairwise(points))
        if len(points) >= 3 and consecutive and indicator.unit != "位":
            sentences.append(series_sentence(*args, points))
        elif len(points) >= 2:
            sentences.append(change_sentence(*args, points[0], points[-1]))
        else:
            text = value_in_unit(points[-1][1], indicator.unit, indicator.decimals)
            if indicator.unit == "位" and indicator.max_value:
                text += f"（共{value_in_unit(indicator.max_value, '个', 0)}）"
            singles.append((indicator.name, text))
    by_span: dict[tuple[int, int], list] = {}
    for indicator, value in spans or []:
        if value.year == year:
            by_span.setdefault((value.span_start, value.year), []).append((indicator, value))
    for (start, end), items in sorted(by_span.items()):
        sentences.append(span_sentence(subject, start, end, items))
    if singles:
        sentences.append(year_sentence(year, subject, singles))
    return [s + ("；" if i < len(sentences) - 1 else "。") for i, s in enumerate(sentences)]
