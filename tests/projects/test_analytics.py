"""Pipeline analytics (projects.analytics, /projects/analytics/, /api/projects/analytics/, the report's tables), from
hand-built stage logs; every expected number worked out by hand in the comments."""

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from parks.models import IndustryCluster, Park
from projects import analytics
from projects.analytics import Scope, add_months, pipeline_analytics, quartiles
from projects.models import FundArrival, Project, StageChange
from projects.services import project_create, project_move_stage
from reports.data import annual_report_data
from tests.harness import EVERY_ROLE, Access, check_access, count_queries, matrix, sign_in

pytestmark = pytest.mark.django_db
D = datetime.date
PAGE = "/projects/analytics/"
API = "/api/projects/analytics/"
TODAY = D(2026, 1, 1)


@pytest.fixture
def zone():
    root = Park.objects.create(code="zone", name="高新区", kind="zone")
    core = Park.objects.create(code="core", name="核心区", kind="core", parent=root)
    agri = Park.objects.create(code="agri", name="农科园", kind="sub_park", parent=root)
    nem = IndustryCluster.objects.create(code="NEM", name="新能源新材料", role="main")
    bio = IndustryCluster.objects.create(code="BIO", name="生物医药", role="featured")
    return {"zone": root, "core": core, "agri": agri, "NEM": nem, "BIO": bio}


def make(name, park, cluster, moves, **fields):
    """A project opened on 2018-01-01, then moved as `moves` says: (stage, date) or (stage, date, "correction")."""
    project = project_create(
        project=Project(name=name, investor="某投资方", park=park, cluster=cluster, **fields), on=D(2018, 1, 1)
    )
    for stage, on, *kind in moves:
        project.refresh_from_db()
        correction = bool(kind)
        note = "更正" if correction else ("原因" if stage == "dropped" else "")
        project_move_stage(project=project, stage=stage, on=on, note=note, correction=correction)
    return project


@pytest.fixture
def pipeline(zone):
    core, agri, nem, bio = zone["core"], zone["agri"], zone["NEM"], zone["BIO"]
    return {
        # 2019-01-31 + 6 months = 2019-07-31: started within 6 months, on the day
        "a": make(
            "甲",
            core,
            nem,
            [("signed", D(2019, 1, 31)), ("construction", D(2019, 7, 31)), ("production", D(2020, 1, 31))],
            contract_investment=Decimal("10000"),
            key_city=True,
        ),
        # 2019-08-31 + 6 months = 2020-02-29 (no 31st in February): within 6 months
        "b": make("乙", core, nem, [("signed", D(2019, 8, 31)), ("construction", D(2020, 2, 29))]),
        # 2019-03-15 + 12 months = 2020-03-15: the 16th is one day late; within 24 months
        "c": make(
            "丙",
            core,
            nem,
            [("signed", D(2019, 3, 15)), ("construction", D(2020, 3, 16)), ("production", D(2020, 9, 15))],
        ),
        "d": make("丁", core, nem, [("signed", D(2019, 5, 1)), ("dropped", D(2019, 9, 1))]),
        "e": make("戊", agri, nem, [("signed", D(2019, 6, 1))], investor_origin="foreign"),
        # Construction recorded on 2019-03-01, then corrected: back to signed, construction again on 2019-10-01.
        "f": make(
            "己",
            agri,
            bio,
            [
                ("signed", D(2019, 2, 1)),
                ("construction", D(2019, 3, 1)),
                ("signed", D(2019, 2, 1), "correction"),
                ("construction", D(2019, 10, 1)),
            ],
        ),
        "g": make("庚", agri, bio, [("signed", D(2020, 4, 1)), ("construction", D(2020, 5, 1))]),
        # Never signed: counted nowhere.
        "h": make("辛", core, nem, []),
    }


def test_add_months_keeps_the_day_or_takes_the_months_last():
    assert add_months(D(2019, 1, 31), 6) == D(2019, 7, 31)
    assert add_months(D(2019, 8, 31), 6) == D(2020, 2, 29)
    assert add_months(D(2019, 8, 31), 18) == D(2021, 2, 28)
    assert add_months(D(2019, 12, 15), 1) == D(2020, 1, 15)


def test_quartiles_by_the_inclusive_rule():
    # positions (n - 1) × p: 0.75, 1.5, 2.25 of [181, 182, 242, 367]
    assert quartiles([367, 181, 242, 182]) == {"count": 4, "median": 212.0, "q1": 181.75, "q3": 273.25}
    assert quartiles([5]) == {"count": 1, "median": 5.0, "q1": 5.0, "q3": 5.0}
    assert quartiles([]) == {"count": 0, "median": None, "q1": None, "q3": None}


def test_cohort_conversion(pipeline):
    cohorts = pipeline_analytics(Scope(), today=TODAY)["cohorts"]
    assert [row["year"] for row in cohorts] == [2019, 2020]
    y2019 = cohorts[0]
    # signed: 甲 乙 丙 丁 戊 己; within 6: 甲 乙; within 12: + 己 (2019-10-01); within 24: + 丙
    assert y2019["signed"] == 6
    assert [(c["months"], c["count"], c["pct"]) for c in y2019["started_within"]] == [
        (6, 2, 33.33),
        (12, 3, 50.0),
        (24, 4, 66.67),
    ]
    assert (y2019["production"], y2019["dropped"], y2019["waiting"]) == (2, 1, 1)  # 甲 丙; 丁; 戊
    assert (y2019["production_pct"], y2019["dropped_pct"], y2019["waiting_pct"]) == (33.33, 16.67, 16.67)
    assert cohorts[1]["signed"] == 1 and cohorts[1]["started_within"][0]["count"] == 1


def test_conversion_as_known_on_a_day(pipeline):
    # On 2019-12-31 丙 had not started and 甲 was not in production yet.
    y2019 = pipeline_analytics(Scope(), today=D(2019, 12, 31))["cohorts"][0]
    assert [c["count"] for c in y2019["started_within"]] == [1, 2, 2]  # 甲; 甲 己 (乙 started in 2020)
    assert (y2019["production"], y2019["waiting"]) == (0, 3)  # 乙 丙 戊 not started


def test_lead_time_quartiles(pipeline):
    lead = pipeline_analytics(Scope(), today=TODAY)["lead_times"]
    # signing → construction: 甲 181, 乙 182, 丙 367, 己 242, 庚 30 → [30, 181, 182, 242, 367]
    assert lead["all"]["signed_to_construction"] == {"count": 5, "median": 182.0, "q1": 181.0, "q3": 242.0}
    # construction → production: 甲 184, 丙 183
    assert lead["all"]["construction_to_production"] == {"count": 2, "median": 183.5, "q1": 183.25, "q3": 183.75}
    # signing → production: 甲 365, 丙 550
    assert lead["all"]["signed_to_production"]["median"] == 457.5
    only_2019 = pipeline_analytics(Scope(signed_to=D(2019, 12, 31)), today=TODAY)["lead_times"]["all"]
    assert only_2019["signed_to_construction"] == {"count": 4, "median": 212.0, "q1": 181.75, "q3": 273.25}


def test_lead_times_by_group(pipeline, zone):
    lead = pipeline_analytics(Scope(), today=TODAY)["lead_times"]
    parks = {row["code"]: row["signed_to_construction"]["count"] for row in lead["park"]}
    assert parks == {"zone": 5, "core": 3, "agri": 2}  # the zone holds its sub-parks
    clusters = {row["code"]: row["signed_to_construction"]["median"] for row in lead["cluster"]}
    assert clusters == {"BIO": 136.0, "NEM": 182.0}  # 己 242 and 庚 30; 甲 181, 乙 182, 丙 367
    levels = {row["code"]: row["signed_to_construction"]["count"] for row in lead["level"]}
    assert levels == {"city": 1, "none": 4}
    origins = {row["code"]: row["signed_to_construction"]["count"] for row in lead["origin"]}
    assert origins == {"": 5, "foreign": 0}  # 戊 (abroad) has not started
    in_agri = pipeline_analytics(Scope(park=zone["agri"]), today=TODAY)["lead_times"]["park"]
    assert [row["code"] for row in in_agri] == ["agri"]


def test_a_corrected_move_is_left_out(pipeline, zone):
    assert StageChange.objects.filter(project=pipeline["f"], superseded=True).count() == 2
    figures = pipeline_analytics(Scope(cluster=zone["BIO"], signed_to=D(2019, 12, 31)), today=TODAY)
    # 己 only: 2019-02-01 → 2019-10-01 is 242 days, not the 28 of the construction the correction undid
    assert figures["lead_times"]["all"]["signed_to_construction"] == {
        "count": 1,
        "median": 242.0,
        "q1": 242.0,
        "q3": 242.0,
    }
    assert [c["count"] for c in figures["cohorts"][0]["started_within"]] == [0, 1, 1]


def test_funds_curve(pipeline):
    a = pipeline["a"]
    for on, amount in [(D(2019, 6, 1), 1000), (D(2020, 1, 31), 2000), (D(2022, 1, 1), 3000)]:
        FundArrival.objects.create(project=a, arrived_on=on, amount=Decimal(amount))
    FundArrival.objects.create(project=pipeline["h"], arrived_on=D(2019, 6, 1), amount=Decimal(500))  # not signed
    funds = {row["year"]: row for row in pipeline_analytics(Scope(), today=TODAY)["funds"]}
    # contract 10000 (甲; the others have none): 6 months to 2019-07-31 1000; 12 to 2020-01-31 3000; 36 6000
    assert funds[2019]["contract_investment"] == Decimal("10000")
    assert [p["ratio_pct"] for p in funds[2019]["points"]] == [10.0, 30.0, 30.0, 60.0]
    assert funds[2020]["points"][0] == {"months": 6, "arrived": Decimal(0), "ratio_pct": None}  # no contract
    # On 2022-06-01 the 2019 cohort has not had 36 months (2019-12-31 + 36 months = 2022-12-31)
    early = pipeline_analytics(Scope(), today=D(2022, 6, 1))["funds"][0]
    assert [p["ratio_pct"] for p in early["points"]] == [10.0, 30.0, 30.0, None]


def test_stalled_key_projects(pipeline):
    figures = pipeline_analytics(Scope(), today=TODAY)
    assert figures["stalled_count"] == 1
    [row] = figures["stalled"]
    assert row == pipeline["a"]  # the only key project, idle since 2020-01-31
    assert (row.last_move_stage, row.last_move_on) == ("production", D(2020, 1, 31))


# --- the page, its drill-downs and the API -------------------------------------------------------------------


def listed(client, url: str) -> int:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.context["page_obj"].paginator.count


def test_every_figure_lists_exactly_its_projects(client, pipeline):
    sign_in(client, "official")
    response = client.get(PAGE)
    assert response.status_code == 200
    figures = response.context["figures"]
    assert figures["counted"] == 7
    checked = 0
    for row in figures["cohorts"]:
        assert listed(client, row["urls"]["signed"]) == row["signed"]
        for cell in row["started_within"]:
            assert listed(client, cell["url"]) == cell["count"], cell["url"]
        for key in ("production", "dropped", "waiting"):
            assert listed(client, row["urls"][key]) == row[key], row["urls"][key]
        checked += 6
    lead = figures["lead_times"]
    for row in [lead["all"], *lead["park"], *lead["cluster"], *lead["level"], *lead["origin"]]:
        for cell in row["cells"]:
            if cell["url"]:
                assert listed(client, cell["url"]) == cell["count"], cell["url"]
                checked += 1
    for row in figures["funds"]:
        assert listed(client, row["url"]) == next(r["signed"] for r in figures["cohorts"] if r["year"] == row["year"])
    assert listed(client, figures["stalled_url"]) == figures["stalled_count"]
    assert checked > 30


def test_unassigned_groups_list_exactly_their_projects(client, pipeline, zone):
    make("壬", zone["core"], None, [("signed", D(2020, 1, 1)), ("construction", D(2020, 3, 1))])  # no cluster
    sign_in(client, "official")
    lead = client.get(PAGE).context["figures"]["lead_times"]
    [no_cluster] = [row for row in lead["cluster"] if not row["code"]]
    [no_origin] = [row for row in lead["origin"] if not row["code"]]
    # signing → construction: 壬 alone has no cluster; 甲 乙 丙 己 庚 壬 have no origin (戊 is foreign)
    assert (no_cluster["cells"][0]["count"], no_origin["cells"][0]["count"]) == (1, 6)
    for row in (no_cluster, no_origin):
        for cell in row["cells"]:
            assert listed(client, cell["url"]) == cell["count"], cell["url"]
    assert listed(client, "/projects/?cluster=none") == 1


def test_drill_downs_keep_the_pages_filters(client, pipeline, zone):
    sign_in(client, "official")
    figures = client.get(PAGE, {"park": "core", "signed_from": "2019-03-01", "signed_to": "2019-12-31"}).context[
        "figures"
    ]
    [y2019] = figures["cohorts"]
    assert y2019["signed"] == 3  # 乙 丙 丁
    assert listed(client, y2019["urls"]["signed"]) == 3
    assert listed(client, y2019["started_within"][1]["url"]) == 1  # 乙
    assert listed(client, figures["lead_times"]["all"]["cells"][0]["url"]) == 2  # 乙 丙


def test_the_page_says_so_when_nothing_is_signed(client, zone):
    sign_in(client, "official")
    response = client.get(PAGE)
    assert response.status_code == 200
    assert response.context["charts"]["cohorts"]["data"] == []  # a sentence instead of an empty chart


def test_names_people_typed_never_run(client, zone):
    make(
        "<script>alert(1)</script>",
        zone["core"],
        zone["NEM"],
        [("signed", D(2019, 1, 1)), ("construction", D(2019, 2, 1))],
    )
    zone["NEM"].name = "<img src=x onerror=alert(1)>"
    zone["NEM"].save()
    sign_in(client, "official")
    response = client.get(PAGE)
    assert b"<img src=x" not in response.content
    assert "&lt;img" in response.context["charts"]["lead_times"]["data"][0]["x"][0]


def test_query_count_does_not_grow_with_the_projects(client, pipeline, zone, django_assert_num_queries):
    sign_in(client, "official")
    few = count_queries(client, PAGE)
    for n in range(12):
        make(f"新{n}", zone["agri"], zone["BIO"], [("signed", D(2021, 1, 1 + n)), ("construction", D(2021, 6, 1))])
        FundArrival.objects.create(project=Project.objects.get(name=f"新{n}"), arrived_on=D(2021, 7, 1), amount=1)
    with django_assert_num_queries(few):
        assert client.get(PAGE).status_code == 200
    api = count_queries(client, API)
    make("再一个", zone["core"], zone["NEM"], [("signed", D(2022, 1, 1))])
    with django_assert_num_queries(api):
        assert client.get(API).status_code == 200


def test_api_shape(client, pipeline):
    sign_in(client, "official")
    body = client.get(API, {"park": "core", "level": "none"}).json()
    assert body["filters"] == {"park": "core", "cluster": None, "level": "none", "signed_from": None, "signed_to": None}
    assert body["counted"] == 3  # 乙 丙 丁 (甲 is a city key project)
    assert body["cohorts"][0]["started_within"][0] == {"months": 6, "count": 1, "pct": 33.33}
    assert set(body["lead_times"]) == {"all", "park", "cluster", "level", "origin"}
    assert body["lead_times"]["all"]["signed_to_construction"] == {
        "count": 2,
        "median": 274.5,
        "q1": 228.25,
        "q3": 320.75,
    }
    assert body["lead_times"]["cluster"][0]["code"] == "NEM"


@pytest.mark.parametrize(
    "params, field",
    [
        ({"park": "nowhere"}, "park"),
        ({"cluster": "XXX"}, "cluster"),
        ({"level": "national"}, "level"),
        ({"signed_from": "2019-13-01"}, "signed_from"),
        ({"signed_from": "2020-01-01", "signed_to": "2019-01-01"}, "signed_to"),
    ],
)
def test_api_refuses_bad_parameters(client, zone, params, field):
    sign_in(client, "official")
    response = client.get(API, params)
    assert response.status_code == 400
    assert list(response.json()) == [field]


def test_the_api_route_is_not_a_project_id(client, pipeline):
    sign_in(client, "official")
    assert client.get(API).status_code == 200
    assert client.get(f"/api/projects/{pipeline['a'].pk}/").json()["name"] == "甲"


@pytest.mark.parametrize(
    "access, role",
    matrix(
        Access("pipeline analytics", lambda: PAGE, EVERY_ROLE),
        Access("pipeline analytics api", lambda: API, EVERY_ROLE, api=True),
    ),
)
def test_who_may_see_the_analytics(client, zone, access, role):
    check_access(client, access, role)


def test_the_annual_report_has_the_pipeline_tables(pipeline):
    with translation.override("en"):
        report = annual_report_data(2020)
    section = report.section("projects")
    cohorts = section.table("pipeline_cohorts")
    # as at 2020-12-31: 2019's six; 丙 started on 2020-03-16 (within 24 months); 2020: 庚
    assert [row[0] for row in cohorts.rows] == ["2019", "2020"]
    assert [cell.value for cell in cohorts.rows[0][1:7]] == [6, 2, 3, 4, 2, 1]
    lead = section.table("pipeline_lead_times")
    assert lead.rows[0][0] == "All"
    assert [cell.value for cell in lead.rows[0][1:5]] == [5, 182.0, 181.0, 242.0]
    assert analytics.STARTED_WITHIN == (6, 12, 24)


def test_the_cached_figures_follow_every_write(client, pipeline, zone):
    sign_in(client, "official")
    first = client.get(API).json()["counted"]
    assert client.get(API).json()["counted"] == first == 7
    make("新签", zone["core"], zone["NEM"], [("signed", D(2021, 5, 1))])  # saves: the signals move the cache on
    assert client.get(API).json()["counted"] == 8
    # A bulk insert sends no signal: the tables' fingerprint sees it.
    project = Project.objects.bulk_create([Project(name="批量", investor="某投资方", stage="signed")])[0]
    StageChange.objects.bulk_create(
        [
            StageChange(project=project, stage="negotiating", on=D(2020, 1, 1)),
            StageChange(project=project, stage="signed", on=D(2021, 6, 1)),
        ]
    )
    assert client.get(API).json()["counted"] == 9


def test_the_cached_page_reads_the_stalled_projects_afresh(client, pipeline, django_user_model):
    sign_in(client, "official")
    assert client.get(PAGE).context["figures"]["stalled"][0].liaison is None
    officer = django_user_model.objects.create(username="liaison-1", first_name="联络员")
    Project.objects.filter(pk=pipeline["a"].pk).update(liaison=officer)  # no signal, no new id
    [row] = client.get(PAGE).context["figures"]["stalled"]
    assert row.liaison == officer


def test_groups_are_named_in_the_interfaces_language_each_cached_apart(client, pipeline, zone):
    IndustryCluster.objects.filter(code="NEM").update(name_en="New energy & materials")
    Park.objects.filter(code="core").update(name_en="Core zone")
    sign_in(client, "official")

    def names(language: str) -> set[str]:
        client.cookies["django_language"] = language
        lead = client.get(API).json()["lead_times"]
        return {row["name"] for row in lead["cluster"] + lead["park"]}

    english = names("en")
    assert {"New energy & materials", "Core zone"} <= english
    assert not english & {"新能源新材料", "核心区"}
    assert {"新能源新材料", "核心区"} <= names("zh-hans")  # not the English figures from the cache
