"""What staff do with enterprises in the browser: register one, close out a problem, read its figures chart.

Texts are checked against the Chinese catalogue (what the zh-hans page must show, whatever is translated so far);
buttons are found by their form (`pa-move-<status>`) and their text is checked against the catalogue too.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import translation
from django.utils.text import capfirst
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

ENTERPRISES_URL = "/enterprises/"
PROBLEMS_URL = "/enterprises/service-requests/"
SAVE_BUTTON = "main form.pa-form button[type=submit]"
HISTORY_ROWS = "section[aria-labelledby=history-heading] table.pa-history tbody tr"
STATUS_BADGE = "#moves-heading .badge"


def zh(text) -> str:
    """`text` (a msgid or a lazy label) as the Chinese catalogue gives it."""
    with translation.override("zh-hans"):
        return str(translation.gettext(text) if isinstance(text, str) else text)


def field_value(page, label):
    """The value beside `label` in the record's field list (labels are shown capitalised)."""
    return (
        page.locator("dl.pa-fields dt")
        .filter(has_text=re.compile(rf"^{re.escape(capfirst(zh(label)))}$"))
        .locator("xpath=following-sibling::dd[1]")
    )


def move_button(page, status: str, msgid: str):
    """The submit button of the status-move form to `status`, after checking it reads as the catalogue says."""
    button = page.locator(f"form.pa-move.pa-move-{status} button[type=submit]")
    expect(button).to_have_count(1)
    expect(button).to_have_text(zh(msgid))
    return button


def choose_option_containing(select, text: str) -> None:
    """Pick the option whose label contains `text` (e.g. 水电气 in “Water, power, gas (水电气)” or its translation)."""
    option = select.locator("option", has_text=text)
    expect(option).to_have_count(1)
    select.select_option(option.get_attribute("value"))


def pick(page, field_id: str, name: str) -> None:
    """Choose `name` in a search-as-you-type picker: type it, then click the option the search offers."""
    page.locator(f"#{field_id}-ts-control").press_sequentially(name)
    option = page.locator(".ts-dropdown .option", has_text=name).first
    expect(option).to_be_visible()
    option.click()
    expect(page.locator(f"select#{field_id} option:checked")).to_have_text(re.compile(name))


def test_staff_creates_an_enterprise_fixing_a_bad_credit_code(site, browser_errors):
    from enterprises.models import Enterprise

    page = site.page
    name = "怀化测试科技有限公司"
    enterprises_before = Enterprise.objects.count()
    site.log_in("demo-staff")
    site.visit(f"{ENTERPRISES_URL}add/")

    page.locator("#id_name").fill(name)
    page.locator("#id_credit_code").fill("91350100M000100Y44")  # the check character should be 3
    page.locator("#id_cluster").select_option(label="电子信息")
    page.locator("#id_park").select_option(label="电子信息产业园")
    site.submit(page.locator(SAVE_BUTTON))

    expect(page).to_have_url(re.compile(rf"{ENTERPRISES_URL}add/$"))
    expect(page.locator("#id_credit_code")).to_have_class(re.compile(r"\bis-invalid\b"))
    error = page.locator("#id_credit_code ~ .invalid-feedback")
    expect(error).to_have_count(1)
    expect(error).to_be_visible()
    message = error.inner_text().strip()
    assert re.search(r"[\u4e00-\u9fff]", message), f"the error is not in Chinese: {message!r}"
    assert "校验" in message or re.search(r"(?<![0-9A-Za-z])3(?![0-9A-Za-z])", message), message
    expected = zh(
        "The check character (the last one) should be %(expected)s: please check the code for a typing error."
    ) % {"expected": "3"}
    assert message == expected
    expect(page.locator("main .alert-danger")).to_have_text(zh("Please correct the fields marked below."))
    expect(page.locator("#id_name")).to_have_value(name)
    assert not Enterprise.objects.filter(name=name).exists()
    assert Enterprise.objects.count() == enterprises_before

    page.locator("#id_credit_code").fill("91350100m000100y43")  # typed in lower case
    site.submit(page.locator(SAVE_BUTTON))

    enterprise = Enterprise.objects.get(name=name)
    assert enterprise.credit_code == "91350100M000100Y43"
    assert (enterprise.cluster.name, enterprise.park.name) == ("电子信息", "电子信息产业园")
    expect(page).to_have_url(re.compile(rf"{ENTERPRISES_URL}{enterprise.pk}/$"))
    expect(page.locator("main h1")).to_have_text(name)
    expect(field_value(page, "unified social credit code")).to_have_text("91350100M000100Y43")
    history = page.locator(HISTORY_ROWS)
    expect(history).to_have_count(1)
    expect(history.first).to_contain_text("演示工作人员")
    expect(history.first.locator(".badge.text-bg-success")).to_be_visible()  # a creation
    assert enterprise.history.get().history_user.username == "demo-staff"
    assert browser_errors == []


def test_staff_closes_out_a_problem(site, browser_errors):
    from enterprises.choices import ProblemStatus
    from enterprises.models import ServiceRequest

    page = site.page
    site.log_in("demo-staff")
    site.visit(f"{PROBLEMS_URL}add/")

    pick(page, "id_enterprise", "金升阳")
    page.locator("#id_title").fill("用电增容")
    choose_option_containing(page.locator("#id_category"), "水电气")
    expect(page.locator("#id_due_on")).to_have_value("")
    site.submit(page.locator(SAVE_BUTTON))

    problem = ServiceRequest.objects.get(title="用电增容")
    assert problem.enterprise.name == "金升阳"
    assert problem.due_on == problem.raised_on + datetime.timedelta(days=7)  # 水电气: answered within 7 days
    expect(page).to_have_url(re.compile(rf"{PROBLEMS_URL}{problem.pk}/$"))
    expect(page.locator("main h1")).to_have_text("用电增容")
    expect(page.locator(STATUS_BADGE)).to_have_text(zh(ProblemStatus.OPEN.label))
    expect(field_value(page, "raised on")).to_have_text(problem.raised_on.isoformat())
    expect(field_value(page, "due on")).to_have_text(problem.due_on.isoformat())

    site.submit(move_button(page, "in_progress", "Start working on it"))
    expect(page).to_have_url(re.compile(rf"{PROBLEMS_URL}{problem.pk}/$"))
    expect(page.locator(STATUS_BADGE)).to_have_text(zh(ProblemStatus.IN_PROGRESS.label))
    expect(page.locator("form.pa-move")).to_have_count(1)  # from here only the close-out

    close_out = page.locator("form.pa-move-resolved")
    close_out.locator("textarea[name=resolution]").fill("供电公司已完成变压器增容，企业已恢复满负荷生产。")
    expect(close_out.locator("input[name=resolved_on]")).not_to_have_value("")
    site.submit(move_button(page, "resolved", "Close out"))
    expect(page.locator(STATUS_BADGE)).to_have_text(zh(ProblemStatus.RESOLVED.label))
    expect(page.locator("form.pa-move-closed")).to_have_count(1)

    page.locator("form.pa-move-closed select[name=satisfaction]").select_option("5")
    site.submit(move_button(page, "closed", "Confirmed by the enterprise"))
    expect(page.locator(STATUS_BADGE)).to_have_text(zh(ProblemStatus.CLOSED.label))
    expect(page.locator("form.pa-move")).to_have_count(0)

    problem.refresh_from_db()
    assert problem.status == ProblemStatus.CLOSED
    assert problem.satisfaction == 5
    assert problem.resolution.startswith("供电公司")
    assert problem.resolved_on and problem.closed_on

    history = page.locator(HISTORY_ROWS)
    expect(history).to_have_count(4)  # raised, started, closed out, confirmed
    for row in history.all():
        expect(row).to_contain_text("演示工作人员")
    history_text = page.locator("section[aria-labelledby=history-heading]").inner_text()
    for status in (ProblemStatus.IN_PROGRESS, ProblemStatus.RESOLVED, ProblemStatus.CLOSED):
        assert zh(status.label) in history_text, f"the history does not show the move to {zh(status.label)}"
    assert [record.status for record in problem.history.order_by("history_date")] == [
        ProblemStatus.OPEN,
        ProblemStatus.IN_PROGRESS,
        ProblemStatus.RESOLVED,
        ProblemStatus.CLOSED,
    ]
    assert browser_errors == []


def test_enterprise_page_draws_its_figures_chart(site, browser_errors):
    from enterprises.models import Enterprise

    page = site.page
    enterprise = Enterprise.objects.get(name="金升阳")
    site.log_in("demo-admin")
    for year, revenue, output in ((2018, "1000", "900"), (2019, "1200", "1000")):
        site.visit("/enterprises/years/add/")
        pick(page, "id_enterprise", "金升阳")
        page.locator("#id_year").fill(str(year))
        page.locator("#id_revenue").fill(revenue)
        page.locator("#id_industrial_output").fill(output)
        site.submit(page.locator(SAVE_BUTTON))
        expect(page).to_have_url(re.compile(r"/enterprises/years/\d+/$"))
    assert sorted(enterprise.years.values_list("year", flat=True)) == [2018, 2019]

    site.visit(f"{ENTERPRISES_URL}{enterprise.pk}/")
    chart = page.locator("#years-chart")
    expect(chart).to_have_class(re.compile(r"\bjs-plotly-plot\b"))  # plotly drew into it
    expect(chart.locator("svg.main-svg").first).to_be_visible()
    expect(chart.locator(".barlayer .point")).to_have_count(2)  # revenue bars for 2018 and 2019
    site.screenshot()

    rows = page.locator("table.pa-years tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0).locator("th")).to_have_text("2019")  # newest first
    revenue_2019 = rows.nth(0).locator("td").nth(0)
    expect(revenue_2019).to_contain_text("1,200.00")
    expect(revenue_2019.locator(".text-success")).to_have_text("+20.00%")
    expect(rows.nth(0).locator("td").nth(1).locator(".text-success")).to_have_text("+11.11%")
    expect(rows.nth(1).locator("td").nth(0).locator(".small")).to_have_count(0)  # 2018: no year before it
    assert browser_errors == [], "errors in the browser console:\n" + "\n".join(browser_errors)


def test_official_reads_but_cannot_close_problems(site, browser_errors):
    from django.utils import timezone

    from enterprises.choices import ProblemCategory
    from enterprises.models import Enterprise, ServiceRequest

    problem = ServiceRequest.objects.create(
        enterprise=Enterprise.objects.get(name="金升阳"),
        title="用地指标",
        category=ProblemCategory.LAND,
        raised_on=timezone.localdate(),
    )
    page = site.page
    site.log_in("demo-official")

    response = site.visit(f"{PROBLEMS_URL}{problem.pk}/")
    assert response.status == 200
    expect(page.locator("main h1")).to_have_text("用地指标")
    expect(page.locator(STATUS_BADGE)).to_be_visible()
    expect(page.locator("form.pa-move")).to_have_count(0)
    expect(page.locator(f"form[action$='/{problem.pk}/status/']")).to_have_count(0)
    expect(page.locator("a[href$='/edit/'], a[href$='/delete/']")).to_have_count(0)
    expect(page.locator("main .bi-pencil, main .bi-trash")).to_have_count(0)

    response = site.visit("/my-work/")
    assert response.status == 200
    expect(page.locator("main h1")).to_have_text(zh("My work"))
    assert browser_errors == []
