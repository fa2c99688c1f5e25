"""Investment staff move a project along the pipeline board, as the committee's weekly meeting does."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

FEED_MILL = "年产18万吨乳猪奶粉及高端生物饲料生产线项目"


def card(page, stage: str, project_id: int):
    return page.locator(f".pa-board-column[data-stage={stage}] article[data-project='{project_id}']")


def test_staff_move_a_project_along_the_board(site, browser_errors):
    from projects.models import Project

    page = site.page
    project = Project.objects.get(name=FEED_MILL)
    assert project.stage == "construction"
    site.log_in("demo-staff")
    site.visit("/projects/board/")
    expect(card(page, "construction", project.pk)).to_be_visible()
    site.submit(card(page, "construction", project.pk).locator("form.pa-card-move button[type=submit]"))
    assert "/projects/board/" in page.url
    expect(card(page, "production", project.pk)).to_be_visible()
    expect(card(page, "construction", project.pk)).to_have_count(0)
    project.refresh_from_db()
    assert project.stage == "production"
    assert project.stage_changes.filter(stage="production", superseded=False).count() == 1
    # …and on to full production, from the new column.
    site.submit(card(page, "production", project.pk).locator("form.pa-card-move button[type=submit]"))
    expect(card(page, "full_production", project.pk)).to_be_visible()
    assert browser_errors == []


def test_an_official_sees_the_board_without_move_buttons(site, browser_errors):
    page = site.page
    site.log_in("demo-official")
    site.visit("/projects/board/")
    expect(page.locator("article.pa-card").first).to_be_visible()
    expect(page.locator("form.pa-card-move")).to_have_count(0)
    assert browser_errors == []
