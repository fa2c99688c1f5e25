"""Reads of the zone's structure: a park's subtree, the filter every app uses to keep records of a park, and the
clusters."""

from __future__ import annotations

from django.db.models import QuerySet

from parkadmin.memo import memoized
from parks.models import IndustryCluster, Park


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
    scope = park_scope(park)
    return queryset if scope is None else queryset.filter(**{f"{path}__in": scope})


def park_scope(park: Park | None) -> list[int] | None:
    """The park ids a filter by `park` keeps, or None for the whole zone; worked out once per park object."""
    if park is None:
        return None
    if not hasattr(park, "_scope"):
        only_root = park.parent_id is None and not Park.objects.filter(parent__isnull=True).exclude(pk=park.pk).exists()
        park._scope = None if only_root else park_with_descendants(park)
    return park._scope


@memoized
def clusters() -> list:
    """The industry clusters in code order (read once per request inside a memo scope)."""
    return list(IndustryCluster.objects.order_by("code"))
