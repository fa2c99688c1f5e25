"""Reads of the projects app: the figures the committee reports each year, computed from the records."""

from __future__ import annotations

import datetime
import statistics
from decimal import Decimal

from django.conf import settings
from django.db.models import Case, Count, DateField, Exists, OuterRef, Q, QuerySet, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce, ExtractMonth, Greatest
from django.utils import timezone

from enterprises.selectors import year_end
from parkadmin.memo import memoized
from parks.models import Park
from parks.selectors import in_park
from projects.choices import HUNDRED_MILLION, ONE_BILLION, STAGE_ORDER, InvestorOrigin, Stage
from projects.models import KEY_LEVEL_FIELDS, FundArrival, Project, ProjectUpdate, StageChange

ZERO = Decimal(0)


def moves(stage: str | list[str], year: int, park: Park | None = None) -> QuerySet:
    """The moves to `stage` (or to any of a list of stages) made in `year` that still count (not undone by a
    correction)."""
    stages = [stage] if isinstance(stage, str) else stage
    changes = StageChange.objects.filter(stage__in=stages, on__year=year, superseded=False)
    return in_park(changes, park, "project__park")


def projects_moved(stage: str, year: int, park: Park | None = None) -> QuerySet:
    return Project.objects.filter(pk__in=moves(stage, year, park).values("project_id"))


def signed_in_year(*, year: int, park: Park | None = None) -> QuerySet:
    """The signing moves made in `year` that still count, with their project's cluster and park, in date order
    (names breaking ties)."""
    return (
        moves(Stage.SIGNED, year, park)
        .select_related("project__cluster", "project__park")
        .order_by("on", "project__name")
    )


def latest_signings(*, year: int, park: Park | None = None, limit: int) -> list[StageChange]:
    """The `limit` latest signing moves of `year` that still count, latest first, with their projects."""
    return list(signed_in_year(year=year, park=park).order_by("-on", "-pk")[:limit])


@memoized
def yearly_figures(*, year: int, park: Park | None = None) -> dict:
    """The `projects` block of /api/dashboard/: amounts in 万元; a project counts in the year its move was dated."""
    signed = projects_moved(Stage.SIGNED, year, park).aggregate(
        count=Count("pk"),
        investment=Sum("contract_investment"),
        investment_missing=Count("pk", filter=Q(contract_investment__isnull=True)),
        over_1bn=Count("pk", filter=Q(contract_investment__gte=ONE_BILLION)),
        over_100m=Count("pk", filter=Q(contract_investment__gte=HUNDRED_MILLION)),
    )
    projects = moves([Stage.CONSTRUCTION, Stage.PRODUCTION], year, park).aggregate(
        started=Count("project_id", distinct=True, filter=Q(stage=Stage.CONSTRUCTION)),
        production=Count("project_id", distinct=True, filter=Q(stage=Stage.PRODUCTION)),
    )
    return {
        "signed_count": signed["count"],
        # The known amounts' sum; None where every signed project's amount is unknown (未填报), never 0.
        "signed_investment": known_sum(signed["investment"], signed["count"], signed["investment_missing"]),
        "signed_investment_missing": signed["investment_missing"],
        "over_1bn_count": signed["over_1bn"],
        "over_100m_count": signed["over_100m"],
        "started_count": projects["started"],
        "production_count": projects["production"],
        "funds_arrived": sum(funds_by_month(year=year, park=park), ZERO),
        "by_stage": pipeline_by_stage(park=park),
    }


@memoized
def pipeline_by_stage(*, park: Park | None = None) -> list[dict]:
    """Where every project stands now: count and contract investment per stage, in pipeline order."""
    rows = {
        row["stage"]: row
        for row in in_park(Project.objects.all(), park)
        .values("stage")
        .annotate(
            count=Count("pk"),
            amount=Sum("contract_investment"),
            missing=Count("pk", filter=Q(contract_investment__isnull=True)),
        )
    }
    by_stage = []
    for stage in [*STAGE_ORDER, Stage.DROPPED]:
        row = rows.get(stage, {})
        count, missing = row.get("count", 0), row.get("missing", 0)
        by_stage.append(
            {
                "stage": stage,
                "name": str(Stage(stage).label),
                "count": count,
                "amount": known_sum(row.get("amount"), count, missing),
                "amount_missing": missing,
            }
        )
    return by_stage


def known_sum(total: Decimal | None, count: int, missing: int) -> Decimal | None:
    """The sum of the known amounts of `count` records, `missing` of them unknown: 0 where there are no records,
    None (unknown, 未填报) where every record's amount is unknown — never a 0 made of unknowns."""
    if count and missing == count:
        return None
    return total or ZERO


@memoized
def key_project_counts(*, year: int, park: Park | None = None) -> dict[str, int]:
    """Key projects of each level (KEY_LEVEL_FIELDS) in the pipeline at the year's end: recorded by then and not
    dropped by then; one query for every level."""
    end = year_end(year)
    recorded = StageChange.objects.filter(on__lte=end).values("project_id")
    dropped = StageChange.objects.filter(stage=Stage.DROPPED, on__lte=end, superseded=False).values("project_id")
    live = in_park(Project.objects.filter(pk__in=recorded).exclude(pk__in=dropped), park)
    return live.aggregate(**{level: Count("pk", filter=Q(**{flag: True})) for level, flag in KEY_LEVEL_FIELDS.items()})


@memoized
def funds_arrived(*, year: int, park: Park | None = None) -> dict[tuple[int, str], Decimal]:
    """Funds arrived in `year` by month and by the investors' origin, {(month, origin): 万元}: the one query the
    monthly and the by-origin figures share."""
    arrivals = in_park(FundArrival.objects.filter(arrived_on__year=year), park, "project__park")
    rows = (
        arrivals.annotate(month=ExtractMonth("arrived_on"))
        .values("month", "project__investor_origin")
        .annotate(total=Sum("amount"))
        .values_list("month", "project__investor_origin", "total")
    )
    return {(month, origin): total for month, origin, total in rows}


def funds_by_month(*, year: int, park: Park | None = None) -> list[Decimal]:
    """Funds arrived in each month of `year` (12 values, 万元)."""
    sums = funds_arrived(year=year, park=park)
    return [sum((total for (m, _origin), total in sums.items() if m == month), ZERO) for month in range(1, 13)]


def funds_by_origin(*, year: int, park: Park | None = None) -> list[dict]:
    sums = funds_arrived(year=year, park=park)
    return [
        {"origin": code, "name": str(label), "amount": sum((t for (_m, o), t in sums.items() if o == code), ZERO)}
        for code, label in InvestorOrigin.choices
    ]


def stage_entries(projects: QuerySet | None = None) -> dict[int, dict[str, datetime.date]]:
    """The day each project entered each stage, {project id: {stage: date}}, from the moves that still count.

    A correction supersedes the moves it undoes and records the stage returned to again with its true date, so the
    moves left are the project's true path: lead times and days in a stage are read from them alone. One query;
    `projects` (a queryset of projects) limits the projects read.
    """
    changes = StageChange.objects.filter(superseded=False)
    if projects is not None:
        changes = changes.filter(project__in=projects.values("pk"))
    entries: dict[int, dict[str, datetime.date]] = {}
    for project_id, stage, on in changes.order_by("on", "pk").values_list("project_id", "stage", "on"):
        entries.setdefault(project_id, {}).setdefault(stage, on)
    return entries


def lead_times(*, year: int, park: Park | None = None) -> dict:
    """Median days from signing to construction and from construction to production, for moves made in `year`."""
    dates = stage_entries(in_park(Project.objects.all(), park))

    def median(start: str, end: str) -> float | None:
        days = [d[end] - d[start] for d in dates.values() if start in d and end in d and d[end].year == year]
        return statistics.median(delta.days for delta in days) if days else None

    return {
        "signed_to_construction_days": median(Stage.SIGNED, Stage.CONSTRUCTION),
        "construction_to_production_days": median(Stage.CONSTRUCTION, Stage.PRODUCTION),
    }


# A project with no recorded activity at all: its last activity reads as this day (long past any cutoff).
NO_ACTIVITY = datetime.date(1900, 1, 1)


def with_last_activity(queryset: QuerySet) -> QuerySet:
    """Annotate each project with the date of its last stage move that counts, progress note or money arrived
    (NO_ACTIVITY where there is none).

    One correlated subquery per kind of activity: joining all three at once would multiply the rows per project.
    """

    def latest(model, field, **conditions):
        rows = model.objects.filter(project=OuterRef("pk"), **conditions).order_by(f"-{field}").values(field)[:1]
        return Coalesce(Subquery(rows, output_field=DateField()), Value(NO_ACTIVITY))

    return queryset.annotate(
        last_activity=Greatest(
            latest(StageChange, "on", superseded=False),
            latest(ProjectUpdate, "on"),
            latest(FundArrival, "arrived_on"),
        )
    )


def signings(project) -> QuerySet:
    """The signing moves of `project` (a project, or OuterRef("pk") in a subquery) that still count, latest first."""
    return StageChange.objects.filter(project=project, stage=Stage.SIGNED, superseded=False).order_by("-on", "-pk")


def with_signed_on(queryset: QuerySet) -> QuerySet:
    """Annotate each project with `signed_on`, the date of its signing move that still counts (None if unsigned)."""
    return queryset.annotate(signed_on=Subquery(signings(OuterRef("pk")).values("on")[:1], output_field=DateField()))


def live_projects() -> QuerySet:
    """Projects still on their way: neither dropped nor in full production."""
    return Project.objects.exclude(stage__in=[Stage.DROPPED, Stage.FULL_PRODUCTION])


def stalled_projects(*, days: int | None = None, today: datetime.date | None = None) -> QuerySet:
    """Live projects with no stage move, no progress note and no money for `days` (key projects first)."""
    days = settings.PROJECT_STALLED_DAYS if days is None else days
    cutoff = (today or timezone.localdate()) - datetime.timedelta(days=days)
    key_first = (
        Q(key_provincial_industry=True) | Q(key_provincial_tech=True) | Q(key_provincial=True) | Q(key_city=True)
    )
    # "Last activity before the cut-off" is "no activity since": three anti-joins, so the dates are worked out only
    # for the stalled projects (to order them) rather than for every live one (PostgreSQL also stops compiling the
    # plan with its JIT: the pipeline page's stalled key projects at scale 10, 350 → 75 ms).
    live = live_projects().filter(
        ~Exists(StageChange.objects.filter(project=OuterRef("pk"), superseded=False, on__gte=cutoff)),
        ~Exists(ProjectUpdate.objects.filter(project=OuterRef("pk"), on__gte=cutoff)),
        ~Exists(FundArrival.objects.filter(project=OuterRef("pk"), arrived_on__gte=cutoff)),
    )
    return with_last_activity(live).order_by(Case(When(key_first, then=Value(0)), default=Value(1)), "last_activity")


def followed_by(user, *, today: datetime.date | None = None) -> list[Project]:
    """The live projects whose liaison officer is `user`: the stalled ones (as stalled_projects says) first, then
    the rest, each group longest idle first. Each carries `stalled`, `last_activity` and `idle_days` (days since
    its last activity; None when it has none). One query whatever the number of projects."""
    today = today or timezone.localdate()
    stalled = stalled_projects(today=today).filter(pk=OuterRef("pk"))
    projects = list(
        with_last_activity(live_projects().filter(liaison=user))
        .annotate(stalled=Exists(stalled))
        .order_by("-stalled", "last_activity", "name", "pk")
    )
    for project in projects:
        idle = project.last_activity != NO_ACTIVITY
        project.idle_days = (today - project.last_activity).days if idle else None
    return projects
