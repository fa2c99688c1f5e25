"""What people do in the browser: sign in, switch language, add a park, look without editing, and see no errors."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

CHINESE = re.compile(r"[\u4e00-\u9fff]")
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
NAV_LINKS = "nav.pa-topbar .navbar-nav .nav-link"
PROJECTS_URL = "/projects/"
PARKS_URL = "/enterprises/parks/"


def assert_chinese(text: str) -> None:
    """Chinese text: it has Chinese characters and no English words left untranslated."""
    text = text.strip()
    assert CHINESE.search(text), f"not Chinese: {text!r}"
    assert not LATIN_WORD.search(text), f"English left in the Chinese text: {text!r}"


def test_user_logs_in_and_sees_the_home_page(site, browser_errors):
    page = site.page
    site.log_in("demo-staff")

    expect(page).to_have_url(re.compile(r"^https?://[^/]+/$"))
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    # The home page is the dashboard: the zone's name, then the year at a glance.
    expect(page.locator("main h1")).to_contain_text("怀化高新区")
    expect(page.locator("main h1")).to_contain_text("年概况")
    nav = page.locator(NAV_LINKS)
    expect(nav.first).to_be_visible()
    expect(page.locator(f"{NAV_LINKS}[href='{PROJECTS_URL}']")).to_have_count(1)
    labels = nav.all_inner_texts()
    for label in labels:
        assert_chinese(label)
    assert browser_errors == []


def test_wrong_password_shows_a_chinese_error(site, browser_errors):
    page = site.page
    site.log_in("demo-staff", "not-the-password")

    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    error = page.locator("main .alert-danger")
    expect(error).to_be_visible()
    assert_chinese(error.inner_text())
    expect(page.locator("input[name=password]")).to_be_visible()
    assert browser_errors == []


def test_user_switches_to_english_and_back(site, browser_errors):
    page = site.page
    site.log_in("demo-staff")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")

    site.submit(page.get_by_role("button", name="English", exact=True))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator(f"{NAV_LINKS}[href='{PROJECTS_URL}']")).to_have_text("Projects")
    expect(page).to_have_url(re.compile(r"^https?://[^/]+/$"))

    site.submit(page.get_by_role("button", name="中文", exact=True))
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.get_by_role("button", name="English", exact=True)).to_be_visible()
    assert_chinese(page.locator(f"{NAV_LINKS}[href='{PROJECTS_URL}']").inner_text())
    assert browser_errors == []


def test_administrator_adds_a_park_through_the_form(site, browser_errors):
    from parks.models import Park

    page = site.page
    parks_before = Park.objects.count()
    site.log_in("demo-admin")
    site.visit(f"{PARKS_URL}add/")

    page.locator("#id_code").fill("bad code!")
    page.locator("#id_name").fill("测试产业园")
    page.locator("#id_name_en").fill("Test Industrial Park")
    page.locator("#id_kind").select_option("specialised")
    page.locator("#id_parent").select_option(label="高新区本部(核心区)")
    site.submit(page.locator("main form.pa-form button[type=submit]"))

    expect(page).to_have_url(re.compile(rf"{PARKS_URL}add/$"))
    code_error = page.locator("#id_code ~ .invalid-feedback")
    expect(code_error).to_be_visible()
    expect(code_error).not_to_be_empty()
    expect(page.locator("#id_code")).to_have_class(re.compile(r"\bis-invalid\b"))
    expect(page.locator("#id_name")).to_have_value("测试产业园")
    assert Park.objects.count() == parks_before

    page.locator("#id_code").fill("test-park")
    site.submit(page.locator("main form.pa-form button[type=submit]"))

    park = Park.objects.get(code="test-park")
    expect(page).to_have_url(re.compile(rf"{PARKS_URL}{park.pk}/$"))
    expect(page.locator("main h1")).to_have_text("测试产业园")
    history = page.locator("section[aria-labelledby=history-heading] table.pa-history tbody tr")
    expect(history).to_have_count(1)
    expect(history.first).to_contain_text("演示管理员")  # the admin's full name
    expect(history.first.locator(".badge.text-bg-success")).to_be_visible()  # a creation
    assert park.history.get().history_user.username == "demo-admin"
    assert Park.objects.count() == parks_before + 1
    assert browser_errors == []


def test_official_sees_no_edit_buttons(site, browser_errors):
    from parks.models import Park

    page = site.page
    site.log_in("demo-official")

    site.visit(PARKS_URL)
    expect(page.locator("table.pa-list tbody tr").first).to_be_visible()
    expect(page.locator(f"a[href='{PARKS_URL}add/']")).to_have_count(0)
    expect(page.get_by_role("link", name=re.compile(r"新增|Add"))).to_have_count(0)

    park = Park.objects.get(code="core")
    site.visit(f"{PARKS_URL}{park.pk}/")
    expect(page.locator("main h1")).to_have_text(park.name)
    expect(page.locator("a[href$='/edit/'], a[href$='/delete/']")).to_have_count(0)
    expect(page.locator("main .bi-pencil, main .bi-trash")).to_have_count(0)

    response = site.visit(f"{PARKS_URL}add/")
    assert response.status == 403
    expect(page.locator("main")).to_contain_text("403")
    expect(page.locator("#id_code")).to_have_count(0)
    # Chromium logs the refused page itself ("Failed to load resource: ... status of 403"); nothing else may appear.
    assert [error for error in browser_errors if "the server responded with a status of 403" not in error] == []


def test_pages_render_without_console_errors(site, browser_errors):
    page = site.page
    site.log_in("demo-admin")

    errors_by_page = {}
    for path in ("/", PARKS_URL, "/enterprises/clusters/", "/history/", "/api/docs/"):
        response = site.visit(path)
        assert response.status == 200, f"{path} answered {response.status}"
        if path == "/api/docs/":
            expect(page.locator(".swagger-ui .info .title")).to_be_visible()
            site.screenshot()
        else:
            expect(page.locator("main h1")).to_be_visible()
        errors_by_page[path] = browser_errors[:]
        browser_errors.clear()

    problems = [f"{path}: {error}" for path, errors in errors_by_page.items() for error in errors]
    assert not problems, "errors in the browser console:\n" + "\n".join(problems)
