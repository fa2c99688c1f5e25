"""The top bar in the browser: it fits every width people use, in both languages, and its enterprise menu reaches
every record list the user may read."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

WIDTHS = [(1920, 1080), (1366, 768), (1280, 800), (390, 844)]
# The last thing on the bar, its right edge, and how far the page scrolls sideways.
MEASURE = """() => {
  const bar = document.querySelector('nav.pa-topbar');
  const menu = bar.querySelector('.pa-user-menu > button') || bar;
  return {
    page: document.documentElement.scrollWidth,
    bar: bar.scrollWidth,
    right: Math.ceil(menu.getBoundingClientRect().right),
    height: Math.round(bar.getBoundingClientRect().height),
  };
}"""
RECORD_LISTS = [
    "/enterprises/",
    "/enterprises/qualifications/",
    "/enterprises/platforms/",
    "/enterprises/years/",
    "/enterprises/incubators/",
    "/enterprises/incubations/",
    "/enterprises/service-requests/",
]


def switch_language(site, label: str) -> None:
    site.submit(site.page.get_by_role("button", name=label, exact=True))


@pytest.mark.parametrize("username", ["demo-admin", "demo-staff", "demo-official"])
def test_the_top_bar_fits_every_width_in_both_languages(site, browser_errors, username):
    page = site.page
    site.log_in(username)
    overflows = []
    for language, switch_to in (("zh-hans", "English"), ("en", "中文")):
        for width, height in WIDTHS:
            page.set_viewport_size({"width": width, "height": height})
            site.visit("/enterprises/")
            expect(page.locator("html")).to_have_attribute("lang", language)
            size = page.evaluate(MEASURE)
            # One row of links on a wide screen (not two), and nothing past the right edge.
            if max(size["page"], size["bar"], size["right"]) > width or (width >= 992 and size["height"] > 60):
                overflows.append((language, width, size))
        page.set_viewport_size({"width": 1920, "height": 1080})  # the language switch is folded away on a phone
        switch_language(site, switch_to)
    assert overflows == []
    assert browser_errors == []


@pytest.mark.parametrize("width", [1280, 390])
def test_the_enterprise_menu_reaches_every_record_list(site, browser_errors, width):
    page = site.page
    page.set_viewport_size({"width": width, "height": 800})
    site.log_in("demo-admin")
    for url in RECORD_LISTS:
        site.visit("/")
        if width < 992:
            page.locator("nav.pa-topbar .navbar-toggler").click()
        page.locator("nav.pa-topbar [data-pa-menu=enterprises]").click()
        link = page.locator(f"nav.pa-topbar .dropdown-menu a[href='{url}']")
        expect(link).to_be_visible()
        with page.expect_navigation():
            link.click()
        site.wait_for_charts()
        site.screenshot()
        assert page.url.endswith(url)
        menu = page.locator("nav.pa-topbar [data-pa-menu=enterprises]")
        expect(menu).to_have_class("nav-link dropdown-toggle active")
    assert browser_errors == []


def test_an_enterprise_is_picked_by_typing_part_of_its_name(site, browser_errors):
    from enterprises.models import Enterprise, Qualification

    page = site.page
    site.log_in("demo-admin")
    target = Enterprise.objects.order_by("-pk").first()
    site.visit("/enterprises/qualifications/add/")
    assert page.locator("select#id_enterprise option").count() == 1  # the page carries no list of enterprises
    page.locator("#id_enterprise-ts-control").press_sequentially(target.name[:4])
    option = page.locator(".ts-dropdown .option", has_text=target.name).first
    expect(option).to_be_visible()
    site.screenshot()
    option.click()
    expect(page.locator("select#id_enterprise")).to_have_value(str(target.pk))
    page.locator("#id_kind").select_option("hitech")
    page.locator("#id_certificate_no").fill("GR202400001")
    page.locator("#id_issued_on").fill("2024-01-01")
    page.locator("#id_expires_on").fill("2026-12-31")
    site.submit(page.locator("main form button[type=submit]"))
    saved = Qualification.objects.get(certificate_no="GR202400001")
    assert saved.enterprise == target
    expect(page.locator("[data-pa-parent]")).to_have_text(target.name)
    assert browser_errors == []
