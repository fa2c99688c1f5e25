"""Pipeline analytics: how signed projects convert and how long each stage takes, read from the dated stage log.

The page `/projects/analytics/`, `GET /api/projects/analytics/` and the annual report's pipeline tables all read
`pipeline_analytics`. Its rules, which the project list's drill-down filters (`projects.filtersets`) repeat in SQL:

- **Who is counted.** The projects of the scope (park with its sub-parks, cluster, key level) that have a signing
  move that still counts, signed between `signed_from` and `signed_to` when given. Their *cohort* is the year signed.
- **Dates.** From the moves that still count (as `projects.selectors.stage_entries` reads them), so a move undone
  by a correction is left out; a project's first day at each stage is worked out by the database. A project
  *reached* a stage on the first day it entered that stage or a later one of the pipeline (a project recorded
  straight into production reached construction that day). *Started* means reached construction.
- **Within N months.** On or before the same day N months after signing (the month's last day when it has no such
  day): 2019-08-31 + 6 months is 2020-02-29.
- **Dropped** is a move to `dropped` that still counts; *waiting* is neither started nor dropped.
- **Lead times** (days) for signed → construction, construction → production and signed → production, over the
  counted projects that reached both stages. Quartiles by `statistics.quantiles(values, n=4, method="inclusive")`
  (linear interpolation between the closest ranks, as Excel's QUARTILE.INC; one value is its own quartiles), worked
  out in Python so that SQLite and PostgreSQL agree.
- **到位率 curve.** For each cohort and N in 6 / 12 / 24 / 36 months: the funds that arrived on or before N months
  after each project's signing, divided by the cohort's contract investment, in %; null until N months have passed
  since the cohort's last day (the whole cohort has had its N months).
- **Stalled key projects**: `projects.selectors.stalled_projects` limited to key projects of the scope (the signing
  dates do not apply: a stalled project may not be signed yet), with its last move that counts and its liaison.

Queries do not grow with the number of projects: the parks, the clusters, the counted projects with their days (one
row a project, grouped from the stage log), the funds arrived by cohort (summed by the database), and the stalled
key projects (their ids with their count, then their rows). The page and the API read `cached_pipeline_analytics`:
the same figures kept until a record they come from changes.
"""

from __future__ import annotations

import calendar
import datetime
import statistics
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, DateField, Exists, Func, Min, OuterRef, Q, QuerySet, Subquery, Sum, Window
from django.db.models.functions import ExtractYear
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from parkadmin.datacache import DataCache
from parkadmin.names import local_name
from parks.models import IndustryCluster, Park
from parks.selectors import in_park
from projects.choices import STAGE_ORDER, InvestorOrigin, KeyLevel, Stage
from projects.models import KEY_LEVEL_FIELDS, FundArrival, Project, ProjectUpdate, StageChange
from projects.selectors import stalled_projects, with_last_activity

STARTED_WITHIN = (6, 12, 24)  # months after signing
FUNDS_AFTER = (6, 12, 24, 36)  # months after signing
LEAD_TIMES = (
    ("signed_to_construction", Stage.SIGNED, Stage.CONSTRUCTION),
    ("construction_to_production", Stage.CONSTRUCTION, Stage.PRODUCTION),
    ("signed_to_production", Stage.SIGNED, Stage.PRODUCTION),
)
GROUPINGS = ("park", "cluster", "level", "origin")
STALLED_ROWS = 50
NOT_KEY = "none"  # the key-level group of projects on no key list (the list's key_level filter knows it)
UNASSIGNED = "none"  # the list's cluster and investor_origin filters' value for projects without one
ANY_KEY = "any"


@dataclass(frozen=True)
class Scope:
    """What the figures are for: the page's and the API's filters."""

    park: Park | None = None
    cluster: IndustryCluster | None = None
    level: str = ""  # a KeyLevel, ANY_KEY, NOT_KEY or "" (every project)
    signed_from: datetime.date | None = None
    signed_to: datetime.date | None = None

    def query(self, *, signed_window: bool = True) -> dict[str, str]:
        """The same scope as the project list's filters (ProjectFilterSet)."""
        params = {
            "park": self.park.code if self.park else "",
            "cluster": self.cluster.code if self.cluster else "",
            "key_level": self.level,
        }
        if signed_window:
            params["signed_from"] = self.signed_from.isoformat() if self.signed_from else ""
            params["signed_to"] = self.signed_to.isoformat() if self.signed_to else ""
        return {key: value for key, value in params.items() if value}


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later; the month's last day when it has no such day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return datetime.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def within_months(start: datetime.date, end: datetime.date, months: int) -> bool:
    """`end <= add_months(start, months)`, without building the date: `end`'s month comes before the month `months`
    after `start`'s, or is that month with a day no later than `start`'s (when that month is too short for `start`'s
    day, its last day is its every day's bound anyway)."""
    apart = (end.year - start.year) * 12 + end.month - start.month
    return apart < months or (apart == months and end.day <= start.day)


def key_filter(level: str) -> Q:
    """Projects on the `level` key list; ANY_KEY: on any; NOT_KEY: on none."""
    any_key = Q()
    for field in KEY_LEVEL_FIELDS.values():
        any_key |= Q(**{field: True})
    if level == ANY_KEY:
        return any_key
    if level == NOT_KEY:
        return ~any_key
    return Q(**{KEY_LEVEL_FIELDS[level]: True})


def scoped_projects(scope: Scope) -> QuerySet:
    """The projects of the scope's park (with its sub-parks), cluster and key level; the signing dates aside."""
    projects = in_park(Project.objects.all(), scope.park)
    if scope.cluster is not None:
        projects = projects.filter(cluster=scope.cluster)
    if scope.level:
        projects = projects.filter(key_filter(scope.level))
    return projects


def quartiles(values: list[int]) -> dict:
    """{count, median, q1, q3} of `values` (days), by the inclusive rule; None throughout when there are none."""
    if not values:
        return {"count": 0, "median": None, "q1": None, "q3": None}
    if len(values) == 1:
        return {"count": 1, "median": float(values[0]), "q1": float(values[0]), "q3": float(values[0])}
    q1, median, q3 = statistics.quantiles(values, n=4, method="inclusive")
    return {"count": len(values), "median": float(median), "q1": float(q1), "q3": float(q3)}


def pct(part: int | Decimal, whole: int | Decimal) -> float | None:
    return round(float(Decimal(part) * 100 / Decimal(whole)), 2) if whole else None


@dataclass(slots=True)
class Counted:
    """A counted project: what the figures need of it."""

    pk: int
    park_id: int | None
    cluster_id: int | None
    origin: str
    levels: list[str]
    contract: Decimal
    signed: datetime.date
    started: datetime.date | None
    production: datetime.date | None
    dropped: datetime.date | None
    lead: tuple = ()  # days of each of LEAD_TIMES; None where the project has not reached both stages

    def __post_init__(self):
        dates = {Stage.SIGNED: self.signed, Stage.CONSTRUCTION: self.started, Stage.PRODUCTION: self.production}
        self.lead = tuple(
            (dates[end] - dates[start]).days if dates[start] and dates[end] else None for _key, start, end in LEAD_TIMES
        )


def unrestricted(scope: Scope) -> bool:
    return scope.park is None and scope.cluster is None and not scope.level


def first_move(stages: list[str], as_of: datetime.date) -> Min:
    """The first day a project entered one of `stages` by a move that still counts, made by `as_of` (an aggregate
    over its stage log: the query groups by project)."""
    return Min(
        "stage_changes__on",
        filter=Q(stage_changes__stage__in=stages, stage_changes__superseded=False, stage_changes__on__lte=as_of),
    )


def and_later(stage: str) -> list[str]:
    return STAGE_ORDER[STAGE_ORDER.index(stage) :]


def counted_projects(scope: Scope, as_of: datetime.date) -> list[Counted]:
    """The counted projects (signed in the window), their dates as known on `as_of`. One query: the database works
    out each project's days from its stage log (grouped by project) and returns one narrow row a project."""
    projects = scoped_projects(scope).annotate(
        signed_on=first_move([Stage.SIGNED], as_of),
        started_on=first_move(and_later(Stage.CONSTRUCTION), as_of),
        production_on=first_move(and_later(Stage.PRODUCTION), as_of),
        dropped_on=first_move([Stage.DROPPED], as_of),
    )
    projects = projects.filter(signed_on__isnull=False)
    if scope.signed_from:
        projects = projects.filter(signed_on__gte=scope.signed_from)
    if scope.signed_to:
        projects = projects.filter(signed_on__lte=scope.signed_to)
    rows = projects.order_by().values_list(
        "pk",
        "park_id",
        "cluster_id",
        "investor_origin",
        "contract_investment",
        "signed_on",
        "started_on",
        "production_on",
        "dropped_on",
        *KEY_LEVEL_FIELDS.values(),
    )
    return [
        Counted(
            pk=pk,
            park_id=park_id,
            cluster_id=cluster_id,
            origin=origin,
            levels=[level for level, flag in zip(KEY_LEVEL_FIELDS, flags, strict=True) if flag],
            contract=contract or Decimal(0),
            signed=signed,
            started=started,
            production=production,
            dropped=dropped,
        )
        for pk, park_id, cluster_id, origin, contract, signed, started, production, dropped, *flags in rows
    ]


def cohorts(projects: list[Counted]) -> list[dict]:
    """Conversion by signing year: signed, started within 6 / 12 / 24 months, reached production, dropped, waiting;
    each count with its share of the cohort (%). The columns overlap: a project started and later dropped counts in
    both."""
    by_year: dict[int, list[Counted]] = defaultdict(list)
    for project in projects:
        by_year[project.signed.year].append(project)
    rows = []
    for year in sorted(by_year):
        group = by_year[year]
        signed = len(group)
        started = {
            months: sum(1 for p in group if p.started and within_months(p.signed, p.started, months))
            for months in STARTED_WITHIN
        }
        production = sum(1 for p in group if p.production)
        dropped = sum(1 for p in group if p.dropped)
        waiting = sum(1 for p in group if not p.started and not p.dropped)
        rows.append(
            {
                "year": year,
                "signed": signed,
                "started_within": [
                    {"months": months, "count": started[months], "pct": pct(started[months], signed)}
                    for months in STARTED_WITHIN
                ],
                "production": production,
                "production_pct": pct(production, signed),
                "dropped": dropped,
                "dropped_pct": pct(dropped, signed),
                "waiting": waiting,
                "waiting_pct": pct(waiting, signed),
            }
        )
    return rows


def lead_time_row(group: list[Counted]) -> dict:
    return {
        name: quartiles([d for p in group if (d := p.lead[index]) is not None])
        for index, (name, _start, _end) in enumerate(LEAD_TIMES)
    }


def park_tree() -> dict[int, tuple[int | None, str, str]]:
    """{park id: (parent id, code, name in the interface's language)}: one query."""
    return {
        pk: (parent, code, local_name(name, name_en))
        for pk, parent, code, name, name_en in Park.objects.values_list("pk", "parent_id", "code", "name", "name_en")
    }


def ancestors(parks: dict, pk: int | None) -> list[int]:
    """The park and every park above it."""
    chain = []
    while pk is not None and pk not in chain:
        chain.append(pk)
        pk = parks[pk][0]
    return chain


def lead_times(projects: list[Counted], scope: Scope, parks: dict) -> dict:
    """Lead-time quartiles over every counted project (`all`) and by park (each park with its sub-parks, within the
    scope's park), cluster, key level (a project on several lists counts in each) and investor origin. Rows that
    count no project are left out; a row's `code` is what the project list filters by (empty: unassigned)."""
    groups: dict[str, dict] = {name: defaultdict(list) for name in GROUPINGS}
    for project in projects:
        for park in ancestors(parks, project.park_id):
            groups["park"][park].append(project)
        groups["cluster"][project.cluster_id].append(project)
        for level in project.levels or [NOT_KEY]:
            groups["level"][level].append(project)
        groups["origin"][project.origin].append(project)
    unassigned = str(_("Unassigned"))
    within = None if scope.park is None else {pk for pk in parks if scope.park.pk in ancestors(parks, pk)}
    park_order = sorted(parks, key=lambda pk: (len(ancestors(parks, pk)), parks[pk][1]))
    clusters = {cluster.pk: cluster for cluster in IndustryCluster.objects.order_by("code")}
    cluster_order = [*clusters, None]
    levels = [*KeyLevel.choices, (NOT_KEY, _("Not on a key list"))]
    origins = [*InvestorOrigin.choices, ("", None)]
    return {
        "all": lead_time_row(projects),
        "park": [
            {"code": parks[pk][1], "name": parks[pk][2], **lead_time_row(groups["park"][pk])}
            for pk in park_order
            if groups["park"].get(pk) and (within is None or pk in within)
        ],
        "cluster": [
            {
                "code": clusters[pk].code if pk else "",
                "name": clusters[pk].local_name if pk else unassigned,
                **lead_time_row(groups["cluster"][pk]),
            }
            for pk in cluster_order
            if groups["cluster"].get(pk)
        ],
        "level": [
            {"code": code, "name": str(label), **lead_time_row(groups["level"][code])}
            for code, label in levels
            if groups["level"].get(code)
        ],
        "origin": [
            {"code": code, "name": str(label) if label else unassigned, **lead_time_row(groups["origin"][code])}
            for code, label in origins
            if groups["origin"].get(code)
        ],
    }


class AddMonths(Func):
    """`add_months` in SQL: the same day `months` later, the month's last day when it has no such day. PostgreSQL's
    interval arithmetic does exactly that; SQLite's runs over into the next month (2019-08-31 + 6 months is its
    2020-03-02), so there the earlier of that and the target month's last day is taken."""

    output_field = DateField()

    def __init__(self, expression, months: int, **extra):
        super().__init__(expression, months=int(months), **extra)

    def as_sql(self, compiler, connection, **extra):
        template = "CAST(%(expressions)s + INTERVAL '%(months)s months' AS date)"
        return super().as_sql(compiler, connection, template=template, **extra)

    def as_sqlite(self, compiler, connection, **extra):
        template = (
            "MIN(DATE(%(expressions)s, '+%(months)s months'), "
            "DATE(%(expressions)s, 'start of month', '+%(next_month)s months', '-1 day'))"
        )
        return super().as_sql(compiler, connection, template=template, next_month=self.extra["months"] + 1, **extra)


def arrived_by_cohort(scope: Scope, as_of: datetime.date) -> dict[tuple[int, int], Decimal]:
    """{(cohort, N): 万元 arrived on or before N months after signing}, for N in FUNDS_AFTER, over the counted
    projects. One query, summed by the database: each counted project's first signing move that still counts
    (the one with no earlier one: a move may be re-recorded by a correction) joined to the project's arrivals."""
    signings = StageChange.objects.filter(stage=Stage.SIGNED, superseded=False, on__lte=as_of)
    earlier = signings.filter(project=OuterRef("project")).filter(
        Q(on__lt=OuterRef("on")) | Q(on=OuterRef("on"), pk__lt=OuterRef("pk"))
    )
    first = signings.filter(~Exists(earlier))
    if scope.signed_from:
        first = first.filter(on__gte=scope.signed_from)
    if scope.signed_to:
        first = first.filter(on__lte=scope.signed_to)
    if not unrestricted(scope):
        first = first.filter(project__in=scoped_projects(scope).values("pk"))
    arrived_on = "project__fund_arrivals__arrived_on"
    sums = {
        f"after_{months}": Sum(
            "project__fund_arrivals__amount",
            filter=Q(**{f"{arrived_on}__lte": as_of}) & Q(**{f"{arrived_on}__lte": AddMonths("on", months)}),
        )
        for months in FUNDS_AFTER
    }
    rows = first.values(cohort=ExtractYear("on")).annotate(**sums).order_by()
    return {(row["cohort"], months): row[f"after_{months}"] or Decimal(0) for row in rows for months in FUNDS_AFTER}


def funds_curve(projects: list[Counted], scope: Scope, as_of: datetime.date) -> list[dict]:
    """For each cohort, the 到位率 (%) N months after signing, for N in FUNDS_AFTER: one query of the arrivals."""
    arrived = defaultdict(Decimal, arrived_by_cohort(scope, as_of))
    contract: dict[int, Decimal] = defaultdict(Decimal)
    for project in projects:
        contract[project.signed.year] += project.contract
    rows = []
    for year in sorted(contract):
        points = []
        for months in FUNDS_AFTER:
            passed = add_months(datetime.date(year, 12, 31), months) <= as_of
            amount = arrived[year, months] if passed else None
            points.append(
                {
                    "months": months,
                    "arrived": amount,
                    "ratio_pct": pct(amount, contract[year]) if amount is not None else None,
                }
            )
        rows.append({"year": year, "contract_investment": contract[year], "points": points})
    return rows


def stalled_key_ids(scope: Scope, today: datetime.date) -> tuple[list[int], int]:
    """The ids of the scope's stalled key projects (the first STALLED_ROWS, in stalled_projects' order) and how many
    there are: one query."""
    stalled = stalled_projects(today=today).filter(key_filter(ANY_KEY))
    if not unrestricted(scope):
        stalled = stalled.filter(pk__in=scoped_projects(scope).values("pk"))
    # The count rides along as a window over every stalled row: one query, the activity dates worked out once.
    rows = list(stalled.annotate(total=Window(Count("pk"))).values_list("pk", "total")[:STALLED_ROWS])
    return [pk for pk, _total in rows], rows[0][1] if rows else 0


def stalled_rows(ids: list[int]) -> list[Project]:
    """The projects of `ids` in that order, each with its liaison, park, `last_activity`, and its last move that
    counts: `last_move_stage`, `last_move_label`, `last_move_on`. One query."""
    last_move = StageChange.objects.filter(project=OuterRef("pk"), superseded=False).order_by("-on", "-pk")
    rows = with_last_activity(Project.objects.filter(pk__in=ids)).select_related("liaison", "park")
    rows = rows.annotate(
        last_move_stage=Subquery(last_move.values("stage")[:1]), last_move_on=Subquery(last_move.values("on")[:1])
    )
    order = {pk: index for index, pk in enumerate(ids)}
    projects = sorted(rows, key=lambda project: order[project.pk])
    for project in projects:
        project.last_move_label = Stage(project.last_move_stage).label if project.last_move_stage else None
    return projects


def pipeline_analytics(scope: Scope, *, today: datetime.date | None = None, stalled: bool = True) -> dict:
    """Every figure of the pipeline page for `scope`, as known on `today` (default: today): `cohorts`, `lead_times`,
    `funds`, and unless `stalled` is false, `stalled` (rows) and `stalled_count`. See the module's docstring."""
    today = today or timezone.localdate()
    parks = park_tree()
    projects = counted_projects(scope, today)
    figures = {
        "counted": len(projects),
        "cohorts": cohorts(projects),
        "lead_times": lead_times(projects, scope, parks),
        "funds": funds_curve(projects, scope, today),
    }
    if stalled:
        ids, figures["stalled_count"] = stalled_key_ids(scope, today)
        figures["stalled"] = stalled_rows(ids)
    return figures


def watched_models() -> list:
    """Every model the figures are read from."""
    return [Park, IndustryCluster, Project, StageChange, FundArrival, ProjectUpdate]


# Reading every counted project's stage log and money takes seconds at the benchmark's scale 10 (20,000 projects,
# 52,000 moves, 100,000 arrivals): far past twice the project list's time. The figures are therefore kept until a
# record they come from changes (parkadmin.datacache, the dashboard's pattern), per day and filters.
CACHE = DataCache("pipeline-analytics", watched_models)


def cached_pipeline_analytics(scope: Scope, *, stalled: bool = True) -> dict:
    """pipeline_analytics for today, from the cache when the records have not changed since it was worked out. The
    stalled projects are cached as ids and read afresh (one query), so their liaison's name is never stale."""
    today = timezone.localdate()

    def compute() -> dict:
        figures = pipeline_analytics(scope, today=today, stalled=False)
        if stalled:
            figures["stalled_ids"], figures["stalled_count"] = stalled_key_ids(scope, today)
        return figures

    key = (
        translation.get_language(),  # the groups' names and labels are worked out in it
        scope.park.pk if scope.park else None,
        scope.cluster.pk if scope.cluster else None,
        scope.level,
        scope.signed_from,
        scope.signed_to,
    )
    figures = CACHE.cached("figures", compute, today.isoformat(), key, stalled)
    if stalled:
        figures["stalled"] = stalled_rows(figures.pop("stalled_ids"))
    return figures
