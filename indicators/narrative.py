"""A summary of the year (the dashboard's and the annual report's), in the style of the reference article:

"2017—2019年，园区公共财政收入分别为7.01亿元、6.55亿元、7.26亿元，年均增长1.77%；"

The English interface reads it in English ("In 2017–2019, the zone's public fiscal revenue was CNY 701m, CNY 655m
and CNY 726m, growing 1.77% a year on average; …"): each sentence has its English form beside the Chinese, as the
two languages order a sentence differently.

A value over several years (a span: 2017—2019 累计 / 年均) is told as such ("2017—2019年，园区知识产权授权累计365项"),
never as its last year's figure. Only sentences whose figures exist are written; every figure is formatted in its unit.
"""

from __future__ import annotations

from decimal import Decimal
from itertools import pairwise

from indicators.choices import SpanKind
from parkadmin.formatting import cagr_pct, english, value_in_unit

NARRATIVE_YEARS = 5  # the period a summary tells: the year and the four before it


def series_sentence(subject: str, name: str, unit: str, decimals: int, points: list[tuple[int, Decimal]]) -> str:
    """'2017—2019年，园区公共财政收入分别为7.01亿元、6.55亿元、7.26亿元，年均增长1.77%': for 3+ consecutive years
    (`summary` tells two years, a gap or a rank with `change_sentence`)."""
    first_year, last_year = points[0][0], points[-1][0]
    texts = [value_in_unit(v, unit, decimals) for _y, v in points]
    growth = cagr_pct(points[0][1], points[-1][1], last_year - first_year) if unit not in ("%", "位") else None
    if english():
        sentence = f"in {first_year}–{last_year}, {of(subject, name)} was {listing(texts)}"
        if growth is not None:
            sentence += f", {'growing' if growth >= 0 else 'falling'} {abs(growth):.2f}% a year on average"
        return sentence
    sentence = f"{first_year}—{last_year}年，{subject}{name}分别为{'、'.join(texts)}"
    if growth is not None:
        sentence += f"，年均增长{growth:.2f}%" if growth >= 0 else f"，年均下降{-growth:.2f}%"
    return sentence


def subject_of(park) -> str:
    """Who the sentences are about: 园区 / the zone (or the zone's root), else the park by its name."""
    if park is None or park.parent_id is None:
        return "the zone" if english() else "园区"
    return park.local_name


def lowered(name: str) -> str:
    """'Public fiscal revenue' → 'public fiscal revenue' inside an English sentence (an acronym keeps its case)."""
    return name[:1].lower() + name[1:] if name[1:2].islower() else name


def of(subject: str, name: str) -> str:
    """'the zone's public fiscal revenue' (English only)."""
    return f"{subject}'s {lowered(name)}"


def listing(texts: list[str]) -> str:
    """'a, b and c' (English only)."""
    return texts[0] if len(texts) == 1 else ", ".join(texts[:-1]) + " and " + texts[-1]


def change_sentence(
    subject: str, name: str, unit: str, decimals: int, start: tuple[int, Decimal], end: tuple[int, Decimal]
) -> str:
    """'园区高新技术企业数从2017年的13家增加到2019年的33家'; for a rank, '…从2018年的第16位提升至2019年的第8位'."""
    (start_year, before), (end_year, after) = start, end
    if english():
        was, now = value_in_unit(before, unit, decimals), value_in_unit(after, unit, decimals)
        better = after < before if unit == "位" else after > before
        if after == before:
            return f"{of(subject, name)} stayed at {now} from {start_year} to {end_year}"
        verb = ("rose" if better else "fell") if unit == "位" else ("grew" if better else "fell")
        return f"{of(subject, name)} {verb} from {was} in {start_year} to {now} in {end_year}"
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
    if english():
        return f"in {year}, {subject} recorded " + ", ".join(f"{lowered(name)} {text}" for name, text in items)
    parts = "，".join(f"{name}{text}" for name, text in items)
    return f"{year}年，{subject}{parts}"


def span_sentence(subject: str, start: int, end: int, items: list[tuple[object, object]]) -> str:
    """'2017—2019年，园区知识产权授权累计365项，技工贸收入年均增长率23.62%': the values over one span.

    `items`: [(indicator, value)], each value with `span_kind` (total: 累计; average: 年均, unless the name says so)."""
    parts = []
    for indicator, value in items:
        text = value_in_unit(value.value, indicator.unit, indicator.decimals)
        if english():
            average = "was" if "average" in indicator.local_name.lower() else "averaged"
            verb = "totalled" if value.span_kind == SpanKind.TOTAL else average
            parts.append(f"{of(subject, indicator.local_name)} {verb} {text}")
        elif value.span_kind == SpanKind.TOTAL:
            parts.append(f"{indicator.name}累计{text}")
        elif "年均" in indicator.name:
            parts.append(f"{indicator.name}{text}")
        else:
            parts.append(f"{indicator.name}年均{text}")
    if english():
        return f"in {start}–{end}, " + ", ".join(parts)
    return f"{start}—{end}年，{subject}" + "，".join(parts)


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
        args = (subject, indicator.local_name, indicator.unit, indicator.decimals)
        consecutive = all(b[0] - a[0] == 1 for a, b in pairwise(points))
        if len(points) >= 3 and consecutive and indicator.unit != "位":
            sentences.append(series_sentence(*args, points))
        elif len(points) >= 2:
            sentences.append(change_sentence(*args, points[0], points[-1]))
        else:
            text = value_in_unit(points[-1][1], indicator.unit, indicator.decimals)
            if indicator.unit == "位" and indicator.max_value:
                out_of = value_in_unit(indicator.max_value, "个", 0)
                text += f" (of {out_of})" if english() else f"（共{out_of}）"
            singles.append((indicator.local_name, text))
    by_span: dict[tuple[int, int], list] = {}
    for indicator, value in spans or []:
        if value.year == year:
            by_span.setdefault((value.span_start, value.year), []).append((indicator, value))
    for (start, end), items in sorted(by_span.items()):
        sentences.append(span_sentence(subject, start, end, items))
    if singles:
        sentences.append(year_sentence(year, subject, singles))
    if english() and sentences:
        sentences[0] = sentences[0][:1].upper() + sentences[0][1:]
        return [s + (";" if i < len(sentences) - 1 else ".") for i, s in enumerate(sentences)]
    return [s + ("；" if i < len(sentences) - 1 else "。") for i, s in enumerate(sentences)]
