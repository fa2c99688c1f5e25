"""Reads of the enterprises app that are more than a one-line queryset: figures for the dashboard and My work."""

from __future__ import annotations

import datetime
import statistics
from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from enterprises.choices import ACTIVE_STATUSES
from parkadmin.memo import memoized
from parkadmin.names import local_name
from parks.models import Park
from parks.selectors import clusters, in_park


def year_end(year: int) -> datetime.date:
    return datetime.date(year, 12, 31)


@dataclass
class YearRow:
    year: int
    record: object
    figures: list  # (value, yoy_pct) in EnterpriseYear.FIGURES order


def enterprise_year_rows(enterprise) -> list[YearRow]:
    """The enterprise's yearly figures, newest first, each with its growth on the year before (if that exists)."""
    from enterprises.models import EnterpriseYear
    from parkadmin.formatting import growth_pct

    records = list(enterprise.years.order_by("year"))
    by_year = {r.year: r for r in records}
    rows = []
    for record in records:
        previous = by_year.get(record.year - 1)
        figures = [
            (getattr(record, name), growth_pct(getattr(record, name), getattr(previous, name, None)))
            for name in EnterpriseYear.FIGURES
        ]
        rows.append(YearRow(record.year, record, figures))
    return list(reversed(rows))


EXPIRY_WARNING_DAYS = 90


def enterprise_related(enterprise) -> dict:
    """What an enterprise's page shows beside its profile, in a fixed number of queries."""
    today = timezone.localdate()
    warn_until = today + datetime.timedelta(days=EXPIRY_WARNING_DAYS)
    qualifications = list(enterprise.qualifications.all())
    for qualification in qualifications:
        expires = qualification.expires_on
        qualification.expiring_soon = bool(expires and today <= expires <= warn_until)
        qualification.expired = bool(expires and expires < today)
    return {
        "year_rows": enterprise_year_rows(enterprise),
        "qualifications": qualifications,
        "platforms": list(enterprise.platforms.all()),
        "incubations": list(enterprise.incubations.select_related("incubator")),
        "problems": list(enterprise.service_requests.order_by("-raised_on")[:20]),
        "expiry_warning_days": EXPIRY_WARNING_DAYS,
    }


def my_work(user) -> dict:
    """A member of staff's desk: enterprises they look after, their open problems (overdue first), expiring
    qualifications of their enterprises."""
    from enterprises.models import Enterprise, Qualification, ServiceRequest

    today = timezone.localdate()
    problems = (
        ServiceRequest.objects.unresolved().filter(assignee=user).select_related("enterprise").order_by("due_on", "pk")
    )
    return {
        "enterprises": list(Enterprise.objects.filter(liaison=user).select_related("cluster", "park")),
        "problems": list(problems),
        "expiring": list(
            Qualification.objects.expiring_within(EXPIRY_WARNING_DAYS, today)
            .filter(enterprise__liaison=user)
            .select_related("enterprise")
            .order_by("expires_on")
        ),
        "today": today,
        "expiry_warning_days": EXPIRY_WARNING_DAYS,
    }


# --- Figures for the dashboard and reports, for any year and park -------------------------------------------


def active_enterprises(park: Park | None = None) -> QuerySet:
    """Enterprises still in the zone (not closed or moved out)."""
    from enterprises.models import Enterprise

    return in_park(Enterprise.objects.filter(status__in=ACTIVE_STATUSES), park)


@memoized
def enterprises_by_cluster(*, park: Park | None = None) -> list[dict]:
    """Active enterprises per industry cluster (clusters with none included), in cluster order; one query."""
    counts = dict(active_enterprises(park).values("cluster_id").annotate(n=Count("pk")).values_list("cluster_id", "n"))
    rows = [{"code": c.code, "name": c.local_name, "color": c.color, "count": counts.get(c.pk, 0)} for c in clusters()]
    if counts.get(None):
        rows.append({"code": "", "name": str(_("No cluster")), "color": "#adb5bd", "count": counts[None]})
    return rows


def enterprises_by_park(*, park: Park | None = None) -> list[dict]:
    counts = (
        active_enterprises(park)
        .values("park__code", "park__name", "park__name_en")
        .annotate(n=Count("pk"))
        .order_by("park__code")
    )
    return [
        {"code": r["park__code"] or "", "name": local_name(r["park__name"] or "—", r["park__name_en"]), "count": r["n"]}
        for r in counts
    ]


@memoized
def hitech_enterprise_count(*, year: int, park: Park | None = None) -> int:
    """Enterprises holding a national high-tech certificate valid at the end of `year` (高新技术企业数)."""
    from enterprises.choices import QualificationKind
    from enterprises.models import Enterprise, Qualification

    holders = Qualification.objects.valid_on(year_end(year)).filter(kind=QualificationKind.HITECH)
    return in_park(Enterprise.objects.filter(pk__in=holders.values("enterprise_id")), park).count()


def year_totals(*, year: int, park: Park | None = None) -> dict:
    """Sums of the enterprises' figures for `year` (万元; exports 万美元) and how many enterprises reported."""
    from enterprises.models import EnterpriseYear

    records = in_park(EnterpriseYear.objects.filter(year=year), park, "enterprise__park")
    totals = records.aggregate(reporting=Count("pk"), **{name: Sum(name) for name in EnterpriseYear.FIGURES})
    return totals


@memoized
def year_totals_by_cluster(*, year: int, park: Park | None = None) -> list[dict]:
    """Per cluster: enterprises that reported figures for `year`, and the sums of output and revenue."""
    from enterprises.models import EnterpriseYear

    records = in_park(EnterpriseYear.objects.filter(year=year), park, "enterprise__park")
    sums = {
        row["enterprise__cluster_id"]: row
        for row in records.values("enterprise__cluster_id").annotate(
            enterprises=Count("enterprise_id", distinct=True),
            industrial_output=Sum("industrial_output"),
            revenue=Sum("revenue"),
        )
    }
    empty = {"enterprises": 0, "industrial_output": None, "revenue": None}
    return [
        {"code": c.code, "name": c.local_name, "color": c.color, **{k: sums.get(c.pk, empty)[k] for k in empty}}
        for c in clusters()
    ]


def largest_by_revenue(*, year: int, park: Park | None = None, limit: int) -> list:
    """The `limit` enterprises with the highest revenue reported for `year` (their EnterpriseYear records, with the
    enterprise's cluster and park), names breaking ties."""
    from enterprises.models import EnterpriseYear

    records = (
        in_park(EnterpriseYear.objects.filter(year=year, revenue__isnull=False), park, "enterprise__park")
        .select_related("enterprise__cluster", "enterprise__park")
        .order_by(F("revenue").desc(nulls_last=True), "enterprise__name")
    )
    return list(records[:limit])


INCUBATION_YEARS = 5  # the years the dashboard's chart and the report's table show, read together


def incubation_figures(*, year: int, park: Park | None = None) -> dict:
    """Enterprises incubating at the end of `year`, and those that entered, graduated and left during it."""
    return incubation_history(last=year, park=park)[year]


@memoized
def incubation_history(*, last: int, park: Park | None = None) -> dict[int, dict]:
    """incubation_figures of the INCUBATION_YEARS years ending with `last`, {year: figures}, in one query."""
    from enterprises.choices import IncubationStatus
    from enterprises.models import Incubation, incubating_on_q

    stays = in_park(Incubation.objects.all(), park, "enterprise__park")
    years = range(last - INCUBATION_YEARS + 1, last + 1)
    counts = {}
    for year in years:
        counts[f"incubating_{year}"] = Count("pk", filter=incubating_on_q(year_end(year)))
        counts[f"entered_{year}"] = Count("pk", filter=Q(entered_on__year=year))
        counts[f"graduated_{year}"] = Count("pk", filter=Q(status=IncubationStatus.GRADUATED, left_on__year=year))
        counts[f"exited_{year}"] = Count("pk", filter=Q(status=IncubationStatus.EXITED, left_on__year=year))
    row = stays.aggregate(**counts)
    names = ("incubating", "entered", "graduated", "exited")
    return {year: {name: row[f"{name}_{year}"] for name in names} for year in years}


@memoized
def service_request_figures(
    *, year: int | None = None, park: Park | None = None, today: datetime.date | None = None
) -> dict:
    """The problem list now (open, in progress, overdue) and, for `year`, raised, resolved and the median days
    from raised to resolved; plus open and overdue by category."""
    from enterprises.choices import UNRESOLVED_STATUSES, ProblemCategory, ProblemStatus
    from enterprises.models import ServiceRequest, overdue_q

    today = today or timezone.localdate()
    problems = in_park(ServiceRequest.objects.all(), park, "enterprise__park")
    unresolved = Q(status__in=UNRESOLVED_STATUSES)
    overdue = overdue_q(today)
    # One pass over the problems, by category; the zone's figures are the categories' sums.
    counts = {
        "open": Count("pk", filter=Q(status=ProblemStatus.OPEN)),
        "in_progress": Count("pk", filter=Q(status=ProblemStatus.IN_PROGRESS)),
        "overdue": Count("pk", filter=overdue),
        "raised": Count("pk", filter=Q(raised_on__year=year)) if year else Count("pk"),
        "resolved": Count("pk", filter=Q(resolved_on__year=year))
        if year
        else Count("pk", filter=Q(resolved_on__isnull=False)),
        "unresolved": Count("pk", filter=unresolved),
    }
    by_category = {row["category"]: row for row in problems.values("category").annotate(**counts)}
    figures = {name: sum(row[name] for row in by_category.values()) for name in counts if name != "unresolved"}
    resolved = problems.filter(resolved_on__isnull=False)
    if year:
        resolved = resolved.filter(resolved_on__year=year)
    # Two date columns of the year's resolved problems; the median is taken here so SQLite and PostgreSQL agree.
    days = sorted((done - raised).days for raised, done in resolved.values_list("raised_on", "resolved_on"))
    figures["median_days_to_resolve"] = statistics.median(days) if days else None
    figures["by_category"] = [
        {
            "code": code,
            "name": str(label),
            "open": by_category.get(code, {}).get("unresolved", 0),
            "overdue": by_category.get(code, {}).get("overdue", 0),
        }
        for code, label in ProblemCategory.choices
    ]
    return figures


def unresolved_problems(*, park: Park | None = None) -> QuerySet:
    """The problems not yet resolved, oldest deadline first, with their enterprise and assignee."""
    from enterprises.models import ServiceRequest

    return (
        in_park(ServiceRequest.objects.unresolved(), park, "enterprise__park")
        .select_related("enterprise", "assignee")
        .order_by("due_on", "pk")
    )


def most_overdue_problems(*, park: Park | None = None, limit: int, today: datetime.date | None = None) -> list:
    """The `limit` problems longest past their due date (with their enterprise), each with `days_overdue`."""
    from enterprises.models import ServiceRequest, overdue_q

    today = today or timezone.localdate()
    problems = in_park(ServiceRequest.objects.filter(overdue_q(today)), park, "enterprise__park")
    rows = list(problems.select_related("enterprise").order_by("due_on", "pk")[:limit])
    for problem in rows:
        problem.days_overdue = (today - problem.due_on).days
    return rows


def enterprises_by_park_tree(*, park: Park | None = None, parks: list[Park] | None = None) -> list[dict]:
    """Every park of the tree (under `park`, or the whole zone) with the active enterprises placed directly in it:
    [{code, name, parent (code or ""), count}], parents before children. A map of the zone draws it; a park's
    figure with its sub-parks' is what the enterprise list's park filter lists."""
    from parks.selectors import park_scope

    counts = dict(active_enterprises(park).values("park_id").annotate(n=Count("pk")).values_list("park_id", "n"))
    if parks is None:  # `parks`: every park, already read by the caller
        parks = list(Park.objects.order_by("code"))
    scope = park_scope(park)
    if scope is not None:
        parks = [p for p in parks if p.pk in scope]
    by_id = {p.pk: p for p in parks}
    rows = [
        {
            "code": p.code,
            "name": p.local_name,
            "parent": by_id[p.parent_id].code if p.parent_id in by_id else "",
            "count": counts.get(p.pk, 0),
        }
        for p in parks
    ]
    roots = [row for row in rows if not row["parent"]]
    if roots:  # enterprises not yet placed in a park belong to the zone itself
        roots[0]["count"] += counts.get(None, 0)
    by_code = {row["code"]: row for row in rows}

    def depth(row: dict) -> int:
        return 0 if not row["parent"] else 1 + depth(by_code[row["parent"]])

    return sorted(rows, key=lambda row: (depth(row), row["code"]))  # parents before children
