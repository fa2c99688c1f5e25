"""The browsable API, for people: the API reads JSON only, so its page offers the raw JSON form (its HTML form,
which posted form data, is no longer shown), and that form creates and updates records from the browser."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_an_administrator_creates_and_updates_a_cluster_with_the_browsable_apis_json_form(site, page, browser_errors):
    from parks.models import IndustryCluster

    site.log_in("demo-admin")
    page.goto("/api/clusters/")
    form = page.locator("#post-generic-content-form")
    expect(form).to_be_visible()
    assert page.locator("#post-object-form").count() == 0  # the HTML form would post form data: not offered
    assert form.locator("select[name=_content_type] option").all_inner_texts() == ["application/json"]
    form.locator("textarea[name=_content]").fill(json.dumps({"code": "WEB", "name": "网页产业集群"}))
    form.locator("button", has_text="POST").click()
    expect(page.locator(".response-info")).to_contain_text("201 Created")
    cluster = IndustryCluster.objects.get(code="WEB")
    assert cluster.name == "网页产业集群" and cluster.version == 1

    page.goto(f"/api/clusters/{cluster.code}/")
    form = page.locator("#put-generic-content-form")
    form.locator("textarea[name=_content]").fill(json.dumps({"code": "WEB", "name": "网页集群", "version": 1}))
    # The page already shows the GET's "200 OK": wait for the PUT's own answer.
    with page.expect_response(lambda answer: answer.request.method == "PUT") as put:
        form.locator("button", has_text="PUT").click()
    assert put.value.status == 200
    cluster.refresh_from_db()
    assert cluster.name == "网页集群" and cluster.version == 2
    # The page's own inline styles break the CSP (console errors, the page works); no script of it fails.
    assert [error for error in browser_errors if "uncaught exception" in error] == [], browser_errors
