"""Hostile names in a real browser: pages, charts and their hover text, the narrative and the API docs show them
as text. No script of theirs runs (no dialog ever opens) and the pages log no error (CSP violations included)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.security import hostile

pytestmark = pytest.mark.browser


@pytest.fixture
def hostile_site(site):
    """The demo with every name and text a payload (both kinds, taking turns over the fields)."""
    hostile.fill_gaps()
    hostile.poison(tuple(hostile.HTML_PAYLOADS.values()))
    dialogs: list[str] = []

    def on_dialog(dialog) -> None:
        dialogs.append(f"{dialog.type} on {site.page.url}: {dialog.message}")
        dialog.dismiss()

    site.page.on("dialog", on_dialog)
    site.dialogs = dialogs
    return site


def record_paths() -> list[str]:
    from enterprises.models import Enterprise, ServiceRequest
    from indicators.models import Indicator
    from projects.models import Project

    enterprise = Enterprise.objects.filter(years__isnull=False).order_by("pk").first()
    indicator = Indicator.objects.filter(values__isnull=False).order_by("pk").first()
    return [
        f"/enterprises/{enterprise.pk}/",
        f"/enterprises/service-requests/{ServiceRequest.objects.order_by('pk').first().pk}/",
        f"/projects/{Project.objects.order_by('pk').first().pk}/",
        f"/indicators/{indicator.code}/?include_pending=1",
    ]


def hover_every_chart(page) -> int:
    """Move the mouse over each chart's drawing area, so plotly draws its hover labels from the data."""
    hovered = 0
    for plot in page.locator(".js-plotly-plot").all():
        box = plot.bounding_box()
        if not box:
            continue
        plot.scroll_into_view_if_needed()
        box = plot.bounding_box()
        for fraction in (0.3, 0.5, 0.7):
            page.mouse.move(box["x"] + box["width"] * fraction, box["y"] + box["height"] * 0.5)
            page.wait_for_timeout(50)
        hovered += 1
    return hovered


def test_hostile_names_never_run_in_the_browser(hostile_site, browser_errors):
    site, page = hostile_site, hostile_site.page
    site.log_in("demo-admin")
    paths = [
        "/?year=2019",
        "/?year=2019&park=core",
        "/enterprises/",
        "/enterprises/parks/",
        "/enterprises/service-requests/",
        "/projects/",
        "/projects/board/",
        "/indicators/",
        "/indicators/values/",
        "/history/",
        "/my-work/",
        *record_paths(),
    ]
    charts = 0
    for path in paths:
        response = site.visit(path)
        assert response.status == 200, path
        charts += hover_every_chart(page)
    assert charts >= 8
    # The names are on the pages, as text.
    site.visit("/enterprises/")
    expect(page.locator("table.pa-list tbody")).to_contain_text(hostile.IMG)
    assert page.locator("img[src=x]").count() == 0
    assert site.dialogs == []
    assert browser_errors == []


def test_the_big_screen_and_the_api_docs_stay_inert(hostile_site, browser_errors):
    site, page = hostile_site, hostile_site.page
    page.set_viewport_size({"width": 1920, "height": 1080})
    site.log_in("demo-official")
    site.visit("/dashboard/screen/?year=2019")
    expect(page.locator(".js-plotly-plot").first).to_be_visible()
    hover_every_chart(page)
    site.visit("/api/docs/")
    expect(page.locator(".swagger-ui").first).to_be_visible()
    # Open an operation and try it: the answer, with hostile names, is shown as data.
    page.locator(".opblock-summary").filter(has_text="/api/enterprises/").first.click()
    page.get_by_role("button", name="Try it out").first.click()
    page.get_by_role("button", name="Execute").first.click()
    expect(page.locator(".responses-wrapper .highlight-code").first).to_contain_text("onerror", timeout=15_000)
    assert page.locator("img[src=x]").count() == 0
    assert site.dialogs == []
    assert browser_errors == []
