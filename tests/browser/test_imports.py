"""Importing in the browser: staff upload an enterprises CSV, read the preview, confirm, and find the records."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

NAMES = ["怀化导入一号科技有限公司", "怀化导入二号科技有限公司", "怀化导入三号科技有限公司"]


def enterprises_csv() -> bytes:
    lines = ["企业名称,园区,产业集群,经营状态"]
    lines += [f"{name},core,EIT,在营" for name in NAMES]
    return ("\r\n".join(lines) + "\r\n").encode("utf-8-sig")


def test_staff_import_enterprises_from_a_csv(site, browser_errors):
    from enterprises.models import Enterprise
    from parkadmin.models import ImportRecord

    page = site.page
    before = Enterprise.objects.count()
    site.log_in("demo-staff")
    site.visit("/enterprises/")
    import_link = page.locator("a.pa-import-link")
    expect(import_link).to_have_attribute("href", "/imports/enterprises/")
    with page.expect_navigation():
        import_link.click()
    expect(page).to_have_url(re.compile(r"/imports/enterprises/$"))
    expect(page.locator("a[href='/imports/enterprises/template.xlsx']")).to_have_count(1)

    page.locator("input[name=file]").set_input_files(
        files=[{"name": "企业名单.csv", "mimeType": "text/csv", "buffer": enterprises_csv()}]
    )
    site.submit(page.locator("form.pa-import-upload button[type=submit]"))

    preview = page.locator("section.pa-import-preview")
    expect(preview).to_be_visible()
    expect(preview.locator(".pa-count-create")).to_contain_text("3")
    expect(preview.locator(".pa-count-reject")).to_contain_text("0")
    expect(preview.locator("table.pa-import-rows tbody tr")).to_have_count(3)
    for name in NAMES:
        expect(preview.locator("table.pa-import-rows")).to_contain_text(name)
    assert Enterprise.objects.count() == before  # a preview writes nothing

    site.submit(page.locator("form.pa-import-confirm button[type=submit]"))
    expect(page).to_have_url(re.compile(r"/enterprises/$"))
    expect(page.locator("main .alert-success")).to_contain_text("3")
    for name in NAMES:
        expect(page.locator("table.pa-list")).to_contain_text(name)
    assert Enterprise.objects.count() == before + 3
    assert {e.park.code for e in Enterprise.objects.filter(name__in=NAMES)} == {"core"}
    assert ImportRecord.objects.filter(dry_run=False, created=3, user__username="demo-staff").exists()
    assert browser_errors == []
