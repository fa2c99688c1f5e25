"""Stage timing: how long each project has been in its stage, how long it spent in each past one, how much of its
contract investment has arrived, and whether it is slower than comparable projects.

Comparable projects are those in the same stage and the same size band of contract investment (under 1亿元,
1亿–10亿元, 10亿元 and over, or unknown). Where that group holds fewer than MIN_GROUP projects, the comparison is
with every project in the stage.

- Current stage: a project is slower than the median when it has been in its stage more days than the median of
  the comparable projects in that stage now (days since each entered it).
- Past stage (the project page's timeline): the median of the days comparable projects spent in that stage before
  their next move that counts.

Days are read from the moves that still count (`projects.selectors.stage_entries`: corrected moves are left out). The
clock stops at full production and when a project is dropped: those stages have no days in stage and are never slow.
"""

from __future__ import annotations

import datetime
import math
import statistics
from dataclasses import dataclass

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    DateField,
    DecimalField,
    DurationField,
    F,
    FloatField,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from parkadmin.datacache import DataCache
from projects.choices import HUNDRED_MILLION, ONE_BILLION, Stage
from projects.models import FundArrival, Project, StageChange
from projects.selectors import stage_entries

# Fewer comparable projects than this in a stage and size band: compare with the whole stage instead.
MIN_GROUP = 5

# The stages whose days are counted; full production and dropped end the clock.
TIMED_STAGES = (Stage.NEGOTIATING, Stage.SIGNED, Stage.CONSTRUCTION, Stage.PRODUCTION)

SMALL, MEDIUM, LARGE, UNKNOWN = "small", "100m", "1bn", "unknown"
SIZE_BANDS = {
    SMALL: _("under CNY 100m"),
    MEDIUM: _("CNY 100m–1bn"),
    LARGE: _("CNY 1bn and over"),
    UNKNOWN: _("contract investment unknown"),
}

# Where a sort puts a project with no days in stage or no funds ratio: below every known value, on every database.
NO_AGE = datetime.timedelta(days=-1)
NO_RATIO = -1.0


def size_band(amount) -> str:
    """The size band of a contract investment in 万元 (None: unknown)."""
    if amount is None:
        return UNKNOWN
    if amount >= ONE_BILLION:
        return LARGE
    if amount >= HUNDRED_MILLION:
        return MEDIUM
    return SMALL


def size_band_expression(path: str = "contract_investment") -> Case:
    """`size_band` worked out by the database."""
    return Case(
        When(**{f"{path}__gte": ONE_BILLION}, then=Value(LARGE)),
        When(**{f"{path}__gte": HUNDRED_MILLION}, then=Value(MEDIUM)),
        When(**{f"{path}__isnull": False}, then=Value(SMALL)),
        default=Value(UNKNOWN),
        output_field=CharField(),
    )


def entered_stage(project=None):
    """The day a project (OuterRef("pk") by default) entered its current stage: its first move to that stage that
    still counts, as `stage_entries` reads it."""
    project = OuterRef("pk") if project is None else project
    moves = StageChange.objects.filter(project=project, stage=OuterRef("stage"), superseded=False).order_by("on", "pk")
    return Subquery(moves.values("on")[:1], output_field=DateField())


def funds_total():
    """Every fund arrival of the project, summed (0 when none)."""
    arrivals = (
        FundArrival.objects.filter(project=OuterRef("pk")).order_by().values("project").annotate(total=Sum("amount"))
    )
    money = DecimalField(max_digits=18, decimal_places=2)
    return Coalesce(Subquery(arrivals.values("total"), output_field=money), Value(0, output_field=money))


@dataclass(frozen=True)
class Medians:
    """Median days in the current stage: {(stage, band): days} for groups of MIN_GROUP or more, {stage: days} for
    each stage as a whole."""

    by_band: dict[tuple[str, str], float]
    by_stage: dict[str, float]
    today: datetime.date

    def of(self, stage: str, band: str) -> tuple[float | None, bool]:
        """The median a project of `stage` and `band` is compared with, and whether it is its band's own (False:
        the whole stage's, the band being too small)."""
        if (stage, band) in self.by_band:
            return self.by_band[(stage, band)], True
        return self.by_stage.get(stage), False

    def slower_than(self, stage: str, band: str, days: int | None) -> bool:
        median, _own = self.of(stage, band)
        return days is not None and median is not None and days > median


def tidy(median: float) -> float | int:
    """A median of whole days as an int (35, not 35.0); a half stays (35.5)."""
    return int(median) if median == int(median) else median


def weighted_median(counts: dict[int, int]) -> float | int:
    """The median of values given as {value: how many times}."""
    values = sorted(counts)
    total = sum(counts.values())
    middle = [(total - 1) // 2, total // 2]
    found, seen = [], 0
    for value in values:
        seen += counts[value]
        while middle and middle[0] < seen:
            found.append(value)
            middle.pop(0)
    return tidy((found[0] + found[1]) / 2)


def watched_models() -> list:
    """What the medians are read from: the projects (their stage and contract investment) and their moves."""
    return [Project, StageChange]


# The medians read every project's current stage (one grouped query; about 100 ms at the benchmark's scale 10), and
# every page of the project list compares its rows with them: they are kept until a project or a move changes
# (parkadmin.datacache), per day.
MEDIANS_CACHE = DataCache("stage-medians", watched_models)


def stage_medians(today: datetime.date | None = None) -> Medians:
    """The medians every project's days in stage are compared with, as of `today` (default: today, from the cache
    while no project or move has changed)."""
    if today is not None:
        return medians_on(today)
    today = timezone.localdate()
    return MEDIANS_CACHE.cached("medians", lambda: medians_on(today), today.isoformat())


def medians_on(today: datetime.date) -> Medians:
    """The medians every project's days in stage are compared with: one query over every project (not only those a
    list shows), grouped by stage, size band and the day the project entered its stage.

    It reads the moves that count into each project's current stage by a join, not a subquery per project: the
    pipeline's rules leave at most one such move per project and stage (a correction supersedes the move into the
    stage it returns to and records it again), so the join gives the day `stage_entries` gives. (Window functions
    that answer only the middle rows give the same medians, but measured slower on both databases.)
    """
    rows = (
        StageChange.objects.filter(superseded=False, stage=F("project__stage"), stage__in=TIMED_STAGES)
        .annotate(band=size_band_expression("project__contract_investment"))
        .values("stage", "band", "on")
        .annotate(n=Count("project_id"))
        .order_by()
        .values_list("stage", "band", "on", "n")
    )
    by_band: dict[tuple[str, str], dict[int, int]] = {}
    by_stage: dict[str, dict[int, int]] = {}
    for stage, band, since, n in rows:
        days = (today - since).days
        group = by_band.setdefault((stage, band), {})
        group[days] = group.get(days, 0) + n
        whole = by_stage.setdefault(stage, {})
        whole[days] = whole.get(days, 0) + n
    return Medians(
        by_band={key: weighted_median(c) for key, c in by_band.items() if sum(c.values()) >= MIN_GROUP},
        by_stage={stage: weighted_median(c) for stage, c in by_stage.items()},
        today=today,
    )


def slow_after(medians: Medians) -> Case:
    """The latest day a project of the row's stage and size band may have entered it and be slower than its
    comparable projects' median (more days than the median: entered at least floor(median) + 1 days before today);
    None where nothing is compared. A CASE on the row's own columns, so the entry day's subquery is read once."""
    whens = []
    for stage in TIMED_STAGES:
        for band in SIZE_BANDS:
            median, _own = medians.of(stage, band)
            if median is not None:
                latest = medians.today - datetime.timedelta(days=math.floor(median) + 1)
                whens.append(When(stage=stage, size_band=band, then=Value(latest)))
    return Case(*whens, default=None, output_field=DateField())


def with_timing(queryset: QuerySet) -> QuerySet:
    """Annotate each project with `stage_since` (the day it entered its current stage) and `funds_arrived` (万元):
    two correlated subqueries, read for a page's own rows only. Their derived values are aliases, worked out by the
    database only where a filter or a sort uses them: `size_band`, `stage_age` (how long ago the project entered
    its stage, for the stages whose clock runs, else None), `funds_ratio_pct` (funds arrived ÷ contract investment
    × 100; None without a contract investment), and `stage_age_key` and `funds_ratio_key` to sort by (unknown below
    every value). A row's own values come from `days_in_stage` and `funds_ratio`.
    """
    today = Value(timezone.localdate(), output_field=DateField())
    ratio = Case(
        When(
            contract_investment__gt=0,
            then=Cast("funds_arrived", FloatField()) * 100.0 / Cast("contract_investment", FloatField()),
        ),
        default=None,
        output_field=FloatField(),
    )
    return (
        queryset.annotate(stage_since=entered_stage(), funds_arrived=funds_total())
        .alias(
            size_band=size_band_expression(),
            stage_age=Case(
                When(stage__in=TIMED_STAGES, then=today - F("stage_since")), default=None, output_field=DurationField()
            ),
            funds_ratio_pct=ratio,
        )
        .alias(
            stage_age_key=Coalesce("stage_age", Value(NO_AGE, output_field=DurationField())),
            funds_ratio_key=Coalesce("funds_ratio_pct", Value(NO_RATIO)),
        )
    )


def with_slower(queryset: QuerySet, medians: Medians | None = None) -> QuerySet:
    """`queryset` (with the timing of `with_timing`, added where missing) with the alias `slower`: slower than the
    median of comparable projects, for a filter or a sort. The medians are one query (`stage_medians`), made here
    unless given."""
    if "stage_since" not in queryset.query.annotations:
        queryset = with_timing(queryset)
    medians = medians or stage_medians()
    slower = Case(
        When(stage_since__lte=slow_after(medians), then=Value(True)), default=Value(False), output_field=BooleanField()
    )
    return queryset.alias(slower=slower)


def days_in_stage(project, today: datetime.date | None = None) -> int | None:
    """Whole days the project has been in its current stage (`stage_since` annotated by `with_timing`), None where
    the clock does not run."""
    since = getattr(project, "stage_since", None)
    if since is None or project.stage not in TIMED_STAGES:
        return None
    return ((today or timezone.localdate()) - since).days


def funds_ratio(project) -> float | None:
    """Funds arrived (`funds_arrived` annotated by `with_timing`) ÷ contract investment in %, to two places; None
    without a contract investment."""
    contract = project.contract_investment
    if not contract:
        return None
    return round(float(getattr(project, "funds_arrived", 0) or 0) * 100 / float(contract), 2)


def slower_or_none(project, medians: Medians) -> bool | None:
    """Slower than the median of comparable projects, for the stages whose clock runs; None (no answer) for the
    others."""
    if project.stage not in TIMED_STAGES:
        return None
    band = size_band(project.contract_investment)
    return medians.slower_than(project.stage, band, days_in_stage(project, medians.today))


# --- one project's timeline ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Spell:
    """A stage of a project's path: when it entered it, how many days it spent there (so far, for the current one),
    the median of comparable projects and whether it was (or is) slower."""

    stage: str
    entered_on: datetime.date
    days: int | None
    current: bool
    median: float | None
    own_band: bool
    slower: bool

    @property
    def label(self) -> str:
        return str(Stage(self.stage).label)


def spells_of(entries: dict[str, datetime.date]) -> list[tuple[str, datetime.date, datetime.date | None]]:
    """A project's stages in the order it entered them, each with the day it left (None: it is still there)."""
    ordered = sorted(entries.items(), key=lambda item: item[1])
    return [
        (stage, on, ordered[at + 1][1] if at + 1 < len(ordered) else None) for at, (stage, on) in enumerate(ordered)
    ]


def past_stage_medians(band: str) -> tuple[dict[str, float], dict[str, float]]:
    """Median days spent in each stage by the projects that left it: ({stage: days} of the size band, {stage: days}
    of every project). One query over the moves that count."""
    rows = StageChange.objects.filter(superseded=False).order_by("project_id", "on", "pk")
    rows = rows.values_list("project_id", "stage", "on", "project__contract_investment")
    everyone: dict[str, list[int]] = {}
    in_band: dict[str, list[int]] = {}
    entries: dict[int, dict[str, datetime.date]] = {}
    bands: dict[int, str] = {}
    for project_id, stage, on, amount in rows.iterator(chunk_size=5000):
        entries.setdefault(project_id, {}).setdefault(stage, on)
        bands[project_id] = size_band(amount)
    for project_id, stages in entries.items():
        for stage, entered, left in spells_of(stages):
            if left is None or stage not in TIMED_STAGES:
                continue
            days = (left - entered).days
            everyone.setdefault(stage, []).append(days)
            if bands[project_id] == band:
                in_band.setdefault(stage, []).append(days)
    return (
        {stage: tidy(statistics.median(days)) for stage, days in in_band.items() if len(days) >= MIN_GROUP},
        {stage: tidy(statistics.median(days)) for stage, days in everyone.items()},
    )


def stage_timeline(project: Project, today: datetime.date | None = None) -> list[Spell]:
    """The project's stages with the day it entered each, the days spent there and the comparison with comparable
    projects (module docstring): past stages against the days others spent there, the current one against the days
    others now in it have spent so far."""
    today = today or timezone.localdate()
    entries = stage_entries(Project.objects.filter(pk=project.pk)).get(project.pk, {})
    if not entries:
        return []
    band = size_band(project.contract_investment)
    past_band, past_all = past_stage_medians(band)
    current = stage_medians(today)
    spells = []
    for stage, entered, left in spells_of(entries):
        is_current = left is None and stage == project.stage
        if stage not in TIMED_STAGES:
            spells.append(Spell(stage, entered, None, is_current, None, True, False))
            continue
        if is_current:
            days = (today - entered).days
            median, own = current.of(stage, band)
        else:
            days = ((left or today) - entered).days
            median, own = (past_band[stage], True) if stage in past_band else (past_all.get(stage), False)
        slower = median is not None and days > median
        spells.append(Spell(stage, entered, days, is_current, median, own, slower))
    return spells


def comparable_rule() -> str:
    """The rule, as the page states it."""
    return str(
        _(
            "Comparable projects: the same stage and the same size band of contract investment (under CNY 100m, "
            "CNY 100m–1bn, CNY 1bn and over, unknown); when fewer than %(n)s, every project in the stage. The current "
            "stage is compared with the days the comparable projects now in it have spent so far; a past stage with "
            "the days they spent in it before moving on. Corrected moves do not count; the clock stops at full "
            "production and when a project is dropped."
        )
        % {"n": MIN_GROUP}
    )
