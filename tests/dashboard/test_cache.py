"""The dashboard's cached figures: served from the cache while nothing changes, fresh right after any write."""

import datetime
import os
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models.signals import post_save
from django.test.utils import CaptureQueriesContext

from dashboard import cache as dashboard_cache
from demo import load
from enterprises.models import ServiceRequest
from indicators.models import Indicator, IndicatorValue
from indicators.services import indicator_value_save
from tests.factories import EnterpriseFactory, UserFactory
from tests.harness import ROLE_GROUPS

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    load(with_accounts=False)


def fiscal_revenue(client) -> float:
    data = client.get("/api/dashboard/", {"year": 2019}).json()
    return next(i["value"] for i in data["indicators"] if i["code"] == "fiscal_revenue")


def queries(client, path: str, **params) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path, params).status_code == 200
    return len(captured)


def test_an_approved_edit_shows_on_the_page_and_in_the_json_at_once(official_client, demo):
    assert "7.26亿元" in official_client.get("/", {"year": 2019}).content.decode()
    assert fiscal_revenue(official_client) == 7.26
    value = IndicatorValue.objects.get(indicator__code="fiscal_revenue", year=2019, park=None)
    indicator_value_save(
        indicator=value.indicator,
        year=2019,
        value=Decimal("7.31"),
        source=value.source,
        approve=True,
        instance=value,
        expected_version=value.version,
    )
    html = official_client.get("/", {"year": 2019}).content.decode()
    assert "7.31亿元" in html and "7.26亿元" not in html
    assert fiscal_revenue(official_client) == 7.31


def test_a_new_record_changes_the_counts_at_once(official_client, demo):
    def open_problems():
        return official_client.get("/api/dashboard/", {"year": 2019}).json()["service_requests"]["open"]

    before = open_problems()
    ServiceRequest.objects.create(
        enterprise=EnterpriseFactory(), title="新问题", category="land", raised_on=datetime.date(2019, 5, 1)
    )
    assert open_problems() == before + 1


def test_a_write_no_signal_told_this_process_about_is_still_seen(official_client, demo):
    """Another process (another worker, `import_data`) writes: its signals never reach this process's cache."""
    assert fiscal_revenue(official_client) == 7.26
    receiver = f"dashboard-cache-save-{IndicatorValue._meta.label_lower}"
    post_save.disconnect(sender=IndicatorValue, dispatch_uid=receiver)
    try:
        value = IndicatorValue.objects.get(indicator__code="fiscal_revenue", year=2019, park=None)
        value.value = Decimal("7.5")
        value.save()
    finally:
        post_save.connect(dashboard_cache.invalidate, sender=IndicatorValue, dispatch_uid=receiver)
    assert fiscal_revenue(official_client) == 7.5


def test_the_cached_page_takes_few_queries_and_the_first_one_a_bounded_number(official_client, demo):
    dashboard_cache.invalidate()
    first = queries(official_client, "/", year=2019)
    again = queries(official_client, "/", year=2019)
    assert again <= 8
    assert first <= 60
    assert queries(official_client, "/api/dashboard/", year=2019) <= 30
    assert queries(official_client, "/api/dashboard/", year=2019) <= 8


def test_each_year_park_and_language_has_its_own_entry(official_client, demo):
    english = official_client.get("/", {"year": 2019}, headers={"accept-language": "en"})
    chinese = official_client.get("/", {"year": 2019}, headers={"accept-language": "zh-hans"})

    def land(response) -> str:
        rows = response.context["figures"]["service_requests"]["by_category"]
        return next(row["name"] for row in rows if row["code"] == "land")

    assert land(english) == "Land"
    assert land(chinese) == "用地"
    park = official_client.get("/api/dashboard/", {"year": 2019, "park": "agri"}).json()
    zone = official_client.get("/api/dashboard/", {"year": 2019}).json()
    assert park["park"] == "agri" and zone["park"] is None
    assert official_client.get("/api/dashboard/", {"year": 2018}).json()["year"] == 2018
    assert Indicator.objects.filter(code="fiscal_revenue").exists()


def test_the_drawn_page_is_kept_and_served_to_every_reader_without_their_own_details(client, demo):
    """The cached HTML holds the figures only: each reader's own name, menu and warnings are drawn per request."""
    first_reader = UserFactory(first_name="王", last_name="一", groups=ROLE_GROUPS["official"])
    second_reader = UserFactory(first_name="李", last_name="二", groups=ROLE_GROUPS["official"])
    dashboard_cache.invalidate()
    client.force_login(first_reader)
    drawn = client.get("/", {"year": 2019})
    assert "dashboard/_page.html" in [template.name for template in drawn.templates]
    client.force_login(second_reader)
    served = client.get("/", {"year": 2019, "park": "nowhere"})
    assert "dashboard/_page.html" not in [template.name for template in served.templates]
    html = served.content.decode()
    assert second_reader.get_full_name() in html and first_reader.get_full_name() not in html
    assert "nowhere" in html  # the warning about the unknown park is this request's own
    assert html.count('class="pa-chart') == drawn.content.decode().count('class="pa-chart') >= 6


def test_every_process_invalidates_on_writes_without_loading_the_urls():
    """Regression: the receivers were connected when the URLconf imported the views, so `import_data` and
    `load_demo` (which never load the URLs) wrote without moving the counter on."""
    import subprocess
    import sys
    from pathlib import Path

    script = (
        "import sys, django; django.setup()\n"
        "from django.db.models.signals import post_delete, post_save\n"
        "from dashboard.cache import watched_models\n"
        "assert 'parkadmin.urls' not in sys.modules and 'dashboard.views' not in sys.modules\n"
        "for model in watched_models():\n"
        "    label = model._meta.label_lower\n"
        "    for signal, uid in ((post_save, 'save'), (post_delete, 'delete')):\n"
        "        # disconnect() answers whether the receiver was there (harmless: this process ends here)\n"
        "        assert signal.disconnect(sender=model, dispatch_uid=f'dashboard-cache-{uid}-{label}'), label\n"
        "print('ok')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=Path(__file__).resolve().parents[2],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def test_a_view_for_an_asked_year_does_not_look_up_the_default_year(official_client, demo):
    """The default year costs a query; a cached view for a year asked for runs one fewer than one for the default."""
    official_client.get("/", {"year": 2020})
    official_client.get("/api/dashboard/", {"year": 2020})
    assert official_client.get("/").context["year"] == 2020  # the default: both read the same cached entry
    assert queries(official_client, "/", year=2020) == queries(official_client, "/") - 1
    assert queries(official_client, "/api/dashboard/", year=2020) == queries(official_client, "/api/dashboard/") - 1


def test_the_figures_read_every_trend_in_one_query(official_client, demo, monkeypatch):
    from dashboard import selectors

    calls = []
    trends = selectors.indicator_trends
    monkeypatch.setattr(selectors, "indicator_trends", lambda *args: calls.append(args) or trends(*args))
    dashboard_cache.invalidate()
    assert official_client.get("/", {"year": 2019}).status_code == 200
    [(codes, _year, _park)] = calls
    assert {"fiscal_revenue", "rank_province_parks", "incubating", "graduated"} <= set(codes)
