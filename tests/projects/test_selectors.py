"""The committee's yearly figures, computed from hand-built projects; every expected number worked out by hand."""

import datetime
from decimal import Decimal

import pytest

from parks.models import Park
from projects import selectors
from projects.models import FundArrival, Project
from projects.services import project_create, project_move_stage

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def parks():
    zone = Park.objects.create(code="zone", name="高新区", kind="zone")
    core = Park.objects.create(code="core", name="核心区", kind="core", parent=zone)
    agri = Park.objects.create(code="agri", name="农科园", kind="sub_park", parent=zone)
    return {"zone": zone, "core": core, "agri": agri}


def project(name, investment, park, moves, origin="other_province"):
    """moves: [(stage, date)] after negotiating on 2018-01-01."""
    created = project_create(
        project=Project(
            name=name, investor="某投资方", contract_investment=investment, park=park, investor_origin=origin
        ),
        on=D(2018, 1, 1),
    )
    for stage, on in moves:
        created.refresh_from_db()
        project_move_stage(project=created, stage=stage, on=on, note="原因" if stage == "dropped" else "")
    return created


@pytest.fixture
def pipeline(parks):
    core, agri = parks["core"], parks["agri"]
    return {
        # exactly 10亿 and exactly 1亿: the bands are "≥"
        "a": project("十亿项目", Decimal("100000"), core, [("signed", D(2019, 1, 1)), ("construction", D(2019, 6, 1))]),
        "b": project("一亿项目", Decimal("10000"), core, [("signed", D(2019, 12, 31))]),
        "c": project(
            "差一点",
            Decimal("9999.99"),
            agri,
            [("signed", D(2019, 5, 5)), ("construction", D(2019, 8, 4)), ("production", D(2019, 12, 1))],
        ),
        # signed the day before and the day after 2019
        "d": project(
            "前一年签",
            Decimal("50000"),
            core,
            [("signed", D(2018, 12, 31)), ("construction", D(2019, 1, 1)), ("production", D(2019, 11, 1))],
        ),
        "e": project("次年签", Decimal("200000"), core, [("signed", D(2020, 1, 1))]),
        "f": project("签约后终止", Decimal("30000"), agri, [("signed", D(2019, 2, 1)), ("dropped", D(2019, 3, 1))]),
        "g": project("洽谈中", Decimal("80000"), core, []),
    }


def test_yearly_figures_for_2019(pipeline):
    FundArrival.objects.create(project=pipeline["a"], arrived_on=D(2019, 3, 15), amount=Decimal("2000"))
    FundArrival.objects.create(project=pipeline["a"], arrived_on=D(2019, 12, 31), amount=Decimal("500.5"))
    FundArrival.objects.create(project=pipeline["c"], arrived_on=D(2019, 7, 1), amount=Decimal("1000"))
    FundArrival.objects.create(project=pipeline["d"], arrived_on=D(2020, 1, 1), amount=Decimal("9999"))
    figures = selectors.yearly_figures(year=2019)
    # signed in 2019: a (1 Jan), b (31 Dec), c, f — not d (2018) nor e (2020)
    assert figures["signed_count"] == 4
    assert figures["signed_investment"] == Decimal("100000") + Decimal("10000") + Decimal("9999.99") + Decimal("30000")
    assert figures["over_1bn_count"] == 1  # a, at exactly 100000
    assert figures["over_100m_count"] == 3  # a, b (exactly 10000), f — not c (9999.99)
    assert figures["started_count"] == 3  # a, c, d (1 January 2019)
    assert figures["production_count"] == 2  # c, d
    assert figures["funds_arrived"] == Decimal("3500.5")
    by_stage = {row["stage"]: (row["count"], row["amount"]) for row in figures["by_stage"]}
    assert by_stage["negotiating"] == (1, Decimal("80000"))
    assert by_stage["signed"] == (2, Decimal("210000"))
    assert by_stage["construction"] == (1, Decimal("100000"))
    assert by_stage["production"] == (2, Decimal("59999.99"))
    assert by_stage["dropped"] == (1, Decimal("30000"))
    assert by_stage["full_production"] == (0, Decimal("0"))


def test_yearly_figures_by_park(pipeline, parks):
    agri = selectors.yearly_figures(year=2019, park=parks["agri"])
    assert (agri["signed_count"], agri["over_100m_count"], agri["started_count"]) == (2, 1, 1)
    assert selectors.yearly_figures(year=2019, park=parks["zone"])["signed_count"] == 4


def test_a_corrected_move_stops_counting(pipeline):
    a = pipeline["a"]
    a.refresh_from_db()
    project_move_stage(project=a, stage="signed", on=D(2019, 1, 1), correction=True, note="开工信息有误")
    assert selectors.yearly_figures(year=2019)["started_count"] == 2


def test_funds_by_month_and_origin(pipeline):
    FundArrival.objects.create(project=pipeline["a"], arrived_on=D(2019, 3, 15), amount=Decimal("2000"))
    FundArrival.objects.create(project=pipeline["a"], arrived_on=D(2019, 3, 31), amount=Decimal("1"))
    FundArrival.objects.create(project=pipeline["c"], arrived_on=D(2019, 12, 1), amount=Decimal("7"))
    months = selectors.funds_by_month(year=2019)
    assert months[2] == Decimal("2001") and months[11] == Decimal("7") and sum(months) == Decimal("2008")
    origins = {row["origin"]: row["amount"] for row in selectors.funds_by_origin(year=2019)}
    assert origins["other_province"] == Decimal("2008") and origins["local"] == 0


def test_lead_times(pipeline):
    times = selectors.lead_times(year=2019)
    # signed→construction in 2019: a 151 days, c 91 days, d 1 day → median 91
    assert times["signed_to_construction_days"] == 91
    # construction→production in 2019: c 119 days, d 304 days → median 211.5
    assert times["construction_to_production_days"] == 211.5


def test_stalled_projects_key_projects_first(pipeline):
    today = D(2020, 6, 1)
    stalled = list(selectors.stalled_projects(days=90, today=today))
    names = [p.name for p in stalled]
    # Live projects whose last activity is before 2020-03-03 (90 days before): all but f, which was dropped.
    assert set(names) == {"十亿项目", "一亿项目", "差一点", "前一年签", "次年签", "洽谈中"}
    g = pipeline["g"]
    g.key_city = True
    g.save()
    assert next(iter(selectors.stalled_projects(days=90, today=today))).name == "洽谈中"
    pipeline["b"].updates.create(on=D(2020, 5, 1), text="已进场")
    assert "一亿项目" not in [p.name for p in selectors.stalled_projects(days=90, today=today)]


def test_figures_take_a_fixed_number_of_queries(pipeline, parks, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        selectors.yearly_figures(year=2019, park=parks["core"])


def test_the_signing_date_is_that_of_the_signing_that_still_counts(parks):
    signed = project("再签", Decimal(100), parks["core"], [("signed", D(2019, 3, 1))])
    signed.refresh_from_db()
    project_move_stage(project=signed, stage="negotiating", on=D(2019, 4, 1), note="签错了", correction=True)
    signed.refresh_from_db()
    project_move_stage(project=signed, stage="signed", on=D(2019, 5, 1))
    never = project("未签", Decimal(100), parks["core"], [])
    rows = dict(selectors.with_signed_on(Project.objects.all()).values_list("name", "signed_on"))
    assert rows == {"再签": D(2019, 5, 1), "未签": None}
    assert selectors.signings(signed).values_list("on", flat=True).first() == D(2019, 5, 1)
    assert not selectors.signings(never).exists()


def test_a_project_without_activity_reads_as_no_activity(parks):
    Project.objects.create(name="无记录", investor="某投资方")
    quiet = selectors.with_last_activity(Project.objects.all()).get()
    assert quiet.last_activity == selectors.NO_ACTIVITY


def test_signed_in_year_lists_the_years_signings_that_count_in_date_order(pipeline, parks):
    signed = selectors.signed_in_year(year=2019)
    # a (1 Jan), f (1 Feb, dropped since: it was signed), c (5 May), b (31 Dec) — not d (2018) nor e (2020)
    assert [change.project.name for change in signed] == ["十亿项目", "签约后终止", "差一点", "一亿项目"]
    assert [change.project.name for change in selectors.signed_in_year(year=2019, park=parks["agri"])] == [
        "签约后终止",
        "差一点",
    ]
