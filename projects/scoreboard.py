"""The scheduling meeting's scoreboards (项目调度会): per park and per liaison officer, the projects signed, started and
in production in a year, the funds that arrived in it and the projects stalled now.

The figures count as `projects.selectors.yearly_figures` does (moves dated in the year that still count; funds by
their arrival date), and each is the count of the project list (or fund arrival list) it links to: a park's row
includes its sub-parks as the list's park filter does, and the zone, when it is the only root, every project.

Each park's funds arrived stand beside its year's target for 到位资金 (the indicator `funds_arrived`, kept in 亿元)
and the share of it reached; the whole zone's beside the zone's target. Targets belong to the indicators app, which
this app may not import: they are read through `parkadmin.targets`, where that app registers them. No target: both
cells blank, never 0.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlencode

from django.contrib.auth import get_user_model
from django.db.models import Count, Max, Min, Sum
from django.urls import reverse
from django.utils import timezone

from parkadmin.formatting import WAN_PER_YI, round_half_up
from parkadmin.people import display_name
from parkadmin.targets import year_targets
from parks.models import Park
from projects.choices import Stage
from projects.models import FundArrival, StageChange
from projects.selectors import stalled_projects

FIGURES = ("signed", "started", "production", "funds", "stalled")
MOVES = {Stage.SIGNED: "signed", Stage.CONSTRUCTION: "started", Stage.PRODUCTION: "production"}
# The project list's filter of each figure.
FILTERS = {"signed": "signed_year", "started": "started_year", "production": "production_year"}

# The indicator whose year's target the funds arrived are held against (到位资金), and its units in 万元.
FUNDS_INDICATOR = "funds_arrived"
WAN_PER_UNIT = {"万元": Decimal(1), "亿元": WAN_PER_YI}

# (park id, liaison id) → figure → value
Groups = dict[tuple[int | None, int | None], dict[str, int | Decimal]]


@dataclass
class ScoreRow:
    """A row of a scoreboard: whom it is about, its figures and the list each figure links to."""

    label: str
    depth: int = 0
    figures: dict[str, int | Decimal] = field(default_factory=dict)
    links: dict[str, str] = field(default_factory=dict)
    code: str = ""
    target: Decimal | None = None  # the year's target for funds arrived, 万元 (parks and the zone only)

    @property
    def target_pct(self) -> Decimal | None:
        """Funds arrived as a share of the target, in %; None without a target."""
        if not self.target:
            return None
        return round_half_up(Decimal(self.figures["funds"]) * 100 / self.target, 2)

    @property
    def indent_class(self) -> str:
        """A sub-park's row indented under its park."""
        return ("", "ps-3", "ps-4", "ps-5")[min(self.depth, 3)]

    def cells(self) -> list[tuple[int | Decimal, str]]:
        return [(self.figures[name], self.links[name]) for name in FIGURES]


@dataclass
class Scoreboard:
    year: int
    total: ScoreRow
    parks: list[ScoreRow]
    liaisons: list[ScoreRow]


def zero_figures() -> dict[str, int | Decimal]:
    return {"signed": 0, "started": 0, "production": 0, "funds": Decimal(0), "stalled": 0}


def figure_groups(year: int) -> Groups:
    """Every figure of `year` by (park, liaison officer): three queries."""
    groups: Groups = defaultdict(
        lambda: {"signed": 0, "started": 0, "production": 0, "funds": Decimal(0), "stalled": 0}
    )
    moves = (
        StageChange.objects.filter(stage__in=list(MOVES), on__year=year, superseded=False)
        .values("stage", "project__park_id", "project__liaison_id")
        .annotate(n=Count("project_id", distinct=True))
        .order_by()
    )
    for row in moves:
        groups[(row["project__park_id"], row["project__liaison_id"])][MOVES[row["stage"]]] += row["n"]
    funds = (
        FundArrival.objects.filter(arrived_on__year=year)
        .values("project__park_id", "project__liaison_id")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    for row in funds:
        groups[(row["project__park_id"], row["project__liaison_id"])]["funds"] += row["total"]
    stalled = stalled_projects().order_by().values("park_id", "liaison_id").annotate(n=Count("pk"))
    for row in stalled:
        groups[(row["park_id"], row["liaison_id"])]["stalled"] += row["n"]
    return groups


def add_up(groups: Groups, keep) -> dict[str, int | Decimal]:
    total = zero_figures()
    for key, figures in groups.items():
        if keep(key):
            for name in FIGURES:
                total[name] += figures[name]
    return total


def links(year: int, **scope: str) -> dict[str, str]:
    """The list each figure of a row links to, filtered to exactly the records it counts."""
    projects, arrivals = reverse("projects:project_list"), reverse("projects:fundarrival_list")
    found = {name: f"{projects}?{urlencode({key: year, **scope})}" for name, key in FILTERS.items()}
    found["funds"] = f"{arrivals}?{urlencode({'year': year, **scope})}"
    found["stalled"] = f"{projects}?{urlencode({'stalled': 'true', **scope})}"
    return found


def funds_targets(year: int) -> dict[int | None, Decimal]:
    """The year's targets for funds arrived in 万元, {park id (None: the whole zone): target}; one query."""
    return {
        park: target.value * WAN_PER_UNIT[target.unit]
        for park, target in year_targets(FUNDS_INDICATOR, year).items()
        if target.unit in WAN_PER_UNIT
    }


def park_rows(year: int, groups: Groups, targets: dict[int | None, Decimal]) -> list[ScoreRow]:
    """A row per park, depth first in code order, each counting its sub-parks too (as the list's park filter); the
    zone, when it is the only root, with the whole zone's target (as the indicators read the zone)."""
    parks = list(Park.objects.order_by("code"))
    children: dict[int | None, list[Park]] = defaultdict(list)
    for park in parks:
        children[park.parent_id].append(park)
    only_root = len(children[None]) == 1

    def subtree(park: Park) -> set[int]:
        found = {park.pk}
        for child in children[park.pk]:
            found |= subtree(child)
        return found

    rows: list[ScoreRow] = []

    def walk(park: Park, depth: int) -> None:
        if park.parent_id is None and only_root:
            keep = lambda key: True  # noqa: E731 - the zone: every project, placed in a park or not
            target = targets.get(None)
        else:
            scope = subtree(park)
            keep = lambda key: key[0] in scope  # noqa: E731
            target = targets.get(park.pk)
        figures = add_up(groups, keep)
        rows.append(ScoreRow(str(park), depth, figures, links(year, park=park.code), park.code, target))
        for child in children[park.pk]:
            walk(child, depth + 1)

    for root in children[None]:
        walk(root, 0)
    return rows


def liaison_rows(year: int, groups: Groups) -> list[ScoreRow]:
    """A row per liaison officer with any figure, by name (projects without one count in the total only)."""
    ids = {liaison for (_park, liaison), figures in groups.items() if liaison is not None and any(figures.values())}
    people = get_user_model().objects.filter(pk__in=ids)
    rows = [
        ScoreRow(
            display_name(person),
            figures=add_up(groups, lambda key, pk=person.pk: key[1] == pk),
            links=links(year, liaison=person.get_username()),
            code=person.get_username(),
        )
        for person in people
    ]
    return sorted(rows, key=lambda row: (row.label, row.code))


def scoreboard(year: int) -> Scoreboard:
    """The scoreboards of `year`: six queries whatever the number of parks, people and projects."""
    groups = figure_groups(year)
    targets = funds_targets(year)
    total = ScoreRow("", figures=add_up(groups, lambda key: True), links=links(year), target=targets.get(None))
    return Scoreboard(year, total, park_rows(year, groups, targets), liaison_rows(year, groups))


def default_scoreboard_year() -> int:
    """The year a scoreboard opens on: the latest with a move recorded, up to this year (this year with none)."""
    this_year = timezone.localdate().year
    last = StageChange.objects.filter(on__year__lte=this_year).aggregate(last=Max("on"))["last"]
    return last.year if last else this_year


def scoreboard_years() -> list[int]:
    """The years a scoreboard can show, latest first: from the first move recorded to this year."""
    this_year = timezone.localdate().year
    span = StageChange.objects.aggregate(first=Min("on"), last=Max("on"))
    first = (span["first"] or datetime.date(this_year, 1, 1)).year
    return list(range(max(this_year, (span["last"] or datetime.date(this_year, 1, 1)).year), first - 1, -1))
