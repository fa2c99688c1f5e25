"""Reads of the enterprises app that are more than a one-line queryset: figures for the dashboard and My work."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from enterprises.models import Park


def park_with_descendants(park: Park) -> list[int]:
    """The ids of a park and every park inside it (a zone's figures include its sub-parks)."""
    parents = dict(Park.objects.values_list("id", "parent_id"))
    wanted = {park.pk}
    changed = True
    while changed:
        changed = False
        for child, parent in parents.items():
            if parent in wanted and child not in wanted:
                wanted.add(child)
                changed = True
    return sorted(wanted)


def in_park(queryset: QuerySet, park: Park | None, path: str = "park") -> QuerySet:
    """Restrict records to a park and its sub-parks.

    No park means the whole zone; so does the zone itself when it is the only root (records not yet placed in a
    sub-park still belong to the zone). Where one installation keeps several zones, each filters to its own tree.
    """
    if park is None:
        return queryset
    if park.parent_id is None and not Park.objects.filter(parent__isnull=True).exclude(pk=park.pk).exists():
        return queryset
    return queryset.filter(**{f"{path}__in": park_with_descendants(park)})


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
        "problems": list(enterprise.service_requests.select_related("assignee").order_by("-raised_on")[:20]),
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
            Qualification.objects.filter(
                enterprise__liaison=user,
                expires_on__gte=today,
                expires_on__lte=today + datetime.timedelta(days=EXPIRY_WARNING_DAYS),
            )
            .select_related("enterprise")
            .order_by("expires_on")
        ),
        "today": today,
    }
