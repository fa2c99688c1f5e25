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
    from enterprises.choices import ACTIVE_STATUSES

    assert shown == Enterprise.objects.filter(cluster__code=code, status__in=ACTIVE_STATUSES).count() > 0
    assert browser_errors == []


# What the big screen must not do: scroll, leave a panel untitled, break a figure inside its number or unit, or let
# a chart spill out of its panel.
SCREEN_FAULTS = """() => {
  const faults = [];
  const root = document.documentElement;
  if (root.scrollWidth > innerWidth || root.scrollHeight > innerHeight) {
    faults.push(['page', root.scrollWidth, root.scrollHeight]);
  }
  document.querySelectorAll('.pa-screen-panel').forEach((panel, i) => {
    const title = panel.querySelector(':scope > h2');
    if (!title || !title.textContent.trim()) faults.push(['untitled panel', i]);
    const box = panel.getBoundingClientRect();
    panel.querySelectorAll('.pa-chart').forEach((chart) => {
      const c = chart.getBoundingClientRect();
      if (c.bottom > box.bottom + 1 || c.right > box.right + 1) {
        faults.push(['chart outside its panel', title && title.textContent]);
      }
    });
  });
  document.querySelectorAll('.pa-kpi-value').forEach((value) => {
    const lineHeight = parseFloat(getComputedStyle(value).lineHeight);
    if (value.getBoundingClientRect().height > lineHeight * 1.5 || value.scrollWidth > value.clientWidth) {
      faults.push(['figure wraps or is cut', value.textContent.trim()]);
    }
  });
  return faults;
}"""


@pytest.mark.parametrize(("width", "height"), [(1920, 1080), (1366, 768)])
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_big_screen_fills_the_room_without_scrolling(site, live_server, browser_errors, width, height, language):
    page = site.page
    page.set_viewport_size({"width": width, "height": height})
    page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    site.log_in("demo-official")
    site.visit("/dashboard/screen/?year=2019")
    expect(page.locator(".js-plotly-plot")).to_have_count(6)  # the seventh panel holds the rolling lists
    expect(page.locator(".pa-screen-panel > h2")).to_have_count(8)
    expect(page.locator(".pa-screen-sources")).to_contain_text("[1]")
    assert page.evaluate(SCREEN_FAULTS) == []
    site.screenshot()
    assert browser_errors == []
