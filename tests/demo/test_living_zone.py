"""load_demo makes a living zone: the article's facts, and sample records that reproduce its counts, so the
dashboard's default year is full and the records agree with the reported figures."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import Min, Sum

from demo import ARTICLE_SOURCE, facts
from enterprises import demo_sample as enterprises_demo
from enterprises.choices import IncubationStatus, QualificationKind
from enterprises.models import Enterprise, EnterpriseYear, Incubation, Incubator, Qualification, ServiceRequest
from enterprises.selectors import hitech_enterprise_count, incubation_figures
from indicators.models import IndicatorValue
from indicators.selectors import default_year, reconciliation, year_choices
from parkadmin.memo import memo_scope
from parkadmin.sample import DEMO_SOURCE
from projects.choices import InvestorOrigin, Stage
from projects.models import FundArrival, Project, StageChange
from projects.selectors import funds_by_month, key_project_counts, yearly_figures

pytestmark = pytest.mark.django_db

MODELS = [
    Enterprise,
    Qualification,
    Incubator,
    Incubation,
    EnterpriseYear,
    ServiceRequest,
    Project,
    StageChange,
    FundArrival,
]


@pytest.fixture
def demo(db):
    call_command("load_demo", verbosity=0)


def counts() -> dict:
    return {model.__name__: model.objects.count() for model in MODELS} | {"values": IndicatorValue.objects.count()}


def test_the_default_year_is_the_demos_latest_and_shows_a_value_on_most_cards(demo, official_client):
    assert default_year() == 2020
    answer = official_client.get("/api/dashboard/").json()
    assert answer["year"] == 2020
    cards = answer["indicators"]
    with_value = [card for card in cards if card["value"] is not None]
    assert len(cards) >= 13
    assert len(with_value) >= 0.8 * len(cards), [card["code"] for card in cards if card["value"] is None]
    # The page opens on the same year; the picker still offers every year with values.
    html = official_client.get("/").content.decode()
    assert '<option value="2020" selected' in html
    assert {2017, 2018, 2019, 2020} <= set(year_choices())


@pytest.mark.parametrize("year", [2019, 2020])
def test_the_records_agree_with_the_reported_figures(demo, year):
    with memo_scope():
        rows = reconciliation(year)
    assert rows, "nothing reconciled"
    assert [row["code"] for row in rows if not row["agrees"]] == []


def test_the_article_year_reconciles_every_project_figure(demo):
    with memo_scope():
        codes = {row["code"] for row in reconciliation(2019)}
    assert codes >= {
        "hitech_enterprises",
        "contracts_signed",
        "contract_investment",
        "projects_over_1bn",
        "projects_over_100m",
        "projects_started",
        "projects_in_production",
        "funds_arrived_out_of_province",
        "provincial_key_industry_projects",
        "provincial_key_tech_projects",
        "city_key_projects",
    }


def test_the_records_count_the_articles_high_tech_and_incubated_enterprises(demo):
    # 近三年来 from 13 to 33 (2017—2019), growing each year.
    assert [hitech_enterprise_count(year=y) for y in (2017, 2018, 2019)] == [13, 22, 33]
    with memo_scope():
        incubation = incubation_figures(year=2020)
    assert incubation["incubating"] == 69
    graduated = Incubation.objects.filter(status=IncubationStatus.GRADUATED, left_on__lte=datetime.date(2020, 12, 31))
    assert graduated.count() == 34
    assert set(Incubation.objects.values_list("incubator__name", flat=True)) == {"国家级科技企业孵化器"}


def test_the_projects_of_2019_are_the_articles(demo):
    with memo_scope():
        figures = yearly_figures(year=2019)
        keys = key_project_counts(year=2019)
    assert (figures["signed_count"], figures["over_1bn_count"], figures["over_100m_count"]) == (18, 1, 11)
    assert figures["signed_investment"] == Decimal("3587000")
    assert (figures["started_count"], figures["production_count"]) == (10, 10)
    assert (keys["provincial_industry"], keys["provincial_tech"], keys["city"]) == (2, 3, 31)


def test_fund_arrivals_by_month_add_up_to_the_reported_year(demo):
    with memo_scope():
        months = funds_by_month(year=2019)
    assert len(months) == 12 and all(month > 0 for month in months)
    out_of_province = FundArrival.objects.filter(
        arrived_on__year=2019, project__investor_origin=InvestorOrigin.OTHER_PROVINCE
    ).aggregate(total=Sum("amount"))["total"]
    reported = IndicatorValue.objects.get(indicator__code="funds_arrived_out_of_province", year=2019, park=None)
    assert out_of_province == reported.value * 10_000 == Decimal(320_000)


def test_the_articles_facts_stay_as_they_were_and_the_sample_says_what_it_is(demo):
    article_values = IndicatorValue.objects.filter(source=ARTICLE_SOURCE)
    assert article_values.count() == 30
    assert article_values.get(indicator__code="hitech_enterprises", year=2019).value == 33
    named = {item["name_zh"] for item in facts()["enterprises_named"]} - {"福建傲农生物科技集团股份有限公司"}
    assert set(Enterprise.objects.filter(is_sample=False).values_list("name", flat=True)) == named
    assert not Enterprise.objects.filter(is_sample=False, source=DEMO_SOURCE).exists()
    assert Project.objects.filter(is_sample=False).count() == 2
    for model in (Enterprise, EnterpriseYear, Incubation, Project, FundArrival):
        assert model.objects.filter(is_sample=True).exists(), model
    assert not Qualification.objects.exclude(source=DEMO_SOURCE).exists()
    sample_values = IndicatorValue.objects.filter(source=DEMO_SOURCE)
    assert sample_values.exists() and set(sample_values.values_list("year", flat=True)) == {2020}
    assert all(value.note.startswith("示例数据") for value in sample_values)
    # Sample names read as company names, not as codes.
    for name in Enterprise.objects.filter(is_sample=True).values_list("name", flat=True):
        assert name.endswith("公司") and not any(c.isascii() for c in name), name


def test_new_high_tech_enterprises_of_2020_are_those_first_certified_then(demo):
    firsts = (
        Qualification.objects.filter(kind=QualificationKind.HITECH)
        .values("enterprise")
        .annotate(first=Min("issued_on"))
        .filter(first__year=2020)
    )
    value = IndicatorValue.objects.get(indicator__code="new_hitech_enterprises", year=2020, park=None)
    assert value.value == len(firsts)


def test_a_sample_enterprise_says_so_on_its_page(demo, official_client):
    enterprise = Enterprise.objects.filter(is_sample=True).order_by("name").first()
    html = official_client.get(enterprise.get_absolute_url()).content.decode()
    assert "pa-sample" in html or "alert-warning" in html


def test_enterprises_problems_are_answered_in_the_past_and_open_now(demo, official_client):
    from enterprises.selectors import service_request_figures

    figures = service_request_figures(year=2020)
    assert figures["open"] + figures["in_progress"] == enterprises_demo.PROBLEMS_OPEN
    assert 0 < figures["overdue"] < enterprises_demo.PROBLEMS_OPEN  # some past their time limit, not all
    assert figures["raised"] > 0 and figures["resolved"] > 0 and figures["median_days_to_resolve"] is not None
    assert not ServiceRequest.objects.filter(is_sample=False).exists()
    chart = official_client.get("/api/dashboard/").json()["service_requests"]
    assert chart["overdue"] == figures["overdue"]


def test_loading_again_changes_nothing_and_if_empty_leaves_it(demo):
    before = counts()
    history = Enterprise.history.count() + Project.history.count() + IndicatorValue.history.count()
    call_command("load_demo", verbosity=0)
    assert counts() == before
    assert Enterprise.history.count() + Project.history.count() + IndicatorValue.history.count() == history
    call_command("load_demo", "--if-empty", verbosity=0)
    assert counts() == before


def test_the_sample_is_the_same_on_every_load(db):
    call_command("load_demo", verbosity=0)
    first = sorted(Enterprise.objects.filter(is_sample=True).values_list("name", "founded_on"))
    projects = sorted(Project.objects.values_list("name", "contract_investment", "stage"))
    Enterprise.objects.filter(is_sample=True).delete()
    Project.objects.all().delete()
    call_command("load_demo", verbosity=0)
    assert sorted(Enterprise.objects.filter(is_sample=True).values_list("name", "founded_on")) == first
    assert sorted(Project.objects.values_list("name", "contract_investment", "stage")) == projects
    assert Project.objects.filter(stage=Stage.DROPPED).exists()
