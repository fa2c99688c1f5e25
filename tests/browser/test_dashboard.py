"""An official reads the dashboard: charts drawn, a click leads to the records, the big screen fits the room."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_official_reads_the_dashboard_and_clicks_through_to_a_cluster(site, browser_errors):
    page = site.page
    site.log_in("demo-official")
    site.visit("/?year=2019")
    expect(page.locator(".pa-kpi").first).to_be_visible()
    expect(page.locator("body")).to_contain_text("358.7亿元")
    plots = page.locator(".js-plotly-plot")
    expect(plots).to_have_count(7)
    # Click a slice of the enterprises donut: it leads to that cluster's enterprises, and only those.
    with page.expect_navigation():
        page.locator("#chart-clusters .slice").first.click()
    page.wait_for_load_state("networkidle")
    site.screenshot()
    assert "/enterprises/?cluster=" in page.url
    from enterprises.models import Enterprise

    code = page.url.split("cluster=")[1].split("&")[0]
    shown = page.locator("table.pa-list tbody tr").count()
    assert shown == Enterprise.objects.filter(cluster__code=code).count() > 0
    assert browser_errors == []


def test_the_big_screen_fills_1920_by_1080_without_scrolling(site, browser_errors):
    page = site.page
    page.set_viewport_size({"width": 1920, "height": 1080})
    site.log_in("demo-official")
    site.visit("/dashboard/screen/?year=2019")
    expect(page.locator(".js-plotly-plot")).to_have_count(6)
    assert page.evaluate("document.documentElement.scrollHeight") <= 1080
    assert page.evaluate("document.documentElement.scrollWidth") <= 1920
    assert browser_errors == []
