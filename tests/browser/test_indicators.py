"""The yearly figures in the browser: a member of staff enters one with a warning, explains it and submits it; a
reviewer approves it in the queue; the indicator's page then shows it approved."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.utils import translation
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

GRID_2021 = "/indicators/entry/?year=2021&park="  # the demo holds 2020 (sample) values; 2021 is open


def zh(text) -> str:
    with translation.override("zh-hans"):
        return str(translation.gettext(text) if isinstance(text, str) else text)


def log_out(site) -> None:
    page = site.page
    page.locator(".pa-topbar .pa-user-menu .dropdown-toggle").click()
    site.submit(page.locator('form[action="/accounts/logout/"] button[type=submit]'))


def test_staff_explains_an_unusual_value_and_a_reviewer_approves_it(site, browser_errors):
    from indicators.models import IndicatorValue

    page = site.page
    site.log_in("demo-staff")
    assert site.visit(GRID_2021).status == 200

    value = page.locator("#id_fiscal_revenue-value")
    expect(page.locator("#row-fiscal_revenue .pa-entry-previous")).to_have_text("7.68")
    value.fill("12")
    expect(page.locator("#row-fiscal_revenue td.pa-yoy")).to_have_text(re.compile(r"\+56\.25%"))  # as it is typed
    site.submit(page.locator("button[name=action][value=draft]"))

    # The warning is shown at the row and nothing is saved.
    warnings = page.locator("#explain-fiscal_revenue .pa-warnings")
    expect(warnings).to_be_visible()
    expect(warnings).to_contain_text("56.25")
    expect(page.locator(".pa-entry-refused")).to_be_visible()
    assert not IndicatorValue.objects.filter(indicator__code="fiscal_revenue", year=2021).exists()
    expect(value).to_have_value("12")

    explanation = "两家企业投产，税收大幅增加"
    page.locator("#id_fiscal_revenue-explanation").fill(explanation)
    site.submit(page.locator("button[name=action][value=submit]"))
    expect(page.locator(".alert-success")).to_be_visible()
    saved = IndicatorValue.objects.get(indicator__code="fiscal_revenue", year=2021, park=None)
    assert (saved.value, saved.status, saved.explanation) == (Decimal(12), "submitted", explanation)
    assert saved.entered_by.username == "demo-staff"

    # demo-admin holds the reviewers' role and did not enter the value: they may approve it.
    log_out(site)
    site.log_in("demo-admin")
    site.visit("/indicators/")
    expect(page.locator(".pa-review-count")).to_have_text("1")
    site.visit("/indicators/review/")
    item = page.locator(f"#value-{saved.pk}")
    expect(item).to_contain_text(explanation)
    expect(item.locator(".pa-warnings")).to_contain_text("56.25")
    site.submit(item.locator("button[name=decision][value=approve]"))
    expect(page.locator(".alert-success")).to_be_visible()
    expect(page.locator(".pa-queue-empty")).to_be_visible()
    saved.refresh_from_db()
    assert (saved.status, saved.approved_by.username) == ("approved", "demo-admin")

    site.visit("/indicators/fiscal_revenue/")
    row = page.locator("table.pa-series tr.pa-year-2021")
    expect(row).to_contain_text("12亿元")
    expect(row).to_contain_text("+56.25%")
    expect(row.locator(".pa-status-approved")).to_have_text(zh("Approved"))
    expect(page.locator("#series-chart.js-plotly-plot")).to_be_visible()
    assert browser_errors == []
