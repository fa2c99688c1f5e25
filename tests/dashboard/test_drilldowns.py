"""Every dashboard chart's drill-down: clicking a bar, slice or stage opens a list holding exactly what the figure
counted (as many rows, or rows summing to the amount), for the whole zone and for one park."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db.models import Sum

from dashboard.views import figures_context
from enterprises.choices import ProblemStatus
from parkadmin.memo import memo_scope
from parks.models import Park
from projects.services import project_move_stage
from tests.factories import (
    EnterpriseFactory,
    EnterpriseYearFactory,
    FundArrivalFactory,
    IncubationFactory,
    IncubatorFactory,
    IndustryClusterFactory,
    ParkFactory,
    ProjectFactory,
    ServiceRequestFactory,
)

pytestmark = pytest.mark.django_db
YEAR = 2020
D = Decimal


@pytest.fixture
def zone(db):
    """Two parks under the zone's root, with records that each chart counts and records it must not."""
    root = ParkFactory(code="zone", name="园区", kind="zone")
    east = ParkFactory(code="east", name="东区", parent=root)
    west = ParkFactory(code="west", name="西区", parent=root)
    nem, eit = IndustryClusterFactory(code="NEM"), IndustryClusterFactory(code="EIT")
    for park, cluster, status in [
        (east, nem, "operating"),
        (east, nem, "closed"),  # not counted: no longer in the zone
        (east, eit, "planned"),
        (west, nem, "suspended"),
        (west, eit, "moved_out"),
    ]:
        enterprise = EnterpriseFactory(park=park, cluster=cluster, status=status)
        EnterpriseYearFactory(enterprise=enterprise, year=YEAR, industrial_output=D("1200.50"))
        EnterpriseYearFactory(enterprise=enterprise, year=YEAR - 1, industrial_output=D("900"))
    EnterpriseFactory(park=east, cluster=None)  # a slice of its own, with no list to open
    EnterpriseFactory(park=root)  # in the zone, not yet placed in a park: the map's root tile counts it

    incubator = IncubatorFactory(park=east)
    stays = [
        # (park, entered, left, status)
        (east, datetime.date(2018, 3, 1), None, "incubating"),
        (east, datetime.date(2019, 5, 1), datetime.date(2020, 6, 1), "graduated"),
        (west, datetime.date(2020, 2, 1), None, "incubating"),  # entered this year: the old filter's only match
        (west, datetime.date(2017, 2, 1), datetime.date(2019, 12, 31), "graduated"),  # gone by 2019's end
        (east, datetime.date(2019, 1, 1), datetime.date(2020, 9, 1), "exited"),
    ]
    for park, entered, left, status in stays:
        IncubationFactory(
            enterprise=EnterpriseFactory(park=park),
            incubator=incubator,
            entered_on=entered,
            left_on=left,
            status=status,
        )

    today = datetime.date.today()
    for park, category, status, due in [
        (east, "financing", ProblemStatus.OPEN, today + datetime.timedelta(days=5)),
        (east, "financing", ProblemStatus.IN_PROGRESS, today - datetime.timedelta(days=5)),  # overdue
        (west, "financing", ProblemStatus.OPEN, today - datetime.timedelta(days=1)),  # overdue
        (west, "land", ProblemStatus.RESOLVED, today - datetime.timedelta(days=9)),  # resolved: not counted
    ]:
        ServiceRequestFactory(
            enterprise=EnterpriseFactory(park=park),
            category=category,
            status=status,
            raised_on=today - datetime.timedelta(days=20),
            due_on=due,
            resolved_on=today - datetime.timedelta(days=1) if status == ProblemStatus.RESOLVED else None,
        )

    for park, stages in [(east, ["signed", "construction"]), (west, ["signed"]), (west, [])]:
        project = ProjectFactory(park=park, cluster=nem, stage_on=datetime.date(YEAR, 1, 5))
        for month, stage in enumerate(stages, start=2):
            project_move_stage(project=project, stage=stage, on=datetime.date(YEAR, month, 1))
        for month, amount in [(3, "100.25"), (3, "50"), (7, "300"), (12, "20")]:
            FundArrivalFactory(project=project, arrived_on=datetime.date(YEAR, month, 15), amount=D(amount))
        FundArrivalFactory(project=project, arrived_on=datetime.date(YEAR - 1, 3, 15), amount=D("999"))
    return {"root": root, "east": east, "west": west}


def shown_figures(chart: dict):
    """(trace, the figure a point shows, the URL it opens) for every clickable point of a chart."""
    for trace in chart["data"]:
        values = trace.get({"pie": "values", "treemap": "values", "funnel": "x"}.get(trace["type"], "y"), [])
        if trace["type"] == "treemap":  # a tile shows its own figure plus its sub-tiles' ("remainder")
            values = [subtree_total(trace, index) for index in range(len(values))]
        for value, url in zip(values, trace.get("customdata") or [], strict=False):
            if url:
                yield trace, value, url


def subtree_total(trace: dict, index: int) -> float:
    children = [i for i, parent in enumerate(trace["parents"]) if parent == trace["ids"][index]]
    return trace["values"][index] + sum(subtree_total(trace, child) for child in children)


# How each chart's clicked figure is read back from the list it opens: rows counted, or a column summed (万元).
LIST_MEASURES = {
    ("clusters", "pie", 0): None,
    ("clusters", "pie", 1): "industrial_output",
    ("pipeline", "funnel", 0): None,
    ("funds", "bar", 0): "amount",
    ("incubation", "bar", 0): None,
    ("incubation", "bar", 1): None,
    ("problems", "bar", 0): None,
    ("problems", "bar", 1): None,
    ("parks_map", "treemap", 0): None,
}


@pytest.mark.parametrize("park_code", [None, "east"])
@pytest.mark.parametrize("chart_name", ["clusters", "pipeline", "funds", "incubation", "problems", "parks_map"])
def test_each_chart_opens_a_list_of_exactly_what_it_counted(official_client, zone, chart_name, park_code):
    park = Park.objects.get(code=park_code) if park_code else None
    with memo_scope():
        chart = figures_context(YEAR, park, False)["charts"][chart_name]
    checked = 0
    for trace, shown, url in shown_figures(chart):
        index = [t for t in chart["data"] if t["type"] == trace["type"]].index(trace)
        measure = LIST_MEASURES[(chart_name, trace["type"], index)]
        response = official_client.get(url)
        assert response.status_code == 200, url
        if park_code and chart_name != "parks_map":
            assert f"park={park_code}" in url
        if measure is None:
            listed = response.context["page_obj"].paginator.count
        else:
            listed = response.context["view"].queryset.aggregate(total=Sum(measure))["total"] or 0
        assert float(listed) == pytest.approx(float(shown)), (url, shown, listed)
        checked += 1
    assert checked >= 1  # the fixture gives every chart points to click


def test_the_incubation_bars_count_stays_at_the_years_end_not_entries(zone):
    with memo_scope():
        chart = figures_context(YEAR, None, False)["charts"]["incubation"]
    incubating, graduated = chart["data"][:2]
    at_2020_end = incubating["x"].index(str(YEAR))
    # At 2020's end: the 2018 stay and the 2020 one; the 2019 stays that left in 2020 no longer count.
    assert incubating["y"][at_2020_end] == 2
    assert graduated["y"][at_2020_end] == 1
    assert "incubating_at=2020" in incubating["customdata"][at_2020_end]


def test_a_months_funds_bar_opens_that_month(zone):
    with memo_scope():
        chart = figures_context(YEAR, None, False)["charts"]["funds"]
    bars = chart["data"][0]
    assert bars["y"][2] == pytest.approx(3 * 150.25)
    assert "month=3" in bars["customdata"][2] and "year=2020" in bars["customdata"][2]


def test_the_big_screen_lists_the_latest_signings_and_the_longest_overdue_problems(zone):
    with memo_scope():
        context = figures_context(YEAR, None, False)
    signings = context["latest_signings"]
    assert [s.on for s in signings] == sorted((s.on for s in signings), reverse=True)
    assert len(signings) == 2 and all(s.stage == "signed" and s.on.year == YEAR for s in signings)
    overdue = context["overdue_problems"]
    assert [p.days_overdue for p in overdue] == [5, 1]  # longest overdue first; resolved and not-yet-due left out
    with memo_scope():
        east = figures_context(YEAR, zone["east"], False)
    assert [p.days_overdue for p in east["overdue_problems"]] == [5]
    assert len(east["latest_signings"]) == 1
