"""Reads of the enterprises app that are more than a one-line queryset: figures for the dashboard and My work."""

from __future__ import annotations

import datetime

from django.db.models import QuerySet

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
    """Restrict records to a park and its sub-parks; no park (or the root zone) means the whole zone."""
    if park is None or park.parent_id is None:
        return queryset
    return queryset.filter(**{f"{path}__in": park_with_descendants(park)})


def year_end(year: int) -> datetime.date:
    return datetime.date(year, 12, 31)
