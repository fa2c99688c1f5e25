"""Stage timing (days in stage, the median of comparable projects, slower than median, funds ratio) on the list,
its filters and exports, the API and the project page; and the scheduling meeting's scoreboards."""

import datetime
import io
import itertools
from decimal import Decimal

import openpyxl
import pytest
from django.db.models import Sum
from django.utils import timezone

from projects.choices import Stage
from projects.models import FundArrival, Project, ProjectUpdate, StageChange
from projects.scoreboard import FIGURES, scoreboard
from projects.services import project_create, project_move_stage
from projects.timing import stage_medians, weighted_median
from tests.factories import IndicatorFactory, ParkFactory, TargetFactory, UserFactory
from tests.harness import count_queries
from tests.spreadsheets import texts

pytestmark = pytest.mark.django_db

PROJECTS = "/projects/"
SCOREBOARD = "/projects/scoreboard/"
D = datetime.date
MEDIUM = Decimal("20000")  # 1亿–10亿元
LARGE = Decimal("150000")  # ≥ 10亿元
_names = itertools.count(1)


def today() -> datetime.date:
    return timezone.localdate()


def ago(n: int) -> datetime.date:
    return today() - datetime.timedelta(days=n)


def make(name=None, *, since=None, moves=(), **fields) -> Project:
    fields.setdefault("investor", "某投资方")
    project = project_create(project=Project(name=name or f"项目{next(_names)}", **fields), on=since or ago(400))
    for stage, on, *rest in moves:
        project.refresh_from_db()
        correction = bool(rest and rest[0])
        note = "更正" if correction else ("原因" if stage == "dropped" else "")
        project_move_stage(project=project, stage=stage, on=on, note=note, correction=correction)
    project.refresh_from_db()
    return project


def building(name, days, amount=MEDIUM, **fields) -> Project:
    """A project under construction since `days` ago."""
    return make(
        name,
        since=ago(days + 200),
        moves=[("signed", ago(days + 100)), ("construction", ago(days))],
        contract_investment=amount,
        **fields,
    )


def arrive(project, amount, on=None):
    return FundArrival.objects.create(project=project, amount=Decimal(amount), arrived_on=on or ago(1))


def listed(response, name: str) -> dict:
    """{project name: value of column `name`} of a list page."""
    table = response.context["table"]
    at = [c.name for c in table.columns].index(name)
    return {row[0].value: row[at].value for row in response.context["rows"]}


@pytest.fixture
def comparable():
    """Six projects under construction in the 1亿–10亿元 band (10 … 60 days: median 35) and two of 10亿元 and more
    (5 and 100 days), too few for their own median: they are compared with the whole stage (8 projects: 5, 10, 20,
    30, 40, 50, 60, 100 → 35)."""
    for days in (10, 20, 30, 40, 50, 60):
        building(f"中{days}", days)
    building("大5", 5, LARGE)
    building("大100", 100, LARGE)


def test_weighted_median_of_counted_values():
    assert weighted_median({3: 1}) == 3
    assert weighted_median({1: 1, 2: 1}) == 1.5
    assert weighted_median({1: 2, 10: 1}) == 1
    assert weighted_median({1: 1, 4: 2, 9: 1}) == 4


def test_medians_by_stage_and_band_fall_back_to_the_stage_for_small_bands(comparable):
    medians = stage_medians()
    assert medians.of("construction", "100m") == (35, True)
    assert medians.of("construction", "1bn") == (35, False)
    assert medians.by_band == {("construction", "100m"): 35}
    assert medians.by_stage == {"construction": 35}


def test_list_shows_days_in_stage_and_flags_projects_slower_than_their_median(admin_client, comparable):
    done = make(
        "达产",
        since=ago(900),
        moves=[
            ("signed", ago(800)),
            ("construction", ago(700)),
            ("production", ago(600)),
            ("full_production", ago(500)),
        ],
    )
    response = admin_client.get(PROJECTS, {"per_page": 100})
    days, slower = listed(response, "days_in_stage"), listed(response, "slower")
    assert {name: days[name] for name in ("中10", "中60", "大5", "大100")} == {
        "中10": 10,
        "中60": 60,
        "大5": 5,
        "大100": 100,
    }
    assert {name for name, flag in slower.items() if flag} == {"中40", "中50", "中60", "大100"}
    assert days[done.name] is None and slower[done.name] is None


def test_the_days_run_from_the_move_that_counts_after_a_correction(admin_client):
    corrected = make(
        "更正过",
        since=ago(500),
        moves=[
            ("signed", ago(300)),
            ("construction", ago(200)),
            ("production", ago(50)),
            ("construction", ago(120), True),
        ],
    )
    assert corrected.stage == "construction"
    response = admin_client.get(PROJECTS)
    assert listed(response, "days_in_stage")["更正过"] == 120
    data = admin_client.get(f"/api/projects/{corrected.pk}/").json()
    assert data["days_in_stage"] == 120


def test_sorting_by_days_in_stage_puts_projects_without_days_last(admin_client, comparable):
    make("终止", since=ago(50), moves=[("dropped", ago(40))])
    names = [row[0].value for row in admin_client.get(PROJECTS, {"sort": "-days_in_stage"}).context["rows"]]
    assert names[:3] == ["大100", "中60", "中50"]
    assert names[-1] == "终止"
    names = [row[0].value for row in admin_client.get(PROJECTS, {"sort": "slower"}).context["rows"]]
    assert set(names[-4:]) == {"中40", "中50", "中60", "大100"}


def test_slower_filter_keeps_exactly_the_flagged_projects(admin_client, comparable):
    make("终止", since=ago(50), moves=[("dropped", ago(40))])
    slower = admin_client.get(PROJECTS, {"slower": "true", "sort": "name"})
    assert sorted(listed(slower, "name")) == sorted(["中40", "中50", "中60", "大100"])
    others = admin_client.get(PROJECTS, {"slower": "false"})
    # Dropped projects have no clock: neither slower nor not.
    assert sorted(listed(others, "name")) == sorted(["中10", "中20", "中30", "大5"])


def test_funds_ratio_is_arrivals_over_contract_and_blank_without_a_contract(admin_client):
    arrive(half := make("一半", contract_investment=Decimal("1000")), "300")
    arrive(half, "200")
    arrive(make("三分之一", contract_investment=Decimal("30000")), "1000")
    make("无资金", contract_investment=Decimal("500"))
    arrive(make("无合同额"), "800")
    ratios = listed(admin_client.get(PROJECTS), "funds_ratio_pct")
    assert ratios == {"一半": 50.0, "三分之一": 3.33, "无资金": 0.0, "无合同额": None}

    below = admin_client.get(PROJECTS, {"funds_below": "10"})
    assert sorted(listed(below, "name")) == sorted(["三分之一", "无资金"])
    by_ratio = [row[0].value for row in admin_client.get(PROJECTS, {"sort": "-funds_ratio_pct"}).context["rows"]]
    assert by_ratio == ["一半", "三分之一", "无资金", "无合同额"]

    api = {row["name"]: row for row in admin_client.get("/api/projects/").json()["results"]}
    assert {name: row["funds_ratio_pct"] for name, row in api.items()} == ratios
    assert admin_client.get("/api/projects/", {"funds_below": "10"}).json()["count"] == 2


def test_the_api_gives_days_in_stage_and_slower_filter_in_list_and_detail(admin_client, comparable):
    rows = {row["name"]: row for row in admin_client.get("/api/projects/", {"page_size": 100}).json()["results"]}
    assert rows["中60"]["days_in_stage"] == 60 and isinstance(rows["中60"]["days_in_stage"], int)
    slower = admin_client.get("/api/projects/", {"slower": "true"}).json()
    assert sorted(row["name"] for row in slower["results"]) == sorted(["中40", "中50", "中60", "大100"])
    one = Project.objects.get(name="大5")
    detail = admin_client.get(f"/api/projects/{one.pk}/").json()
    assert detail["days_in_stage"] == 5 and detail["funds_ratio_pct"] == 0.0


def test_a_project_written_through_the_api_answers_with_its_timing(admin_client):
    body = {"name": "新项目", "investor": "某集团", "contract_investment": "1000.00", "stage_on": ago(7).isoformat()}
    created = admin_client.post("/api/projects/", body, content_type="application/json").json()
    assert created["days_in_stage"] == 7 and created["funds_ratio_pct"] == 0.0


def test_csv_and_xlsx_exports_carry_the_timing_columns(admin_client, comparable):
    arrive(Project.objects.get(name="中60"), "5000")
    params = {"sort": "-days_in_stage", "slower": "true"}
    sheet = openpyxl.load_workbook(
        io.BytesIO(b"".join(admin_client.get(PROJECTS, {**params, "export": "xlsx"}).streaming_content))
    ).active
    rows = list(sheet.iter_rows(values_only=True))
    headers = list(rows[0])
    assert "本阶段天数" in headers and "到位率（%）" in headers and "慢于中位数" in headers
    first = dict(zip(headers, rows[2], strict=True))
    assert (
        first["名称"] == "中60"
        and first["本阶段天数"] == 60
        and first["到位率（%）"] == 25
        and first["慢于中位数"] == "是"
    )
    assert len(rows) == 5


def test_project_page_shows_its_stage_timeline_with_the_medians(admin_client, comparable):
    # Projects that left construction after 100 and 200 days (1亿–10亿元) and 150 (10亿元 and more); with the
    # project's own 160 its band has 3, too few: all four → 155.
    for days in (100, 200):
        make(
            since=ago(900),
            moves=[("signed", ago(800)), ("construction", ago(700)), ("production", ago(700 - days))],
            contract_investment=MEDIUM,
        )
    make(
        since=ago(900),
        moves=[("signed", ago(800)), ("construction", ago(650)), ("production", ago(500))],
        contract_investment=LARGE,
    )
    moved = make(
        "已投产",
        since=ago(900),
        moves=[("signed", ago(800)), ("construction", ago(700)), ("production", ago(540))],
        contract_investment=MEDIUM,
    )
    response = admin_client.get(moved.get_absolute_url())
    spells = {spell.stage: spell for spell in response.context["timeline"]}
    assert [s.stage for s in response.context["timeline"]] == ["negotiating", "signed", "construction", "production"]
    assert (spells["signed"].entered_on, spells["signed"].days) == (ago(800), 100)
    construction = spells["construction"]
    assert (construction.days, construction.median, construction.own_band) == (160, 155, False)
    assert construction.slower is True
    production = spells["production"]
    assert production.current and production.days == 540 and production.median is not None
    html = response.content.decode()
    assert "pa-stage-timeline" in html and "pa-slower" in html
    assert "可比项目" in html


def test_list_query_count_stays_the_same_with_the_timing_columns(admin_client):
    def add(count: int) -> None:
        for n in range(count):
            project = building(None, 10 + n, amount=Decimal(1000 * (n + 1)), liaison=UserFactory())
            arrive(project, "100")
            ProjectUpdate.objects.create(project=project, on=today(), text="进展")

    urls = [PROJECTS, f"{PROJECTS}?sort=-days_in_stage", f"{PROJECTS}?slower=true&funds_below=50&stalled=false"]
    add(5)
    admin_client.get(PROJECTS)  # the medians, cached until a project or a move changes
    few = [count_queries(admin_client, url) for url in urls]
    add(40)
    admin_client.get(PROJECTS)
    assert [count_queries(admin_client, url) for url in urls] == few
    assert max(few) <= 13


# --- the scoreboards --------------------------------------------------------------------------------------------


@pytest.fixture
def zone(settings):
    """A zone with park A (and its sub-park A1) and park B, two liaison officers and projects moved in 2023."""
    settings.PROJECT_STALLED_DAYS = 90
    root = ParkFactory(code="zone", name="全区", kind="zone")
    a = ParkFactory(code="a", name="甲园", parent=root)
    a1 = ParkFactory(code="a1", name="甲一园", parent=a)
    b = ParkFactory(code="b", name="乙园", parent=root)
    wang, li = UserFactory(username="wang", first_name="王", last_name=""), UserFactory(username="li", first_name="李")
    p1 = make("一号", park=a1, liaison=wang, since=D(2022, 5, 1), moves=[("signed", D(2023, 3, 1))])
    p2 = make(
        "二号",
        park=a,
        liaison=li,
        since=D(2022, 5, 1),
        moves=[("signed", D(2023, 2, 1)), ("construction", D(2023, 6, 1))],
    )
    p3 = make(
        "三号",
        park=b,
        liaison=wang,
        since=D(2021, 5, 1),
        moves=[("signed", D(2022, 2, 1)), ("construction", D(2022, 6, 1)), ("production", D(2023, 9, 1))],
    )
    make("四号", since=D(2022, 5, 1), moves=[("signed", D(2023, 4, 1))])
    # Signed in 2023, then the signing was undone by a correction: it no longer counts.
    make(
        "五号",
        park=b,
        liaison=li,
        since=D(2022, 5, 1),
        moves=[("signed", D(2023, 4, 1)), ("negotiating", D(2023, 4, 2), True)],
    )
    arrive(p1, "100", D(2023, 5, 1))
    arrive(p1, "70", D(2022, 5, 1))
    arrive(p3, "50", D(2023, 12, 31))
    ProjectUpdate.objects.create(project=p2, on=ago(5), text="进展")
    ProjectUpdate.objects.create(project=p3, on=ago(5), text="进展")
    return {"a": a, "b": b, "wang": wang, "li": li}


def figures(row) -> dict:
    return {name: row.figures[name] for name in FIGURES}


def test_scoreboard_figures_are_hand_counted(zone):
    board = scoreboard(2023)
    parks = {row.code: figures(row) for row in board.parks}
    assert parks["zone"] == {"signed": 3, "started": 1, "production": 1, "funds": 150, "stalled": 3}
    assert parks["a"] == {"signed": 2, "started": 1, "production": 0, "funds": 100, "stalled": 1}
    assert parks["a1"] == {"signed": 1, "started": 0, "production": 0, "funds": 100, "stalled": 1}
    assert parks["b"] == {"signed": 0, "started": 0, "production": 1, "funds": 50, "stalled": 1}
    assert [row.code for row in board.parks] == ["zone", "a", "a1", "b"]
    people = {row.code: figures(row) for row in board.liaisons}
    assert people["wang"] == {"signed": 1, "started": 0, "production": 1, "funds": 150, "stalled": 1}
    assert people["li"] == {"signed": 1, "started": 1, "production": 0, "funds": 0, "stalled": 1}
    assert figures(board.total) == parks["zone"]
    assert {row.label for row in board.liaisons} == {"王", "李"}


def test_every_scoreboard_figure_equals_the_list_it_links_to(admin_client, zone):
    response = admin_client.get(SCOREBOARD, {"year": 2023})
    board = response.context["board"]
    for row in [*board.parks, *board.liaisons, board.total]:
        for name in FIGURES:
            linked = admin_client.get(row.links[name])
            assert linked.status_code == 200
            if name == "funds":
                found = linked.context["filterset"].qs.aggregate(total=Sum("amount"))["total"] or 0
            else:
                found = linked.context["page_obj"].paginator.count
            assert found == row.figures[name], (row.label, name, row.links[name])
    html = response.content.decode()
    assert all(row.links["signed"].replace("&", "&amp;") in html for row in board.parks)


def test_scoreboard_opens_on_the_latest_year_with_moves(admin_client, zone):
    latest = StageChange.objects.filter(on__year__lte=today().year).latest("on").on.year
    assert admin_client.get(SCOREBOARD).context["year"] == latest
    assert admin_client.get(SCOREBOARD, {"year": "1800"}).context["year"] == latest
    assert admin_client.get(SCOREBOARD, {"year": "x"}).context["year"] == latest
    assert admin_client.get(SCOREBOARD, {"year": "2022"}).context["board"].total.figures["signed"] == 1
    StageChange.objects.all().delete()
    assert admin_client.get(SCOREBOARD).context["year"] == today().year  # nothing recorded: this year


def test_scoreboard_exports_to_xlsx_as_on_the_page(admin_client, zone):
    response = admin_client.get(SCOREBOARD, {"year": 2023, "export": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    content = b"".join(response.streaming_content)
    rows = list(openpyxl.load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
    assert rows[0] == (
        "看板",
        "名称",
        "已签约",
        "开工",
        "投产",
        "到位资金（万元）",
        "年度目标（万元）",
        "目标完成率（%）",
        "当前停滞",
    )
    by_name = {(row[0], (row[1] or "").strip("　")): row[2:] for row in rows[1:]}
    assert by_name[("园区", "甲园")] == (2, 1, 0, 100, None, None, 1)  # no target: blank
    assert by_name[("园区", "甲一园")] == (1, 0, 0, 100, None, None, 1)
    assert by_name[("挂点干部", "王")] == (1, 0, 1, 150, None, None, 1)
    assert by_name[("全区", "")] == (3, 1, 1, 150, None, None, 3)
    assert "王" in "".join(cell for sheet in texts(content).values() for cell in sheet.values())


def test_scoreboard_holds_funds_arrived_against_the_years_target(admin_client, zone):
    funds = IndicatorFactory(code="funds_arrived", unit="亿元")  # 到位资金, as the indicators keep it
    TargetFactory(indicator=funds, park=None, year=2023, value=Decimal("0.03"))  # the whole zone: 300 万元
    TargetFactory(indicator=funds, park=zone["a"], year=2023, value=Decimal("0.04"))  # 400 万元
    TargetFactory(indicator=funds, park=zone["b"], year=2022, value=Decimal("1"))  # another year
    TargetFactory(indicator=IndicatorFactory(), park=zone["b"], year=2023)  # another indicator
    board = scoreboard(2023)
    parks = {row.code: (row.target, row.target_pct) for row in board.parks}
    assert parks["zone"] == (300, Decimal("50.00"))  # 150 of 300 万元
    assert parks["a"] == (400, Decimal("25.00"))  # 100 of 400 万元
    assert parks["a1"] == parks["b"] == (None, None)  # no target: blank, not 0
    assert (board.total.target, board.total.target_pct) == (300, Decimal("50.00"))
    response = admin_client.get(SCOREBOARD, {"year": 2023})
    assert "25.00%" in response.content.decode()
    content = b"".join(admin_client.get(SCOREBOARD, {"year": 2023, "export": "xlsx"}).streaming_content)
    rows = list(openpyxl.load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
    assert rows[-1][2:] == (3, 1, 1, 150, 300, 50, 3)


def test_scoreboard_is_linked_from_the_project_list_and_needs_the_view_permission(client, admin_client):
    assert "/projects/scoreboard/" in admin_client.get(PROJECTS).content.decode()
    client.force_login(UserFactory())
    assert client.get(SCOREBOARD).status_code == 403
    assert client.get(f"{SCOREBOARD}?export=xlsx").status_code == 403


def test_scoreboard_query_count_does_not_grow_with_parks_people_or_projects(admin_client, zone):
    url = f"{SCOREBOARD}?year=2023"
    admin_client.get(url)
    few = count_queries(admin_client, url)
    for n in range(6):
        park = ParkFactory(parent=zone["a"])
        make(park=park, liaison=UserFactory(), since=D(2022, 1, 1), moves=[("signed", D(2023, 1, 1 + n))])
    assert count_queries(admin_client, url) == few


def test_the_medians_are_worked_out_again_after_a_move(admin_client):
    projects = [building(None, days) for days in (10, 20, 30)]
    assert stage_medians().by_stage[Stage.CONSTRUCTION] == 20
    assert stage_medians().by_stage[Stage.CONSTRUCTION] == 20  # from the cache
    project_move_stage(project=projects[0], stage=Stage.PRODUCTION, on=today())
    assert stage_medians().by_stage[Stage.CONSTRUCTION] == 25  # the move made the cached medians stale
