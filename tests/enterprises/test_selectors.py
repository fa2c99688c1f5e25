"""The enterprises app's figures for the dashboard, on small hand-built data (every number worked out by hand)."""

import datetime
from decimal import Decimal

import pytest

from enterprises import selectors
from enterprises.models import Enterprise, EnterpriseYear, Incubation, Incubator, Qualification, ServiceRequest
from parks.models import IndustryCluster, Park

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def zone():
    """zone → core → eit; zone → agri. Clusters NEM, EIT."""
    root = Park.objects.create(code="zone", name="高新区", kind="zone")
    core = Park.objects.create(code="core", name="核心区", kind="core", parent=root)
    eit = Park.objects.create(code="eit", name="电子园", kind="specialised", parent=core)
    agri = Park.objects.create(code="agri", name="农科园", kind="sub_park", parent=root)
    nem = IndustryCluster.objects.create(code="NEM", name="新能源新材料")
    eit_cluster = IndustryCluster.objects.create(code="EIT", name="电子信息")
    return {"root": root, "core": core, "eit": eit, "agri": agri, "NEM": nem, "EIT": eit_cluster}


def enterprise(name, park, cluster, status="operating"):
    return Enterprise.objects.create(name=name, park=park, cluster=cluster, status=status)


def test_enterprises_by_cluster_counts_active_ones_and_includes_sub_parks(zone):
    enterprise("甲", zone["eit"], zone["EIT"])
    enterprise("乙", zone["core"], zone["EIT"])
    enterprise("丙", zone["agri"], zone["NEM"])
    enterprise("已迁出", zone["core"], zone["NEM"], status="moved_out")
    whole = {r["code"]: r["count"] for r in selectors.enterprises_by_cluster()}
    assert whole == {"EIT": 2, "NEM": 1}
    core = {r["code"]: r["count"] for r in selectors.enterprises_by_cluster(park=zone["core"])}
    assert core == {"EIT": 2, "NEM": 0}
    assert selectors.enterprises_by_cluster(park=zone["root"]) == selectors.enterprises_by_cluster()


def test_hitech_count_uses_certificates_valid_at_year_end(zone):
    valid = enterprise("有效", zone["core"], zone["EIT"])
    expired = enterprise("过期", zone["core"], zone["EIT"])
    late = enterprise("次年发证", zone["core"], zone["EIT"])
    boundary = enterprise("当日到期", zone["agri"], zone["NEM"])
    Qualification.objects.create(enterprise=valid, kind="hitech", issued_on=D(2018, 5, 1), expires_on=D(2021, 4, 30))
    Qualification.objects.create(enterprise=expired, kind="hitech", issued_on=D(2016, 1, 1), expires_on=D(2019, 6, 30))
    Qualification.objects.create(enterprise=late, kind="hitech", issued_on=D(2020, 1, 1), expires_on=D(2022, 12, 31))
    Qualification.objects.create(
        enterprise=boundary, kind="hitech", issued_on=D(2016, 12, 31), expires_on=D(2019, 12, 31)
    )
    Qualification.objects.create(enterprise=late, kind="tech_sme", issued_on=D(2019, 1, 1))
    assert selectors.hitech_enterprise_count(year=2019) == 2  # 有效 and 当日到期 (valid through 31 December)
    assert selectors.hitech_enterprise_count(year=2019, park=zone["core"]) == 1
    assert selectors.hitech_enterprise_count(year=2020) == 2  # 有效 and 次年发证


def test_year_totals_sum_the_years_figures_by_park_and_cluster(zone):
    a = enterprise("甲", zone["eit"], zone["EIT"])
    b = enterprise("乙", zone["agri"], zone["NEM"])
    EnterpriseYear.objects.create(
        enterprise=a, year=2019, revenue=Decimal("1000.50"), industrial_output=800, employees=120
    )
    EnterpriseYear.objects.create(enterprise=b, year=2019, revenue=500, industrial_output=Decimal("300.25"))
    EnterpriseYear.objects.create(enterprise=a, year=2018, revenue=900)
    totals = selectors.year_totals(year=2019)
    assert totals["reporting"] == 2
    assert totals["revenue"] == Decimal("1500.50")
    assert totals["industrial_output"] == Decimal("1100.25")
    assert totals["employees"] == 120
    assert totals["tax"] is None
    assert selectors.year_totals(year=2019, park=zone["core"])["revenue"] == Decimal("1000.50")
    by_cluster = {
        r["code"]: (r["enterprises"], r["industrial_output"]) for r in selectors.year_totals_by_cluster(year=2019)
    }
    assert by_cluster == {"EIT": (1, Decimal("800")), "NEM": (1, Decimal("300.25"))}


def test_incubation_figures_at_year_end(zone):
    incubator = Incubator.objects.create(name="孵化器", level="national", park=zone["core"])
    stays = [
        ("在孵老", D(2017, 3, 1), "incubating", None),
        ("年内入", D(2019, 6, 1), "incubating", None),
        ("年内毕业", D(2016, 1, 1), "graduated", D(2019, 8, 1)),
        ("年末毕业", D(2017, 1, 1), "graduated", D(2019, 12, 31)),
        ("次年毕业", D(2018, 1, 1), "graduated", D(2020, 1, 2)),
        ("年内退出", D(2018, 1, 1), "exited", D(2019, 3, 1)),
        ("次年入", D(2020, 2, 1), "incubating", None),
    ]
    for name, entered, status, left in stays:
        Incubation.objects.create(
            enterprise=enterprise(name, zone["core"], zone["EIT"]),
            incubator=incubator,
            entered_on=entered,
            status=status,
            left_on=left,
        )
    figures = selectors.incubation_figures(year=2019)
    # At the end of 2019: 在孵老, 年内入, 次年毕业 (left in 2020). 年末毕业 left on 31 December: no longer in.
    assert figures == {"incubating": 3, "entered": 1, "graduated": 2, "exited": 1}
    assert selectors.incubation_figures(year=2019, park=zone["agri"]) == {
        "incubating": 0,
        "entered": 0,
        "graduated": 0,
        "exited": 0,
    }


def test_service_request_figures(zone):
    firm = enterprise("甲", zone["core"], zone["EIT"])
    today = D(2019, 7, 1)

    def problem(category, raised, status="open", due=None, resolved=None):
        ServiceRequest.objects.create(
            enterprise=firm,
            title=f"{category}{raised}",
            category=category,
            raised_on=raised,
            due_on=due,
            status=status,
            resolution="已解决" if resolved else "",
            resolved_on=resolved,
        )

    problem("land", D(2019, 1, 1), due=D(2019, 3, 1))  # open, overdue
    problem("land", D(2019, 6, 1), status="in_progress", due=D(2019, 8, 1))  # in progress, not overdue
    problem("utilities", D(2019, 6, 20), due=D(2019, 6, 27))  # overdue
    problem("financing", D(2019, 1, 10), status="resolved", resolved=D(2019, 1, 20))  # 10 days
    problem("financing", D(2019, 2, 1), status="resolved", resolved=D(2019, 3, 3))  # 30 days
    problem("policy", D(2018, 12, 1), status="resolved", resolved=D(2019, 1, 1))  # 31 days
    problem("policy", D(2018, 5, 1), status="resolved", resolved=D(2018, 5, 2))  # resolved in 2018
    figures = selectors.service_request_figures(year=2019, today=today)
    assert (figures["open"], figures["in_progress"], figures["overdue"]) == (2, 1, 2)
    assert (figures["raised"], figures["resolved"]) == (5, 3)
    assert figures["median_days_to_resolve"] == 30
    by_category = {row["code"]: (row["open"], row["overdue"]) for row in figures["by_category"]}
    assert by_category["land"] == (2, 1)
    assert by_category["utilities"] == (1, 1)
    assert by_category["financing"] == (0, 0)


def test_figures_take_a_fixed_number_of_queries(zone, django_assert_max_num_queries):
    for i in range(30):
        enterprise(f"企业{i}", zone["core"], zone["EIT"])
    with django_assert_max_num_queries(12):
        selectors.enterprises_by_cluster(park=zone["core"])
        selectors.hitech_enterprise_count(year=2019, park=zone["core"])
        selectors.year_totals(year=2019, park=zone["core"])
        selectors.incubation_figures(year=2019, park=zone["core"])
        selectors.service_request_figures(year=2019, park=zone["core"])


def test_figures_the_dashboard_and_the_report_share_are_read_once_per_request(db):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from enterprises import selectors
    from parkadmin.memo import memo_scope

    with memo_scope(), CaptureQueriesContext(connection) as captured:
        first = selectors.enterprises_by_cluster()
        assert selectors.enterprises_by_cluster() is first
        selectors.year_totals_by_cluster(year=2024)  # the clusters are not read again
        history = selectors.incubation_history(last=2024)
        assert list(history) == [2020, 2021, 2022, 2023, 2024]
        assert selectors.incubation_figures(year=2024) == history[2024]  # the year's figures come with its history
    assert len(captured) == 4  # enterprises by cluster, the clusters, the yearly totals, five years of incubation


def test_largest_by_revenue_ranks_the_years_records_and_breaks_ties_by_name(zone):
    def revenue(name, park, amount, year=2019):
        firm = enterprise(name, park, zone["EIT"])
        return EnterpriseYear.objects.create(enterprise=firm, year=year, revenue=amount)

    revenue("Beta", zone["eit"], Decimal(500))
    revenue("Alpha", zone["core"], Decimal(500))
    revenue("Gamma", zone["agri"], Decimal(900))
    revenue("Delta", zone["core"], Decimal(100))
    revenue("Epsilon", zone["core"], None)  # no revenue reported: not ranked
    revenue("Zeta", zone["core"], Decimal(10_000), year=2018)
    names = [record.enterprise.name for record in selectors.largest_by_revenue(year=2019, limit=3)]
    assert names == ["Gamma", "Alpha", "Beta"]
    core = selectors.largest_by_revenue(year=2019, park=zone["core"], limit=10)
    assert [(record.enterprise.name, record.enterprise.park.code) for record in core] == [
        ("Alpha", "core"),
        ("Beta", "eit"),
        ("Delta", "core"),
    ]


def test_unresolved_problems_are_listed_oldest_deadline_first(zone):
    core = enterprise("甲", zone["core"], zone["EIT"])
    agri = enterprise("乙", zone["agri"], zone["NEM"])

    def problem(firm, title, due, status="open"):
        return ServiceRequest.objects.create(
            enterprise=firm,
            title=title,
            category="land",
            raised_on=D(2019, 1, 1),
            due_on=due,
            status=status,
            resolution="已解决" if status == "resolved" else "",
            resolved_on=D(2019, 2, 1) if status == "resolved" else None,
        )

    problem(core, "晚", D(2019, 9, 1))
    problem(agri, "早", D(2019, 3, 1), status="in_progress")
    problem(core, "中", D(2019, 6, 1))
    problem(core, "已解决", D(2019, 1, 15), status="resolved")
    assert [p.title for p in selectors.unresolved_problems()] == ["早", "中", "晚"]
    assert [p.title for p in selectors.unresolved_problems(park=zone["core"])] == ["中", "晚"]
