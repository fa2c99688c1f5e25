"""The dashboard page, the big screen and /api/dashboard/ on the demo data, and who may see them."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from demo import load
from tests.factories import EnterpriseFactory, IndustryClusterFactory
from tests.harness import EVERY_ROLE, Access, check_access, matrix

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    load(with_accounts=False)


ACCESS = [
    Access("dashboard", lambda: "/", EVERY_ROLE),
    Access("big screen", lambda: "/dashboard/screen/", EVERY_ROLE),
    Access("dashboard json", lambda: "/api/dashboard/", EVERY_ROLE, api=True),
]


@pytest.mark.parametrize(("access", "role"), matrix(*ACCESS))
def test_role_matrix(client, access, role):
    check_access(client, access, role)


def test_the_2019_dashboard_shows_the_articles_figures(official_client, demo):
    html = official_client.get("/", {"year": 2019}).content.decode()
    assert "358.7亿元" in html  # contract investment
    assert "7.26亿元" in html  # fiscal revenue
    assert "+10.84%" in html  # fiscal revenue on 2018
    assert html.count('class="pa-chart') >= 6
    assert "2017—2019年，园区公共财政收入分别为7.01亿元、6.55亿元、7.26亿元，年均增长1.77%" in html
    assert "园区全省高新区排名从2018年的第16位提升至2019年的第8位" in html
    # a rank's change is told in places, not as a percentage (and the page drawn from the cache tells it too)
    for _ in range(2):
        html = official_client.get("/", {"year": 2019}).content.decode()
        assert "比上年上升 8 位" in html


def test_the_json_has_the_contracts_shape_and_figures(official_client, demo):
    data = official_client.get("/api/dashboard/", {"year": 2019}).json()
    assert {"year", "park", "indicators", "projects", "incubation", "service_requests"} <= set(data)
    assert set(data["projects"]) >= {
        "signed_count",
        "signed_investment",
        "over_1bn_count",
        "over_100m_count",
        "started_count",
        "production_count",
        "funds_arrived",
        "by_stage",
    }
    by_code = {i["code"]: i for i in data["indicators"]}
    assert by_code["contract_investment"]["value"] == 358.7
    assert by_code["fiscal_revenue"]["yoy_pct"] == 10.84
    assert by_code["fiscal_revenue"]["source"].startswith("《湖南怀化")
    for item in data["indicators"]:
        assert {"code", "name", "unit", "value", "yoy_pct", "target", "target_pct", "source"} <= set(item)


def test_targets_show_their_completion(official_client, demo):
    data = official_client.get("/api/dashboard/", {"year": 2020}).json()
    targets = {i["code"]: i["target"] for i in data["indicators"] if i["target"] is not None}
    assert targets == {"new_hitech_enterprises": 5, "new_rd_institutions": 2, "new_patents": 80}


def test_the_records_are_reconciled_with_the_reported_figures(official_client, demo):
    html = official_client.get("/", {"year": 2019}).content.decode()
    assert "签订正式入园合同" in html and "pa-reconciliation" in html
    data = official_client.get("/api/dashboard/", {"year": 2019}).json()
    contracts = next(r for r in data["reconciliation"] if r["code"] == "contracts_signed")
    # The demo's sample projects reproduce the article's count.
    assert float(contracts["reported"]) == 18 and float(contracts["records"]) == 18
    assert contracts["agrees"]


def test_default_year_is_the_latest_most_headline_indicators_fill(official_client, demo):
    response = official_client.get("/")
    assert response.context["year"] == 2020


def test_bad_year_or_park_is_reported_not_fatal(official_client, demo):
    response = official_client.get("/", {"year": "abc", "park": "nowhere"})
    assert response.status_code == 200
    assert len(response.context["problems"]) == 2
    assert official_client.get("/api/dashboard/", {"park": "nowhere"}).status_code == 400


def test_pending_values_are_hidden_unless_asked_for_and_then_marked(official_client, demo):
    from decimal import Decimal

    from indicators.models import Indicator
    from indicators.services import indicator_value_save

    indicator_value_save(
        indicator=Indicator.objects.get(code="fiscal_revenue"), year=2021, value=Decimal("7.5"), submit=True
    )
    hidden = official_client.get("/", {"year": 2021}).content.decode()
    assert "7.5亿元" not in hidden
    shown = official_client.get("/", {"year": 2021, "include_pending": "1"}).content.decode()
    assert "7.5亿元" in shown and "pa-pending" in shown


def test_a_park_dashboard_counts_only_that_park(official_client, demo):
    from parks.models import Park

    response = official_client.get("/api/dashboard/", {"year": 2019, "park": "agri"})
    assert response.json()["park"] == "agri"
    assert Park.objects.get(code="agri").parent.code == "huaihua"


def test_hostile_names_are_inert_in_charts_and_cards(official_client, demo):
    IndustryClusterFactory(code="X", name="</script><script>alert(1)</script>")
    html = official_client.get("/", {"year": 2019}).content.decode()
    assert "</script><script>alert(1)" not in html
    assert re.search(r"\\u003C/script\\u003E|&amp;lt;/script&amp;gt;|\\u0026lt;", html)


def test_query_count_does_not_grow_with_the_data(official_client, demo):
    def count():
        with CaptureQueriesContext(connection) as queries:
            assert official_client.get("/", {"year": 2019}).status_code == 200
        return len(queries)

    EnterpriseFactory.create_batch(5)
    official_client.get("/")
    few = count()
    EnterpriseFactory.create_batch(495)
    assert count() == few
    assert few <= 60


def test_a_computed_indicator_no_longer_registered_is_left_out_of_the_reconciliation(official_client, demo):
    """Regression: a computed indicator's row outlives its code (renamed, app removed); the dashboard raised KeyError
    where the report skipped it. Both now read the one reconciliation, which skips it."""
    from indicators.choices import Kind
    from indicators.selectors import reconciliation
    from reports.data import annual_report_data
    from tests.factories import IndicatorFactory

    before = reconciliation(2019)
    IndicatorFactory(code="retired_records", kind=Kind.COMPUTED, reconciles="fiscal_revenue")
    assert reconciliation(2019) == before
    assert official_client.get("/", {"year": 2019}).status_code == 200
    data = official_client.get("/api/dashboard/", {"year": 2019}).json()
    assert "fiscal_revenue" not in {row["code"] for row in data["reconciliation"]}
    table = annual_report_data(2019).section("indicators").table("reconciliation")
    assert [row[0] for row in table.rows] == [row["name"] for row in before]
