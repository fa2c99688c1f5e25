"""The year the dashboard, the big screen, /api/dashboard/ and the report open on: the latest in which at least half
of the headline indicators have approved values."""

import pytest

from indicators.choices import ValueStatus
from indicators.selectors import default_year, year_choices
from tests.factories import IndicatorFactory, IndicatorValueFactory, ParkFactory, TargetFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def headline():
    return [IndicatorFactory(code=f"headline_{n}", is_headline=True) for n in range(4)]


def approve(indicator, year, status=ValueStatus.APPROVED, park=None):
    return IndicatorValueFactory(indicator=indicator, year=year, value=1, status=status, park=park)


def test_a_year_with_a_single_value_is_not_the_default(headline):
    for indicator in headline:
        approve(indicator, 2019)
    approve(headline[0], 2020)
    assert default_year() == 2019
    assert 2020 in year_choices(default_year())


def test_half_of_the_headline_indicators_make_the_year(headline):
    for indicator in headline:
        approve(indicator, 2019)
    for indicator in headline[:2]:
        approve(indicator, 2020)
    assert default_year() == 2020


def test_only_approved_values_of_the_whole_zone_count(headline):
    for indicator in headline:
        approve(indicator, 2019)
    approve(headline[0], 2020)
    approve(headline[1], 2020, status=ValueStatus.SUBMITTED)
    approve(headline[2], 2020, park=ParkFactory())
    assert default_year() == 2019


def test_without_headline_values_the_latest_year_with_data(db):
    indicator = IndicatorFactory(code="other", is_headline=False)
    approve(indicator, 2018)
    assert default_year() == 2018


def test_the_dashboard_opens_on_it_and_shows_targets_before_values(headline, official_client):
    for indicator in headline:
        approve(indicator, 2019)
    approve(headline[0], 2020)
    TargetFactory(indicator=headline[1], year=2019, value=5)
    assert official_client.get("/api/dashboard/").json()["year"] == 2019
    other = IndicatorFactory(code="later", is_headline=True)
    TargetFactory(indicator=other, year=2019, value=7)
    html = official_client.get("/").content.decode()
    card = html[html.index(other.name) :]
    card = card[: card.index("</a>")]
    assert "pa-kpi-target" in card and "7" in card
