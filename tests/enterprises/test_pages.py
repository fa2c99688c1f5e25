"""The pages of an enterprise's other records — qualifications, R&D platforms, yearly figures, incubators,
incubations and problems — with their rules, the problem life cycle (销号), the enterprise page and My work."""

import csv
import datetime
import io
import json
import re
from decimal import Decimal

import openpyxl
import pytest
from django.utils import timezone, translation
from django.utils.html import escape

from enterprises.choices import PROBLEM_TIME_LIMIT_DAYS, ProblemStatus, QualificationKind
from enterprises.models import (
    Enterprise,
    EnterpriseYear,
    Incubation,
    Incubator,
    Qualification,
    ResearchPlatform,
    ServiceRequest,
)
from parks.models import IndustryCluster
from tests.factories import (
    EnterpriseFactory,
    EnterpriseYearFactory,
    IncubationFactory,
    IncubatorFactory,
    IndustryClusterFactory,
    QualificationFactory,
    ResearchPlatformFactory,
    ServiceRequestFactory,
    UserFactory,
)
from tests.harness import EVERY_ROLE, Access, Page, check_access, count_queries, make_user, matrix, page_accesses

pytestmark = pytest.mark.django_db

EDITORS = frozenset({"administrator", "enterprise"})
PROBLEMS = "/enterprises/service-requests/"
HOSTILE = "<img src=x onerror=alert(1)>"


def today() -> datetime.date:
    return timezone.localdate()


def days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


PAGES = [
    Page(
        "qualification",
        "/enterprises/qualifications/",
        Qualification,
        QualificationFactory,
        lambda: {
            "enterprise": EnterpriseFactory().pk,
            "kind": "tech_sme",
            "certificate_no": "2023-001",
            "issued_on": "2023-05-01",
            "expires_on": "2026-04-30",
        },
        {"certificate_no": "2023-002"},
    ),
    Page(
        "platform",
        "/enterprises/platforms/",
        ResearchPlatform,
        ResearchPlatformFactory,
        lambda: {
            "enterprise": EnterpriseFactory().pk,
            "name": "工程研究中心",
            "kind": "engineering_center",
            "level": "national",
        },
        {"level": "provincial"},
    ),
    Page(
        "yearly figures",
        "/enterprises/years/",
        EnterpriseYear,
        EnterpriseYearFactory,
        lambda: {"enterprise": EnterpriseFactory().pk, "year": 2023, "revenue": "1234.50", "employees": 80},
        {"tax": "60.00"},
    ),
    Page(
        "incubator",
        "/enterprises/incubators/",
        Incubator,
        IncubatorFactory,
        lambda: {"name": "新孵化器", "level": "provincial"},
        {"operator": "某运营公司"},
    ),
    Page(
        "incubation",
        "/enterprises/incubations/",
        Incubation,
        IncubationFactory,
        lambda: {
            "enterprise": EnterpriseFactory().pk,
            "incubator": IncubatorFactory().pk,
            "entered_on": "2023-03-01",
            "status": "incubating",
        },
        {"area_m2": "120.00"},
    ),
    Page(
        "problem",
        PROBLEMS,
        ServiceRequest,
        ServiceRequestFactory,
        lambda: {
            "enterprise": EnterpriseFactory().pk,
            "title": "用地指标",
            "category": "land",
            "raised_on": "2024-06-01",
        },
        {"title": "用地指标不足"},
    ),
]
PAGE_IDS = [page.name for page in PAGES]


def problems_state():
    return sorted(ServiceRequest.objects.values_list("pk", "status", "version"))


OTHER_ACCESS = [
    Access(
        "problem status move",
        lambda: f"{PROBLEMS}{ServiceRequestFactory().pk}/status/",
        EDITORS,
        method="post",
        data=lambda: {"status": "in_progress", "version": 1},
        state=problems_state,
    ),
    Access("my work", lambda: "/my-work/", EVERY_ROLE),
]


@pytest.mark.parametrize(
    ("access", "role"), matrix(*[access for page in PAGES for access in page_accesses(page, EDITORS)], *OTHER_ACCESS)
)
def test_role_matrix(client, access, role):
    check_access(client, access, role)


# --- helpers -------------------------------------------------------------------------------------------------


def in_chinese(message) -> str:
    """A message as the zh-hans pages show it (the English text where the catalogue has no translation yet)."""
    with translation.override("zh-hans"):
        return str(message)


def constraint_message(model, name: str) -> str:
    constraint = next(c for c in model._meta.constraints if c.name == name)
    return in_chinese(constraint.violation_error_message)


def all_errors(form) -> list[str]:
    return [str(message) for messages in form.errors.values() for message in messages]


def shows(response, message: str) -> bool:
    return escape(message) in response.content.decode()


def csv_rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))


def column(response, index: int = 0) -> list:
    return [row[index].value for row in response.context["rows"]]


def row_classes(html: str, marker: str) -> str:
    """The class attribute of the table row holding `marker`."""
    at = html.index(marker)
    tag = html[html.rindex("<tr", 0, at) : at]
    found = re.match(r"<tr[^>]*class=\"([^\"]*)\"", tag)
    return found.group(1) if found else ""


def name_of(user) -> str:
    return user.get_full_name() or user.get_username()


# --- saving through the forms: history, optimistic locking --------------------------------------------------


@pytest.mark.parametrize("page", PAGES, ids=PAGE_IDS)
def test_form_saves_records_the_editor_in_history_and_refuses_a_stale_edit(client, page):
    editor = make_user("enterprise")
    client.force_login(editor)
    data = page.form()
    created = client.post(f"{page.path}add/", data)
    assert created.status_code == 302, created.context["form"].errors
    record = page.model.objects.get()
    edit_url = f"{page.path}{record.pk}/edit/"

    first = client.post(edit_url, {**data, **page.change, "version": 1})
    assert first.status_code == 302, first.context["form"].errors
    stale = client.post(edit_url, {**data, "version": 1})
    assert stale.status_code == 409
    assert name_of(editor) in stale.content.decode()
    record.refresh_from_db()
    assert record.version == 2
    for name, value in page.change.items():
        assert str(getattr(record, name)) == value

    detail = client.get(record.get_absolute_url())
    history = detail.context["history"]
    assert [(entry.change_type, entry.user) for entry in history] == [("~", editor), ("+", editor)]
    assert set(page.change) <= {change.field for change in history[0].changes}
    assert name_of(editor) in detail.content.decode()


def test_add_form_opened_from_an_enterprise_starts_with_that_enterprise(admin_client):
    enterprise = EnterpriseFactory()
    response = admin_client.get(f"/enterprises/qualifications/add/?enterprise={enterprise.pk}")
    assert response.status_code == 200
    assert str(response.context["form"]["enterprise"].value()) == str(enterprise.pk)


# --- rules, through the forms ---------------------------------------------------------------------------------


def test_qualification_cannot_expire_before_it_was_issued(admin_client):
    response = admin_client.post(
        "/enterprises/qualifications/add/",
        {"enterprise": EnterpriseFactory().pk, "kind": "hitech", "issued_on": "2023-05-01", "expires_on": "2023-04-30"},
    )
    assert response.status_code == 200
    message = constraint_message(Qualification, "qualification_expires_after_issue")
    assert message in all_errors(response.context["form"])
    assert shows(response, message)
    assert not Qualification.objects.exists()


def incubation_form(enterprise, **overrides) -> dict:
    return {
        "enterprise": enterprise.pk,
        "incubator": IncubatorFactory().pk,
        "entered_on": "2020-03-01",
        "status": "incubating",
        **overrides,
    }


def test_an_enterprise_cannot_incubate_twice_at_once(admin_client):
    enterprise = EnterpriseFactory()
    IncubationFactory(enterprise=enterprise, status="incubating")
    response = admin_client.post("/enterprises/incubations/add/", incubation_form(enterprise, entered_on="2021-01-01"))
    assert response.status_code == 200
    message = constraint_message(Incubation, "incubation_one_open_per_enterprise")
    assert message in all_errors(response.context["form"])
    assert shows(response, message)
    assert Incubation.objects.count() == 1


def test_an_enterprise_that_graduated_may_incubate_again(admin_client):
    enterprise = EnterpriseFactory()
    IncubationFactory(enterprise=enterprise, status="graduated", left_on=datetime.date(2022, 6, 30))
    response = admin_client.post("/enterprises/incubations/add/", incubation_form(enterprise, entered_on="2023-01-01"))
    assert response.status_code == 302, response.context["form"].errors
    assert Incubation.objects.filter(enterprise=enterprise).count() == 2


def test_an_incubation_cannot_end_before_it_began(admin_client):
    enterprise = EnterpriseFactory()
    response = admin_client.post(
        "/enterprises/incubations/add/",
        incubation_form(enterprise, status="graduated", entered_on="2020-03-01", left_on="2020-02-01"),
    )
    assert response.status_code == 200
    message = constraint_message(Incubation, "incubation_left_after_entered")
    assert message in all_errors(response.context["form"])
    assert shows(response, message)
    assert not Incubation.objects.exists()


@pytest.mark.parametrize(
    ("status", "left_on", "message"),
    [
        ("graduated", "", "Give the day it graduated or left."),
        ("exited", "", "Give the day it graduated or left."),
        ("incubating", "2021-06-30", "An enterprise still incubating has no leaving date."),
    ],
)
def test_leaving_date_goes_with_the_incubation_status(admin_client, status, left_on, message):
    response = admin_client.post(
        "/enterprises/incubations/add/", incubation_form(EnterpriseFactory(), status=status, left_on=left_on)
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "left_on" in errors
    expected = in_chinese(translation.gettext_lazy(message))
    assert expected in errors["left_on"]
    assert shows(response, expected)
    assert not Incubation.objects.exists()


def test_an_enterprise_has_one_set_of_figures_per_year(admin_client):
    enterprise = EnterpriseFactory()
    EnterpriseYearFactory(enterprise=enterprise, year=2019, revenue=Decimal("1000"))
    response = admin_client.post(
        "/enterprises/years/add/", {"enterprise": enterprise.pk, "year": 2019, "revenue": "2000"}
    )
    assert response.status_code == 200
    message = constraint_message(EnterpriseYear, "enterprise_year_unique")
    assert message in all_errors(response.context["form"])
    assert shows(response, message)
    assert list(EnterpriseYear.objects.values_list("year", "revenue")) == [(2019, Decimal("1000.00"))]


@pytest.mark.parametrize(
    ("name", "value", "chinese"),
    [
        ("revenue", "-1", "确保该值大于或等于0"),
        ("tax", "-0.01", "确保该值大于或等于0"),
        ("year", "1989", "确保该值大于或等于1990"),
        ("year", "2101", "确保该值小于或等于2100"),
    ],
)
def test_yearly_figures_refuse_negative_money_and_years_out_of_range_in_chinese(admin_client, name, value, chinese):
    data = {"enterprise": EnterpriseFactory().pk, "year": 2019, "revenue": "100", name: value}
    response = admin_client.post("/enterprises/years/add/", data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert any(chinese in message for message in errors.get(name, [])), errors
    assert chinese in response.content.decode()
    assert not EnterpriseYear.objects.exists()


def problem_form(**overrides) -> dict:
    return {
        "enterprise": EnterpriseFactory().pk,
        "title": "融资需求",
        "category": "financing",
        "raised_on": "2024-06-01",
        **overrides,
    }


def test_a_problem_cannot_be_due_before_it_was_raised(admin_client):
    response = admin_client.post(f"{PROBLEMS}add/", problem_form(raised_on="2024-06-01", due_on="2024-05-31"))
    assert response.status_code == 200
    message = constraint_message(ServiceRequest, "service_request_due_after_raised")
    assert message in all_errors(response.context["form"])
    assert shows(response, message)
    assert not ServiceRequest.objects.exists()


@pytest.mark.parametrize("category", ["utilities", "approval", "financing", "land"])
def test_a_problem_left_without_a_due_date_gets_its_categorys_time_limit(admin_client, category):
    response = admin_client.post(f"{PROBLEMS}add/", problem_form(category=category, raised_on="2024-06-01", due_on=""))
    assert response.status_code == 302, response.context["form"].errors
    problem = ServiceRequest.objects.get()
    assert problem.due_on == datetime.date(2024, 6, 1) + days(PROBLEM_TIME_LIMIT_DAYS[category])


def test_a_due_date_given_is_kept(admin_client):
    response = admin_client.post(f"{PROBLEMS}add/", problem_form(category="land", due_on="2024-06-10"))
    assert response.status_code == 302, response.context["form"].errors
    assert ServiceRequest.objects.get().due_on == datetime.date(2024, 6, 10)


@pytest.mark.parametrize(
    ("url", "data", "field_name", "model", "constraint"),
    [
        (
            "/enterprises/qualifications/add/",
            lambda: {
                "enterprise": EnterpriseFactory().pk,
                "kind": "hitech",
                "issued_on": "2023-05-01",
                "expires_on": "2023-04-30",
            },
            "expires_on",
            Qualification,
            "qualification_expires_after_issue",
        ),
        (
            "/enterprises/incubations/add/",
            lambda: incubation_form(EnterpriseFactory(), status="graduated", left_on="2020-02-01"),
            "left_on",
            Incubation,
            "incubation_left_after_entered",
        ),
        (
            f"{PROBLEMS}add/",
            lambda: problem_form(raised_on="2024-06-01", due_on="2024-05-31"),
            "due_on",
            ServiceRequest,
            "service_request_due_after_raised",
        ),
    ],
    ids=["qualification-expires_on", "incubation-left_on", "problem-due_on"],
)
def test_a_date_order_message_sits_inline_at_its_field(admin_client, url, data, field_name, model, constraint):
    response = admin_client.post(url, data())
    assert response.status_code == 200
    assert constraint_message(model, constraint) in response.context["form"].errors.get(field_name, [])


def test_an_incubator_with_occupants_cannot_be_deleted(admin_client):
    stay = IncubationFactory()
    response = admin_client.post(f"/enterprises/incubators/{stay.incubator.pk}/delete/", follow=True)
    assert response.status_code == 200
    assert Incubator.objects.filter(pk=stay.incubator.pk).exists()
    assert str(stay) in response.content.decode()


# --- the problem life cycle -----------------------------------------------------------------------------------


def move(client, problem, status, version=None, **fields):
    problem.refresh_from_db()
    data = {"status": status, "version": problem.version if version is None else version}
    data.update(
        {name: value.isoformat() if isinstance(value, datetime.date) else value for name, value in fields.items()}
    )
    return client.post(f"{PROBLEMS}{problem.pk}/status/", data)


def snapshot(problem) -> dict:
    return ServiceRequest.objects.values(
        "status", "version", "resolution", "resolved_on", "confirmation", "satisfaction", "closed_on"
    ).get(pk=problem.pk)


def new_problem(**kwargs) -> ServiceRequest:
    kwargs.setdefault("raised_on", today() - days(10))
    kwargs.setdefault("due_on", today() + days(20))
    return ServiceRequestFactory(**kwargs)


def resolved_problem(**kwargs) -> ServiceRequest:
    return new_problem(status="resolved", resolution="已协调解决", resolved_on=today() - days(2), **kwargs)


def test_a_problem_goes_from_open_to_closed_and_each_step_is_in_its_history_with_who_took_it(client):
    admin, staff = make_user("administrator"), make_user("enterprise")
    problem = new_problem()

    client.force_login(admin)
    assert move(client, problem, "in_progress").status_code == 302
    client.force_login(staff)
    resolved = move(client, problem, "resolved", resolution="  协调银行完成贷款  ", resolved_on=today() - days(1))
    assert resolved.status_code == 302
    client.force_login(admin)
    closed = move(client, problem, "closed", confirmation="企业已确认", satisfaction="5", closed_on=today())
    assert closed.status_code == 302

    assert snapshot(problem) == {
        "status": "closed",
        "version": 4,
        "resolution": "协调银行完成贷款",
        "resolved_on": today() - days(1),
        "confirmation": "企业已确认",
        "satisfaction": 5,
        "closed_on": today(),
    }
    detail = client.get(problem.get_absolute_url())
    steps = [
        (entry.user, str(change.old), str(change.new))
        for entry in detail.context["history"]
        for change in entry.changes
        if change.field == "status"
    ]
    labels = {status: str(status.label) for status in ProblemStatus}
    assert steps == [
        (admin, labels[ProblemStatus.RESOLVED], labels[ProblemStatus.CLOSED]),
        (staff, labels[ProblemStatus.IN_PROGRESS], labels[ProblemStatus.RESOLVED]),
        (admin, labels[ProblemStatus.OPEN], labels[ProblemStatus.IN_PROGRESS]),
    ]
    html = detail.content.decode()
    assert name_of(admin) in html and name_of(staff) in html
    assert "pa-move" not in html  # a closed problem offers no further step


def test_an_open_problem_may_be_closed_out_directly(admin_client):
    problem = new_problem()
    response = move(admin_client, problem, "resolved", resolution="当场答复", resolved_on=today())
    assert response.status_code == 302
    assert snapshot(problem)["status"] == "resolved"


@pytest.mark.parametrize(
    ("fields", "bad_field", "message"),
    [
        (
            {"resolution": "", "resolved_on": "today"},
            "resolution",
            "Say how the problem was resolved before closing it out.",
        ),
        (
            {"resolution": "   ", "resolved_on": "today"},
            "resolution",
            "Say how the problem was resolved before closing it out.",
        ),
        ({"resolution": "已解决", "resolved_on": ""}, "resolved_on", "Give the day the problem was resolved."),
    ],
)
def test_closing_out_a_problem_needs_the_resolution_and_its_day(admin_client, fields, bad_field, message):
    problem = new_problem(status="in_progress")
    before = snapshot(problem)
    fields = {name: today() if value == "today" else value for name, value in fields.items()}
    response = move(admin_client, problem, "resolved", **fields)
    assert response.status_code == 400
    assert bad_field in response.context["move_form"].errors
    assert shows(response, in_chinese(translation.gettext_lazy(message)))
    assert snapshot(problem) == before


def test_a_problem_cannot_be_resolved_before_it_was_raised(admin_client):
    problem = new_problem(status="in_progress", raised_on=today() - days(5))
    before = snapshot(problem)
    response = move(admin_client, problem, "resolved", resolution="已解决", resolved_on=today() - days(6))
    assert response.status_code == 400
    assert shows(response, constraint_message(ServiceRequest, "service_request_resolved_after_raised"))
    assert snapshot(problem) == before


@pytest.mark.parametrize(
    ("fields", "bad_field"),
    [
        ({"satisfaction": "4", "closed_on": ""}, "closed_on"),
        ({"satisfaction": "6", "closed_on": "today"}, "satisfaction"),
        ({"satisfaction": "0", "closed_on": "today"}, "satisfaction"),
        ({"satisfaction": "很好", "closed_on": "today"}, "satisfaction"),
        ({"satisfaction": "4", "closed_on": "before resolved"}, "closed_on"),
    ],
)
def test_closing_needs_the_day_confirmed_and_a_satisfaction_of_1_to_5(admin_client, fields, bad_field):
    problem = resolved_problem()
    before = snapshot(problem)
    dates = {"today": today(), "before resolved": today() - days(3)}
    fields = {name: dates.get(value, value) for name, value in fields.items()}
    response = move(admin_client, problem, "closed", confirmation="企业确认", **fields)
    assert response.status_code == 400
    assert bad_field in response.context["move_form"].errors
    assert snapshot(problem) == before


@pytest.mark.parametrize("satisfaction", ["1", "5", ""])
def test_a_satisfaction_of_1_to_5_or_none_closes_the_problem(admin_client, satisfaction):
    problem = resolved_problem()
    response = move(admin_client, problem, "closed", satisfaction=satisfaction, closed_on=today())
    assert response.status_code == 302
    assert snapshot(problem)["satisfaction"] == (int(satisfaction) if satisfaction else None)


@pytest.mark.parametrize("status", ["open", "in_progress", "resolved", "closed"])
def test_a_closed_problem_cannot_move(admin_client, status):
    problem = resolved_problem(closed_on=today())
    ServiceRequest.objects.filter(pk=problem.pk).update(status="closed")
    before = snapshot(problem)
    response = move(
        admin_client, problem, status, resolution="再次处理", resolved_on=today(), closed_on=today(), satisfaction="3"
    )
    assert response.status_code == 400
    assert snapshot(problem) == before


@pytest.mark.parametrize(("start", "target"), [("open", "open"), ("in_progress", "open"), ("resolved", "open")])
def test_no_problem_goes_back_to_open(admin_client, start, target):
    problem = resolved_problem() if start == "resolved" else new_problem(status=start)
    before = snapshot(problem)
    assert move(admin_client, problem, target).status_code == 400
    assert snapshot(problem) == before


def test_a_resolved_problem_can_be_reopened_and_loses_its_resolved_day(admin_client, admin_user):
    problem = resolved_problem()
    response = move(admin_client, problem, "in_progress")
    assert response.status_code == 302
    problem.refresh_from_db()
    assert (problem.status, problem.resolved_on, problem.version) == ("in_progress", None, 2)
    again = move(admin_client, problem, "resolved", resolution="重新协调后解决", resolved_on=today())
    assert again.status_code == 302
    assert snapshot(problem)["resolved_on"] == today()
    reopened = admin_client.get(problem.get_absolute_url()).context["history"][1]
    assert reopened.user == admin_user
    assert {"status", "resolved_on"} <= {change.field for change in reopened.changes}


def test_a_move_from_a_stale_page_is_refused_with_who_moved_it_and_nothing_changes(client):
    first, second = make_user("administrator"), make_user("enterprise")
    problem = new_problem()
    client.force_login(first)
    assert move(client, problem, "in_progress", version=1).status_code == 302
    before = snapshot(problem)
    client.force_login(second)
    stale = move(client, problem, "resolved", version=1, resolution="已解决", resolved_on=today())
    assert stale.status_code == 409  # a conflict, as on every edit page
    assert stale.context["move_form"].non_field_errors()
    assert name_of(first) in stale.content.decode()
    assert snapshot(problem) == before == {**before, "status": "in_progress", "version": 2}


@pytest.mark.parametrize(
    ("status", "moves"),
    [
        ("open", {"in_progress", "resolved"}),
        ("in_progress", {"resolved"}),
        ("resolved", {"closed", "in_progress"}),
        ("closed", set()),
    ],
)
def test_problem_page_offers_only_the_allowed_moves_and_only_to_editors(client, status, moves):
    problem = resolved_problem(closed_on=today()) if status in ("resolved", "closed") else new_problem()
    ServiceRequest.objects.filter(pk=problem.pk).update(status=status)
    for role, expected in (("enterprise", moves), ("official", set())):
        client.force_login(make_user(role))
        html = client.get(problem.get_absolute_url()).content.decode()
        assert set(re.findall(r"pa-move-(\w+)", html)) == expected, role


# --- overdue --------------------------------------------------------------------------------------------------


def test_an_open_problem_due_yesterday_is_overdue_and_a_resolved_one_never_is(admin_client, admin_user):
    yesterday = today() - days(1)
    new_problem(title="昨天到期", raised_on=yesterday - days(10), due_on=yesterday, assignee=admin_user)
    new_problem(title="处理中逾期", raised_on=yesterday - days(10), due_on=yesterday, status="in_progress")
    resolved_problem(title="已销号", raised_on=yesterday - days(30), due_on=yesterday - days(20), assignee=admin_user)
    resolved_problem(title="已关闭", raised_on=yesterday - days(30), due_on=yesterday - days(20), closed_on=today())
    ServiceRequest.objects.filter(title="已关闭").update(status="closed")
    new_problem(title="今天到期", raised_on=yesterday, due_on=today(), assignee=admin_user)

    overdue = admin_client.get(PROBLEMS, {"overdue": "true", "sort": "title"})
    assert sorted(column(overdue)) == sorted(["昨天到期", "处理中逾期"])
    assert set(column(overdue, 4)) == {True}
    on_time = admin_client.get(PROBLEMS, {"overdue": "false"})
    assert sorted(column(on_time)) == sorted(["已销号", "已关闭", "今天到期"])
    assert set(column(on_time, 4)) == {False}

    for title, is_overdue in (("昨天到期", True), ("已销号", False), ("今天到期", False)):
        page = admin_client.get(ServiceRequest.objects.get(title=title).get_absolute_url())
        assert ("pa-overdue" in page.content.decode()) is is_overdue, title

    work = admin_client.get("/my-work/")
    assert [p.title for p in work.context["problems"]] == ["昨天到期", "今天到期"]
    html = work.content.decode()
    assert html.index("昨天到期") < html.index("今天到期")
    assert "table-danger" in row_classes(html, "昨天到期")
    assert "table-danger" not in row_classes(html, "今天到期")
    assert "已销号" not in html


# --- My work --------------------------------------------------------------------------------------------------


def test_my_work_shows_my_enterprises_my_open_problems_overdue_first_and_my_expiring_qualifications(client):
    me, colleague = make_user("enterprise"), make_user("investment")
    mine = EnterpriseFactory(name="我联系的企业", liaison=me)
    theirs = EnterpriseFactory(name="同事联系的企业", liaison=colleague)
    long_ago = today() - days(1000)
    QualificationFactory(
        enterprise=mine, kind="hitech", certificate_no="SOON", issued_on=long_ago, expires_on=today() + days(30)
    )
    QualificationFactory(
        enterprise=mine, kind="tech_sme", certificate_no="LATER", issued_on=long_ago, expires_on=today() + days(200)
    )
    QualificationFactory(
        enterprise=mine, kind="gazelle", certificate_no="GONE", issued_on=long_ago, expires_on=today() - days(1)
    )
    QualificationFactory(
        enterprise=theirs, kind="hitech", certificate_no="THEIRS", issued_on=long_ago, expires_on=today() + days(30)
    )
    new_problem(title="下月到期", enterprise=theirs, assignee=me, due_on=today() + days(30))
    new_problem(title="明天到期", enterprise=mine, assignee=me, due_on=today() + days(1))
    new_problem(title="逾期三天", enterprise=mine, assignee=me, due_on=today() - days(3), status="in_progress")
    new_problem(title="逾期一天", enterprise=mine, assignee=me, due_on=today() - days(1))
    resolved_problem(
        title="我已销号", enterprise=mine, assignee=me, due_on=today() - days(5), raised_on=today() - days(30)
    )
    new_problem(title="同事的问题", enterprise=mine, assignee=colleague)

    client.force_login(me)
    response = client.get("/my-work/")
    assert response.status_code == 200
    context = response.context
    assert [e.name for e in context["enterprises"]] == ["我联系的企业"]
    assert [p.title for p in context["problems"]] == ["逾期三天", "逾期一天", "明天到期", "下月到期"]
    assert [p.is_overdue for p in context["problems"]] == [True, True, False, False]
    assert [q.certificate_no for q in context["expiring"]] == ["SOON"]
    html = response.content.decode()
    hitech, tech_sme = (in_chinese(kind.label) for kind in (QualificationKind.HITECH, QualificationKind.TECH_SME))
    assert escape(f"我联系的企业 · {hitech}") in html
    assert escape(f"同事联系的企业 · {hitech}") not in html and escape(f"我联系的企业 · {tech_sme}") not in html
    positions = [html.index(title) for title in ("逾期三天", "逾期一天", "明天到期", "下月到期")]
    assert positions == sorted(positions)
    assert "我已销号" not in html and "同事的问题" not in html


def test_my_work_of_someone_with_nothing_assigned_is_empty_not_an_error(client):
    EnterpriseFactory(liaison=make_user("investment"))
    new_problem(assignee=make_user("investment"))
    client.force_login(make_user("official"))
    response = client.get("/my-work/")
    assert response.status_code == 200
    assert (response.context["enterprises"], response.context["problems"], response.context["expiring"]) == ([], [], [])


# --- the enterprise page --------------------------------------------------------------------------------------


def test_enterprise_page_highlights_qualifications_expiring_within_90_days(admin_client):
    enterprise = EnterpriseFactory()
    long_ago = today() - days(1000)
    for number, expires in (
        ("EDGE90", today() + days(90)),
        ("SOON", today() + days(10)),
        ("TODAY", today()),
        ("LATER91", today() + days(91)),
        ("PAST", today() - days(1)),
        ("OPEN", None),
    ):
        QualificationFactory(enterprise=enterprise, certificate_no=number, issued_on=long_ago, expires_on=expires)
    html = admin_client.get(enterprise.get_absolute_url()).content.decode()
    for number in ("EDGE90", "SOON", "TODAY"):
        assert "pa-expiring" in row_classes(html, number), number
    for number in ("LATER91", "PAST", "OPEN"):
        assert "pa-expiring" not in row_classes(html, number), number


def year_row(html: str, year: int) -> str:
    table = html[html.index("pa-years") :]
    start = table.index(f">{year}</a>")
    return table[start : table.index("</tr>", start)]


def chart_data(html: str, element_id: str) -> dict:
    tag = re.search(rf"<script[^>]*\bid=\"{element_id}\"[^>]*>(.*?)</script>", html, re.S)
    assert tag, f"no #{element_id}"
    assert 'type="application/json"' in tag.group(0)
    return json.loads(tag.group(1))


def test_enterprise_page_shows_year_on_year_growth_and_the_figures_chart_data(admin_client):
    enterprise = EnterpriseFactory()
    EnterpriseYearFactory(enterprise=enterprise, year=2022, revenue=Decimal("100"), industrial_output=Decimal("200"))
    EnterpriseYearFactory(enterprise=enterprise, year=2023, revenue=Decimal("110"), industrial_output=Decimal("180"))
    response = admin_client.get(enterprise.get_absolute_url())
    html = response.content.decode()
    latest = year_row(html, 2023)
    assert "+10.00%" in latest and "-10.00%" in latest
    assert "%" not in year_row(html, 2022)

    figure = chart_data(html, "years-chart-data")
    revenue, output = figure["data"]
    assert revenue["x"] == ["2022", "2023"] and output["x"] == ["2022", "2023"]
    assert [float(v) for v in revenue["y"]] == [100.0, 110.0]
    assert [float(v) for v in output["y"]] == [200.0, 180.0]


def test_enterprise_page_without_figures_has_no_chart(admin_client):
    enterprise = EnterpriseFactory()
    html = admin_client.get(enterprise.get_absolute_url()).content.decode()
    assert "years-chart-data" not in html


def hostile_enterprise(liaison=None) -> Enterprise:
    enterprise = EnterpriseFactory(
        name=HOSTILE, short_name=HOSTILE[:50], address=HOSTILE, notes=HOSTILE, liaison=liaison
    )
    QualificationFactory(
        enterprise=enterprise, certificate_no=HOSTILE, issued_on=today() - days(100), expires_on=today() + days(10)
    )
    ResearchPlatformFactory(enterprise=enterprise, name=HOSTILE)
    EnterpriseYearFactory(enterprise=enterprise, year=2022, source=HOSTILE)
    EnterpriseYearFactory(enterprise=enterprise, year=2023, revenue=Decimal("1200"))
    IncubationFactory(enterprise=enterprise, incubator=IncubatorFactory(name=HOSTILE))
    new_problem(enterprise=enterprise, title=HOSTILE, description=HOSTILE, assignee=liaison, due_on=today() - days(1))
    return enterprise


def assert_escaped(html: str) -> None:
    assert HOSTILE not in html
    assert "<img src=x" not in html
    assert escape(HOSTILE) in html


def test_a_hostile_enterprise_name_is_escaped_everywhere_on_its_page(admin_client):
    enterprise = hostile_enterprise()
    admin_client.post(
        f"/enterprises/{enterprise.pk}/edit/",
        {"name": HOSTILE + " 2", "status": "operating", "listing_stage": "none", "notes": HOSTILE, "version": 1},
    )
    response = admin_client.get(enterprise.get_absolute_url())
    assert response.status_code == 200
    assert_escaped(response.content.decode())


@pytest.mark.parametrize(
    "url",
    [
        "/my-work/",
        "/enterprises/qualifications/",
        "/enterprises/platforms/",
        "/enterprises/years/",
        "/enterprises/incubators/",
        "/enterprises/incubations/",
        PROBLEMS,
        "qualification",
        "platform",
        "year",
        "incubator",
        "incubation",
        "problem",
    ],
)
def test_a_hostile_enterprise_name_is_escaped_on_the_pages_of_its_records(client, url):
    me = make_user("enterprise")
    enterprise = hostile_enterprise(liaison=me)
    records = {
        "qualification": enterprise.qualifications.get(),
        "platform": enterprise.platforms.get(),
        "year": enterprise.years.get(year=2022),
        "incubator": Incubator.objects.get(name=HOSTILE),
        "incubation": enterprise.incubations.get(),
        "problem": enterprise.service_requests.get(),
    }
    if url in records:
        url = records[url].get_absolute_url()
    client.force_login(me)
    response = client.get(url)
    assert response.status_code == 200
    assert_escaped(response.content.decode())


def test_enterprise_page_query_count_does_not_grow_with_its_records(admin_client, admin_user):
    enterprise = EnterpriseFactory()

    def add(count: int, first_year: int) -> None:
        for n in range(count):
            QualificationFactory(enterprise=enterprise, issued_on=today() - days(100), expires_on=today() + days(n))
            ResearchPlatformFactory(enterprise=enterprise)
            EnterpriseYearFactory(enterprise=enterprise, year=first_year + n, revenue=Decimal(100 + n))
            new_problem(enterprise=enterprise, assignee=UserFactory(), due_on=today() - days(1) + days(n % 3))

    add(5, 2000)
    url = enterprise.get_absolute_url()
    admin_client.get(url)  # warm the session
    few = count_queries(admin_client, url)
    add(45, 2005)
    assert count_queries(admin_client, url) == few


# --- lists: query counts, exports -----------------------------------------------------------------------------


def make_problems(count: int) -> None:
    for _ in range(count):
        new_problem(assignee=UserFactory())


LIST_MAKERS = {
    "/enterprises/qualifications/": lambda n: QualificationFactory.create_batch(n),
    "/enterprises/platforms/": lambda n: ResearchPlatformFactory.create_batch(n),
    "/enterprises/years/": lambda n: EnterpriseYearFactory.create_batch(n),
    "/enterprises/incubators/": lambda n: IncubatorFactory.create_batch(n),
    "/enterprises/incubations/": lambda n: IncubationFactory.create_batch(n),
    PROBLEMS: make_problems,
}


@pytest.mark.parametrize("url", list(LIST_MAKERS))
def test_list_query_count_is_the_same_for_5_and_50_rows(admin_client, url):
    LIST_MAKERS[url](5)
    admin_client.get(url)  # warm the session
    few = count_queries(admin_client, url)
    LIST_MAKERS[url](45)
    response = admin_client.get(url)
    assert response.context["page_obj"].paginator.count == 50
    assert count_queries(admin_client, url) == few
    # session, user, permissions ×2, groups (user menu), count, page, the filters' choices
    assert few <= 12


def filtered_export_cases():
    def qualifications():
        QualificationFactory(enterprise=EnterpriseFactory(name="甲科技"), kind="tech_sme")
        QualificationFactory(enterprise=EnterpriseFactory(name="乙科技"), kind="hitech")
        return ["甲科技"]

    def platforms():
        ResearchPlatformFactory(name="国家级中心", level="national")
        ResearchPlatformFactory(name="省级中心", level="provincial")
        return ["国家级中心"]

    def incubators():
        IncubatorFactory(name="国家级孵化器", level="national")
        IncubatorFactory(name="市级孵化器", level="municipal")
        return ["国家级孵化器"]

    def incubations():
        IncubationFactory(
            enterprise=EnterpriseFactory(name="已毕业"), status="graduated", left_on=datetime.date(2023, 1, 1)
        )
        IncubationFactory(enterprise=EnterpriseFactory(name="在孵"))
        return ["已毕业"]

    def problems():
        new_problem(title="融资问题", category="financing")
        new_problem(title="用地问题", category="land")
        return ["用地问题"]

    return [
        pytest.param("/enterprises/qualifications/", {"kind": "tech_sme"}, qualifications, id="qualifications"),
        pytest.param("/enterprises/platforms/", {"level": "national"}, platforms, id="platforms"),
        pytest.param("/enterprises/incubators/", {"level": "national"}, incubators, id="incubators"),
        pytest.param("/enterprises/incubations/", {"status": "graduated"}, incubations, id="incubations"),
        pytest.param(PROBLEMS, {"category": "land"}, problems, id="problems"),
    ]


@pytest.mark.parametrize(("url", "params", "setup"), filtered_export_cases())
def test_csv_export_honours_the_lists_filter(admin_client, url, params, setup):
    expected = setup()
    assert column(admin_client.get(url, params)) == expected
    rows = csv_rows(admin_client.get(url, {**params, "export": "csv"}))
    assert [row[0] for row in rows[1:]] == expected


def test_yearly_figures_export_of_one_year_has_only_that_year(admin_client):
    first, second = EnterpriseFactory(name="甲公司"), EnterpriseFactory(name="乙公司")
    for enterprise in (first, second):
        for year in (2018, 2019, 2020):
            EnterpriseYearFactory(enterprise=enterprise, year=year)
    rows = csv_rows(admin_client.get("/enterprises/years/", {"year": "2019", "export": "csv"}))
    headers, data = rows[0], rows[1:]
    year_at = headers.index(str(in_chinese(EnterpriseYear._meta.get_field("year").verbose_name)))
    assert sorted((row[0], row[year_at]) for row in data) == [("乙公司", "2019"), ("甲公司", "2019")]


def test_overdue_problems_export_to_xlsx_only_the_overdue_ones(admin_client):
    new_problem(title="逾期未办", raised_on=today() - days(40), due_on=today() - days(1))
    new_problem(title="按期办理中", due_on=today() + days(5))
    resolved_problem(title="逾期已销号", raised_on=today() - days(40), due_on=today() - days(10))
    response = admin_client.get(PROBLEMS, {"overdue": "true", "export": "xlsx"})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert [row[0] for row in rows[1:]] == ["逾期未办"]
    due_at = rows[0].index(str(in_chinese(ServiceRequest._meta.get_field("due_on").verbose_name)))
    assert rows[1][due_at].date() == today() - days(1)


# --- the enterprise list's qualification filter ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("issued_on", "expires_on", "holds"),
    [
        (datetime.date(2018, 1, 1), datetime.date(2020, 12, 31), True),
        (datetime.date(2017, 1, 1), datetime.date(2019, 12, 31), True),
        (datetime.date(2019, 12, 31), None, True),
        (datetime.date(2016, 1, 1), datetime.date(2019, 12, 30), False),
        (datetime.date(2020, 1, 1), datetime.date(2022, 12, 31), False),
    ],
    ids=["valid", "expires-on-the-last-day", "issued-on-the-last-day-open-ended", "expired-before", "issued-after"],
)
def test_enterprise_list_finds_holders_of_a_qualification_valid_at_the_end_of_a_year(
    admin_client, issued_on, expires_on, holds
):
    holder = EnterpriseFactory(name="持证企业")
    QualificationFactory(enterprise=holder, kind="hitech", issued_on=issued_on, expires_on=expires_on)
    other_kind = EnterpriseFactory(name="其他资质企业")
    QualificationFactory(enterprise=other_kind, kind="tech_sme", issued_on=datetime.date(2018, 1, 1), expires_on=None)
    EnterpriseFactory(name="无证企业")
    response = admin_client.get("/enterprises/", {"qualification": "hitech", "qualified_in": "2019"})
    assert column(response) == (["持证企业"] if holds else [])
    export = csv_rows(
        admin_client.get("/enterprises/", {"qualification": "hitech", "qualified_in": "2019", "export": "csv"})
    )
    assert [row[0] for row in export[1:]] == (["持证企业"] if holds else [])


def test_an_enterprise_with_several_certificates_is_listed_once(admin_client):
    holder = EnterpriseFactory(name="多证企业")
    QualificationFactory(
        enterprise=holder, kind="hitech", issued_on=datetime.date(2016, 1, 1), expires_on=datetime.date(2018, 12, 31)
    )
    QualificationFactory(
        enterprise=holder, kind="hitech", issued_on=datetime.date(2019, 1, 1), expires_on=datetime.date(2021, 12, 31)
    )
    QualificationFactory(enterprise=holder, kind="hitech", issued_on=datetime.date(2019, 6, 1), expires_on=None)
    response = admin_client.get("/enterprises/", {"qualification": "hitech", "qualified_in": "2019"})
    assert column(response) == ["多证企业"]
    assert response.context["page_obj"].paginator.count == 1
    expired_then = admin_client.get("/enterprises/", {"qualification": "hitech", "qualified_in": "2015"})
    assert column(expired_then) == []


def test_the_problem_list_sorts_assignees_by_the_name_it_shows_and_exports_them_as_shown(admin_client):
    shown_last = UserFactory(username="a-officer", first_name="Yi", last_name="Zhao")
    shown_first = UserFactory(username="z-officer", first_name="Er", last_name="An")
    late = timezone.localdate() - datetime.timedelta(days=1)
    ServiceRequestFactory(title="早提的问题", assignee=shown_last, raised_on=late, due_on=late)
    ServiceRequestFactory(title="晚提的问题", assignee=shown_first, due_on=late + datetime.timedelta(days=30))
    rows = csv_rows(admin_client.get(PROBLEMS, {"sort": "assignee", "export": "csv"}))
    header = rows[0]
    names = [row[header.index("责任人")] for row in rows[1:]]
    overdue = [row[header.index("已逾期")] for row in rows[1:]]
    assert names == ["Er An", "Yi Zhao"]
    assert overdue == ["否", "是"]


# --- bad input on the forms of clusters, platforms and incubators ---------------------------------------------


def refused_at_their_fields(client, path: str, good: dict, bad_values: list[tuple[dict, str]]) -> None:
    """Each bad value, put into otherwise good form data, is refused at its field (the form shown again)."""
    for bad, field_name in bad_values:
        response = client.post(path, {**good, **bad})
        assert response.status_code == 200 and field_name in response.context["form"].errors, bad


def test_a_cluster_with_a_bad_code_colour_or_a_taken_name_is_refused_and_nothing_saved(admin_client):
    IndustryClusterFactory(code="EIT", name="电子信息")
    good = {"code": "NEM", "name": "新材料", "role": "main", "color": "#123456"}
    bad_values = [
        ({"code": "新 材料"}, "code"),
        ({"color": "red"}, "color"),
        ({"color": "#12345"}, "color"),
        ({"name": "电子信息"}, "name"),
        ({"code": "EIT"}, "code"),
        ({"role": "nonsense"}, "role"),
    ]
    refused_at_their_fields(admin_client, "/enterprises/clusters/add/", good, bad_values)
    assert list(IndustryCluster.objects.values_list("code", flat=True)) == ["EIT"]


def test_a_platform_without_its_kind_or_level_is_refused(admin_client):
    enterprise = EnterpriseFactory()
    good = {"enterprise": enterprise.pk, "name": "工程研究中心", "kind": "engineering_center", "level": "national"}
    bad_values = [
        ({"kind": ""}, "kind"),
        ({"level": "galactic"}, "level"),
        ({"name": ""}, "name"),
        ({"enterprise": "999999"}, "enterprise"),
        ({"approved_on": "去年"}, "approved_on"),
    ]
    refused_at_their_fields(admin_client, "/enterprises/platforms/add/", good, bad_values)
    assert not ResearchPlatform.objects.exists()


def test_an_incubator_with_a_negative_area_or_a_taken_name_is_refused(admin_client):
    IncubatorFactory(name="科技企业孵化器")
    good = {"name": "新孵化器", "level": "provincial", "area_m2": "1200"}
    bad_values = [
        ({"area_m2": "-1"}, "area_m2"),
        ({"area_m2": "很大"}, "area_m2"),
        ({"name": "科技企业孵化器"}, "name"),
        ({"level": ""}, "level"),
    ]
    refused_at_their_fields(admin_client, "/enterprises/incubators/add/", good, bad_values)
    assert list(Incubator.objects.values_list("name", flat=True)) == ["科技企业孵化器"]


def test_the_enterprise_page_offers_add_buttons_only_to_those_who_may_add(client):
    enterprise = EnterpriseFactory()
    soon = timezone.localdate() + datetime.timedelta(days=10)
    QualificationFactory(enterprise=enterprise, issued_on=datetime.date(2020, 1, 1), expires_on=soon)
    client.force_login(make_user("administrator"))
    html = client.get(f"/enterprises/{enterprise.pk}/").content.decode()
    adds = re.findall(r'href="(/[^"]+/add/\?enterprise=\d+)"', html)
    assert len(adds) == 6 and all(link.endswith(f"?enterprise={enterprise.pk}") for link in adds)
    assert "90天内到期" in html
    client.force_login(make_user("official"))
    html = client.get(f"/enterprises/{enterprise.pk}/").content.decode()
    assert not re.findall(r'href="(/[^"]+/add/\?enterprise=\d+)"', html)
    assert "projects-heading" in html  # officials read the linked projects
