"""The investment project pages: list, pipeline board, project page with its stage log, money and notes, the forms,
and who may do what on them."""

import csv
import datetime
import io
import itertools
import re
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.html import escape

from projects.forms import AMOUNT_ERRORS
from projects.models import FundArrival, Project, ProjectUpdate, StageChange
from projects.services import project_create, project_move_stage
from tests.factories import EnterpriseFactory, IndustryClusterFactory, ParkFactory, UserFactory
from tests.harness import EVERY_ROLE, Access, check_access, count_queries, make_user, matrix

pytestmark = pytest.mark.django_db

WRITERS = frozenset({"administrator", "investment"})
PROJECTS = "/projects/"
BOARD = "/projects/board/"
ARRIVALS = "/projects/fund-arrivals/"
UPDATES = "/projects/updates/"
SCRIPT = "<script>alert(1)</script>"
FORMULA = "=1+1"
D = datetime.date
_names = itertools.count(1)


def today() -> datetime.date:
    return timezone.localdate()


def days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


def make_project(name: str | None = None, *, since=None, moves=(), **fields) -> Project:
    """A project opened through the service (its stage log starts on `since`), then moved by `moves`."""
    fields.setdefault("investor", "某投资方")
    project = project_create(
        project=Project(name=name or f"项目{next(_names)}", **fields), on=since or today() - days(30)
    )
    for stage, on in moves:
        project.refresh_from_db()
        project_move_stage(project=project, stage=stage, on=on, note="原因" if stage == "dropped" else "")
    project.refresh_from_db()
    return project


def arrival(project, amount, on=None, **fields) -> FundArrival:
    return FundArrival.objects.create(project=project, amount=Decimal(amount), arrived_on=on or today(), **fields)


def in_chinese(message) -> str:
    with translation.override("zh-hans"):
        return str(message)


def message(text: str) -> str:
    """A message of the code's English source as the Chinese pages show it."""
    return in_chinese(translation.gettext_lazy(text))


def shows(response, text: str) -> bool:
    return escape(text) in response.content.decode()


def name_of(user) -> str:
    return user.get_full_name() or user.get_username()


def column(response, index: int | str = 0) -> list:
    """The values of a column of the list page, by its place or its name."""
    if isinstance(index, str):
        index = [c.name for c in response.context["table"].columns].index(index)
    return [row[index].value for row in response.context["rows"]]


def csv_rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))


def xlsx_rows(response) -> list[tuple]:
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    return list(sheet.iter_rows(values_only=True))


# --- who may do what ------------------------------------------------------------------------------------------


def projects_state():
    return (
        sorted(Project.objects.values_list("pk", "stage", "version")),
        sorted(StageChange.objects.values_list("pk", "superseded")),
    )


def arrivals_state():
    return sorted(FundArrival.objects.values_list("pk", "amount", "version"))


def updates_state():
    return sorted(ProjectUpdate.objects.values_list("pk", "text", "version"))


def project_url(suffix: str = ""):
    return lambda: f"{PROJECTS}{make_project().pk}/{suffix}"


def arrival_url(suffix: str = ""):
    return lambda: f"{ARRIVALS}{arrival(make_project(), '100').pk}/{suffix}"


def update_url(suffix: str = ""):
    return lambda: (
        f"{UPDATES}{ProjectUpdate.objects.create(project=make_project(), on=today(), text='进展').pk}/{suffix}"
    )


def project_form(**overrides) -> dict:
    return {
        "name": "新材料项目",
        "investor": "某集团",
        "investor_origin": "other_province",
        "contract_investment": "12000",
        "stage": "negotiating",
        "stage_on": today().isoformat(),
        **overrides,
    }


ACCESS = [
    Access("project list", lambda: PROJECTS, EVERY_ROLE),
    Access("project export csv", lambda: f"{PROJECTS}?export=csv", EVERY_ROLE),
    Access("project export xlsx", lambda: f"{PROJECTS}?export=xlsx", EVERY_ROLE),
    Access("pipeline board", lambda: BOARD, EVERY_ROLE),
    Access("project detail", project_url(), EVERY_ROLE),
    Access("project add form", lambda: f"{PROJECTS}add/", WRITERS),
    Access(
        "project add",
        lambda: f"{PROJECTS}add/",
        WRITERS,
        method="post",
        data=project_form,
        state=projects_state,
        model=Project,
        action="create",
    ),
    Access("project edit form", project_url("edit/"), WRITERS),
    Access(
        "project edit",
        project_url("edit/"),
        WRITERS,
        method="post",
        data=lambda: {"name": "改名项目", "investor": "某集团", "version": 1},
        state=projects_state,
        model=Project,
        action="edit",
    ),
    Access(
        "project delete",
        project_url("delete/"),
        WRITERS,
        method="post",
        state=projects_state,
        model=Project,
        action="delete",
    ),
    Access(
        "stage move",
        project_url("stage/"),
        WRITERS,
        method="post",
        data=lambda: {"stage": "signed", "on": today().isoformat(), "version": 1},
        state=projects_state,
    ),
    Access("fund arrival list", lambda: ARRIVALS, EVERY_ROLE),
    Access("fund arrival export", lambda: f"{ARRIVALS}?export=csv", EVERY_ROLE),
    Access("fund arrival detail", arrival_url(), EVERY_ROLE),
    Access("fund arrival add form", lambda: f"{ARRIVALS}add/", WRITERS),
    Access(
        "fund arrival add",
        lambda: f"{ARRIVALS}add/",
        WRITERS,
        method="post",
        data=lambda: {"project": make_project().pk, "arrived_on": today().isoformat(), "amount": "500"},
        state=arrivals_state,
        model=FundArrival,
        action="create",
    ),
    Access(
        "fund arrival edit",
        arrival_url("edit/"),
        WRITERS,
        method="post",
        data=lambda: {
            "project": Project.objects.latest("pk").pk,
            "arrived_on": today().isoformat(),
            "amount": "250",
            "version": 1,
        },
        state=arrivals_state,
        model=FundArrival,
        action="edit",
    ),
    Access(
        "fund arrival delete",
        arrival_url("delete/"),
        WRITERS,
        method="post",
        state=arrivals_state,
        model=FundArrival,
        action="delete",
    ),
    Access("update list", lambda: UPDATES, EVERY_ROLE),
    Access("update detail", update_url(), EVERY_ROLE),
    Access(
        "update add",
        lambda: f"{UPDATES}add/",
        WRITERS,
        method="post",
        data=lambda: {"project": make_project().pk, "on": today().isoformat(), "text": "已完成土地摘牌"},
        state=updates_state,
        model=ProjectUpdate,
        action="create",
    ),
    Access(
        "update edit",
        update_url("edit/"),
        WRITERS,
        method="post",
        data=lambda: {
            "project": Project.objects.latest("pk").pk,
            "on": today().isoformat(),
            "text": "改",
            "version": 1,
        },
        state=updates_state,
        model=ProjectUpdate,
        action="edit",
    ),
    Access(
        "update delete",
        update_url("delete/"),
        WRITERS,
        method="post",
        state=updates_state,
        model=ProjectUpdate,
        action="delete",
    ),
]


@pytest.mark.parametrize(("access", "role"), matrix(*ACCESS))
def test_role_matrix(client, access, role):
    check_access(client, access, role)


def test_the_stage_move_answers_post_only(admin_client):
    project = make_project()
    assert admin_client.get(f"{PROJECTS}{project.pk}/stage/").status_code == 405


@pytest.mark.parametrize(("role", "sees_forms"), [("investment", True), ("official", False), ("enterprise", False)])
def test_only_writers_see_the_move_forms_and_add_buttons(client, role, sees_forms):
    project = make_project()
    client.force_login(make_user(role))
    detail = client.get(project.get_absolute_url()).content.decode()
    board = client.get(BOARD).content.decode()
    assert ("pa-stage-move" in detail) is sees_forms
    assert (f"{ARRIVALS}add/?project={project.pk}" in detail) is sees_forms
    assert (f"{UPDATES}add/?project={project.pk}" in detail) is sees_forms
    assert ("pa-card-move" in board) is sees_forms


# --- creating and editing -------------------------------------------------------------------------------------


def test_a_new_project_starts_its_stage_log_on_the_day_given(client):
    staff = make_user("investment")
    client.force_login(staff)
    response = client.post(
        f"{PROJECTS}add/", project_form(stage="signed", stage_on="2023-04-01", key_city="on", key_provincial="on")
    )
    assert response.status_code == 302, response.context["form"].errors
    project = Project.objects.get()
    assert response["Location"] == project.get_absolute_url()
    assert (project.stage, project.contract_investment, project.key_levels) == (
        "signed",
        Decimal("12000"),
        ["provincial", "city"],
    )
    assert list(project.stage_changes.values_list("stage", "on", "recorded_by")) == [
        ("signed", D(2023, 4, 1), staff.pk)
    ]
    history = client.get(project.get_absolute_url()).context["history"]
    assert [(entry.change_type, entry.user) for entry in history] == [("+", staff)]


def test_a_new_project_cannot_start_in_the_future(admin_client):
    tomorrow = (today() + days(1)).isoformat()
    response = admin_client.post(f"{PROJECTS}add/", project_form(stage_on=tomorrow))
    assert response.status_code == 200
    assert response.context["form"].errors["stage_on"] == [message("The date cannot be in the future.")]
    assert not Project.objects.exists() and not StageChange.objects.exists()


def test_the_add_form_groups_the_key_project_flags_and_starts_from_the_enterprise_it_was_opened_from(admin_client):
    enterprise = EnterpriseFactory()
    response = admin_client.get(f"{PROJECTS}add/?enterprise={enterprise.pk}")
    assert str(response.context["form"]["enterprise"].value()) == str(enterprise.pk)
    html = response.content.decode()
    fieldset = html[html.index("<fieldset") : html.index("</fieldset>")]
    for name in ("key_provincial_industry", "key_provincial_tech", "key_provincial", "key_city"):
        assert f'name="{name}"' in fieldset
    assert 'name="stage_on"' in html and f'value="{today().isoformat()}"' in html


def test_a_stale_project_edit_is_refused_with_who_saved_first(client):
    first, second = make_user("investment"), make_user("administrator")
    project = make_project(name="原名")
    client.force_login(first)
    edit = f"{PROJECTS}{project.pk}/edit/"
    assert client.post(edit, {"name": "甲改", "investor": "某集团", "version": 1}).status_code == 302
    client.force_login(second)
    stale = client.post(edit, {"name": "乙改", "investor": "某集团", "version": 1})
    assert stale.status_code == 409
    assert name_of(first) in stale.content.decode()
    project.refresh_from_db()
    assert (project.name, project.version) == ("甲改", 2)


def test_editing_a_project_never_touches_its_stage(admin_client):
    project = make_project(moves=[("signed", today() - days(5))])
    data = {"name": project.name, "investor": "某集团", "stage": "dropped", "version": project.version}
    assert admin_client.post(f"{PROJECTS}{project.pk}/edit/", data).status_code == 302
    project.refresh_from_db()
    assert project.stage == "signed"


# --- moving the stage through the page ------------------------------------------------------------------------


def move(client, project, stage, on=None, version=None, **fields):
    project.refresh_from_db()
    data = {"stage": stage, "on": (on or today()).isoformat(), "version": version or project.version, **fields}
    return client.post(f"{PROJECTS}{project.pk}/stage/", data)


def test_a_forward_move_is_logged_with_who_made_it_and_leads_back_to_the_project(client):
    staff = make_user("investment")
    client.force_login(staff)
    project = make_project(since=today() - days(20))
    response = move(client, project, "signed", on=today() - days(2))
    assert response.status_code == 302
    assert response["Location"] == project.get_absolute_url()
    project.refresh_from_db()
    assert (project.stage, project.version) == ("signed", 2)
    assert project.stage_changes.latest("pk").recorded_by == staff
    assert shows(client.get(response["Location"]), f"“{project.name}”")


def test_a_move_from_the_board_returns_to_the_board_with_its_filters(admin_client):
    project = make_project()
    back = f"{BOARD}?key_level=city"
    assert move(admin_client, project, "signed", next=back)["Location"] == back
    evil = move(admin_client, project, "construction", next="https://evil.example/")
    assert evil["Location"] == project.get_absolute_url()


def test_a_move_back_without_correction_is_refused_with_the_message_at_the_stage_field(admin_client):
    project = make_project(moves=[("signed", today() - days(10)), ("construction", today() - days(5))])
    before = projects_state()
    response = move(admin_client, project, "signed")
    assert response.status_code == 400
    expected = message("A project moves forward only. To undo a move, record it as a correction with a note.")
    assert response.context["move_form"].errors["stage"] == [expected]
    assert shows(response, expected)
    assert projects_state() == before


def test_a_correction_needs_a_note_and_then_strikes_through_the_moves_it_undoes(admin_client):
    project = make_project(moves=[("signed", today() - days(10)), ("construction", today() - days(5))])
    refused = move(admin_client, project, "signed", correction="on")
    assert refused.status_code == 400
    assert refused.context["move_form"].errors["note"] == [message("Say why the stage is being corrected.")]

    done = move(admin_client, project, "signed", on=today() - days(10), correction="on", note="误录开工")
    assert done.status_code == 302
    project.refresh_from_db()
    assert project.stage == "signed"
    html = admin_client.get(project.get_absolute_url()).content.decode()
    undone = re.search(r'<tr class="pa-superseded[^"]*">(.*?)</tr>', html, re.S)
    assert undone and "<del>" in undone.group(1)
    assert "pa-correction" in html and "误录开工" in html


def test_a_move_dated_before_the_current_stage_is_refused_at_the_date_field(admin_client):
    project = make_project(moves=[("signed", today() - days(5))])
    before = projects_state()
    response = move(admin_client, project, "construction", on=today() - days(6))
    assert response.status_code == 400
    assert "on" in response.context["move_form"].errors
    assert projects_state() == before


def test_dropping_a_project_needs_the_reason(admin_client):
    project = make_project()
    response = move(admin_client, project, "dropped")
    assert response.status_code == 400
    assert response.context["move_form"].errors["note"] == [message("Give the reason the project was dropped.")]
    assert move(admin_client, project, "dropped", note="投资方资金链断裂").status_code == 302


def test_a_move_from_a_stale_page_is_refused_with_409_and_who_moved_it(client):
    first, second = make_user("investment"), make_user("administrator")
    project = make_project()
    client.force_login(first)
    assert move(client, project, "signed", version=1).status_code == 302
    before = projects_state()
    client.force_login(second)
    for stage in ("construction", "signed"):  # even the move the other person already made
        stale = move(client, project, stage, version=1)
        assert stale.status_code == 409
        assert stale.context["move_form"].non_field_errors()
        assert name_of(first) in stale.content.decode()
    assert projects_state() == before


# --- money and notes ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "error"),
    [
        ("-1", "An amount that arrived must be more than zero."),
        ("0", "An amount that arrived must be more than zero."),
        ("0.00", "An amount that arrived must be more than zero."),
        (str(10**15), AMOUNT_ERRORS["max_whole_digits"]),
        ("abc", AMOUNT_ERRORS["invalid"]),
        ("1.234", AMOUNT_ERRORS["max_decimal_places"]),
    ],
)
def test_a_fund_arrival_that_is_not_a_sensible_amount_is_refused_and_nothing_is_written(admin_client, amount, error):
    project = make_project()
    data = {"project": project.pk, "arrived_on": today().isoformat(), "amount": amount}
    response = admin_client.post(f"{ARRIVALS}add/", data)
    assert response.status_code == 200
    expected = in_chinese(translation.gettext_lazy(error) if isinstance(error, str) else error)
    assert response.context["form"].errors["amount"] == [expected]
    assert shows(response, expected)
    assert not FundArrival.objects.exists()


def test_a_fund_arrival_cannot_be_dated_in_the_future(admin_client):
    data = {"project": make_project().pk, "arrived_on": (today() + days(1)).isoformat(), "amount": "10"}
    response = admin_client.post(f"{ARRIVALS}add/", data)
    assert response.context["form"].errors["arrived_on"] == [message("The date cannot be in the future.")]
    assert not FundArrival.objects.exists()


def test_a_progress_note_cannot_be_dated_in_the_future(admin_client):
    data = {"project": make_project().pk, "on": (today() + days(1)).isoformat(), "text": "明天的进展"}
    response = admin_client.post(f"{UPDATES}add/", data)
    assert response.context["form"].errors["on"] == [message("The date cannot be in the future.")]
    assert "is-invalid" in response.context["form"].fields["on"].widget.attrs["class"]
    assert not ProjectUpdate.objects.exists()


def test_the_models_refuse_a_future_date_whoever_writes_them():
    # The rule is the models' (forms, imports and the API all meet it), not a copy in each form.
    project = make_project()
    future = today() + days(1)
    with pytest.raises(ValidationError) as arrival:
        FundArrival(project=project, arrived_on=future, amount=1).full_clean()
    with pytest.raises(ValidationError) as note:
        ProjectUpdate(project=project, on=future, text="x").full_clean()
    assert set(arrival.value.message_dict) == {"arrived_on"} and set(note.value.message_dict) == {"on"}
    FundArrival(project=project, arrived_on=today(), amount=1).full_clean()


def test_a_fund_arrival_added_from_the_project_page_starts_with_it_and_leads_back(admin_client):
    project = make_project()
    form = admin_client.get(f"{ARRIVALS}add/?project={project.pk}").context["form"]
    assert str(form["project"].value()) == str(project.pk)
    data = {"project": project.pk, "arrived_on": today().isoformat(), "amount": "1500.50", "source": "自有资金"}
    response = admin_client.post(f"{ARRIVALS}add/", data)
    assert response.status_code == 302
    assert response["Location"] == project.get_absolute_url()
    assert FundArrival.objects.get().amount == Decimal("1500.50")


def test_project_page_shows_the_cumulative_funds_and_the_arrival_rate(admin_client):
    project = make_project(contract_investment=Decimal("12000"))
    arrival(project, "1500", on=D(2020, 6, 1))
    arrival(project, "3000", on=D(2020, 3, 1))
    response = admin_client.get(project.get_absolute_url())
    assert response.context["funds_total"] == Decimal("4500")
    assert response.context["arrival_rate"] == Decimal("37.5")
    rows = [(r.arrival.amount, r.cumulative, r.rate) for r in response.context["arrival_rows"]]
    assert rows == [
        (Decimal("3000"), Decimal("3000"), Decimal("25")),
        (Decimal("1500"), Decimal("4500"), Decimal("37.5")),
    ]
    html = response.content.decode()
    summary = html[html.index("pa-funds-summary") :]
    assert "4,500万元" in summary and "1.2亿元" in summary and "37.50%" in summary
    table = html[html.index("pa-arrivals") :]
    assert table.index("25.00%") < table.index("37.50%")


def test_project_page_without_a_contract_investment_shows_no_rate(admin_client):
    project = make_project()
    arrival(project, "800")
    response = admin_client.get(project.get_absolute_url())
    assert response.context["funds_total"] == Decimal("800")
    assert response.context["arrival_rate"] is None


def test_a_progress_note_records_its_author_and_a_problem_is_flagged_on_the_project_page(client):
    staff = make_user("investment")
    client.force_login(staff)
    project = make_project()
    data = {"project": project.pk, "on": today().isoformat(), "text": "供电线路未接通", "is_problem": "on"}
    response = client.post(f"{UPDATES}add/", data)
    assert response.status_code == 302 and response["Location"] == project.get_absolute_url()
    assert ProjectUpdate.objects.get().author == staff
    html = client.get(project.get_absolute_url()).content.decode()
    notes = html[html.index("pa-updates") :]
    assert "pa-problem" in notes and "供电线路未接通" in notes and name_of(staff) in notes


@pytest.mark.parametrize("kind", ["arrival", "update"])
def test_a_stale_edit_of_money_or_a_note_is_refused_with_409(client, kind):
    first, second = make_user("investment"), make_user("administrator")
    project = make_project()
    if kind == "arrival":
        record, url = arrival(project, "100"), ARRIVALS
        data = {"project": project.pk, "arrived_on": today().isoformat(), "amount": "200", "version": 1}
        later = {**data, "amount": "300"}
    else:
        record, url = ProjectUpdate.objects.create(project=project, on=today(), text="原文"), UPDATES
        data = {"project": project.pk, "on": today().isoformat(), "text": "甲改", "version": 1}
        later = {**data, "text": "乙改"}
    client.force_login(first)
    assert client.post(f"{url}{record.pk}/edit/", data).status_code == 302
    client.force_login(second)
    stale = client.post(f"{url}{record.pk}/edit/", later)
    assert stale.status_code == 409
    assert name_of(first) in stale.content.decode()
    record.refresh_from_db()
    assert record.version == 2
    assert (record.amount if kind == "arrival" else record.text) == (Decimal("200") if kind == "arrival" else "甲改")


def test_deleting_a_fund_arrival_leads_back_to_its_project(admin_client):
    money = arrival(make_project(), "100")
    response = admin_client.post(f"{ARRIVALS}{money.pk}/delete/")
    assert response["Location"] == money.project.get_absolute_url()
    assert not FundArrival.objects.exists()


# --- the list: filters, stalled, exports ----------------------------------------------------------------------


def test_list_filters_by_stage(admin_client):
    make_project("洽谈中")
    make_project("已签约", moves=[("signed", today())])
    make_project("已开工", moves=[("signed", today()), ("construction", today())])
    assert column(admin_client.get(PROJECTS, {"stage": "signed"})) == ["已签约"]
    both = admin_client.get(f"{PROJECTS}?stage=signed&stage=construction&sort=name")
    assert sorted(column(both)) == sorted(["已签约", "已开工"])


def test_investment_bands_include_their_lower_bound(admin_client):
    for name, amount in (("差一分一亿", "9999.99"), ("一亿", "10000"), ("差一分十亿", "99999.99"), ("十亿", "100000")):
        make_project(name, contract_investment=Decimal(amount))
    make_project("未填投资额")
    over_100m = admin_client.get(PROJECTS, {"band": "100m", "sort": "contract_investment"})
    assert column(over_100m) == ["一亿", "差一分十亿", "十亿"]
    assert column(admin_client.get(PROJECTS, {"band": "1bn"})) == ["十亿"]


def test_year_signed_follows_the_signing_date_at_the_year_boundary(admin_client):
    old = today() - days(3000)
    make_project("年末签约", since=old, moves=[("signed", D(2019, 12, 31))])
    make_project("年初签约", since=old, moves=[("signed", D(2020, 1, 1))])
    make_project("未签约", since=old)
    signed_2019 = admin_client.get(PROJECTS, {"signed_year": "2019"})
    assert column(signed_2019) == ["年末签约"]
    assert column(signed_2019, "signed_on") == [D(2019, 12, 31)]
    assert column(admin_client.get(PROJECTS, {"signed_year": "2020"})) == ["年初签约"]


def test_a_signing_undone_by_a_correction_no_longer_gives_a_signed_year(admin_client):
    project = make_project("误签", since=D(2019, 1, 1), moves=[("signed", D(2019, 6, 1))])
    project_move_stage(project=project, stage="negotiating", on=D(2019, 6, 2), correction=True, note="误录签约")
    assert column(admin_client.get(PROJECTS, {"signed_year": "2019"})) == []
    assert column(admin_client.get(PROJECTS, {"q": "误签"}), 8) == [None]


def test_list_filters_by_key_level_and_shows_the_levels(admin_client):
    make_project("市重点", key_city=True)
    make_project("省五个100", key_provincial_industry=True, key_city=True)
    make_project("一般项目")
    response = admin_client.get(PROJECTS, {"key_level": "city", "sort": "name"})
    assert sorted(column(response)) == sorted(["市重点", "省五个100"])
    assert column(admin_client.get(PROJECTS, {"key_level": "provincial_industry"})) == ["省五个100"]
    levels = dict(zip(column(response), column(response, "key_levels"), strict=True))
    assert "、" in levels["省五个100"]


@pytest.fixture
def stalled_setup(settings):
    settings.PROJECT_STALLED_DAYS = 90
    long_ago = today() - days(200)
    quiet = make_project("沉寂项目", since=long_ago)
    busy_note = make_project("有进展", since=long_ago)
    ProjectUpdate.objects.create(project=busy_note, on=today() - days(10), text="进展顺利")
    busy_money = make_project("有资金", since=long_ago)
    arrival(busy_money, "100", on=today() - days(89))
    make_project("已达产", since=long_ago, moves=[("full_production", long_ago)])
    make_project("已终止", since=long_ago, moves=[("dropped", long_ago)])
    edge = make_project("刚好九十天", since=today() - days(90))
    return quiet, edge


def test_stalled_filter_and_column_follow_the_stalled_rule(admin_client, stalled_setup):
    stalled = admin_client.get(PROJECTS, {"stalled": "true"})
    assert column(stalled) == ["沉寂项目"]
    assert column(stalled, "stalled") == [True]
    others = admin_client.get(PROJECTS, {"stalled": "false", "sort": "name"})
    assert sorted(column(others)) == sorted(["有进展", "有资金", "已达产", "已终止", "刚好九十天"])
    assert set(column(others, "stalled")) == {False}


def test_a_stalled_project_is_flagged_on_its_page_and_on_the_board(admin_client, stalled_setup):
    quiet, edge = stalled_setup
    assert "pa-stalled" in admin_client.get(quiet.get_absolute_url()).content.decode()
    assert "pa-stalled" not in admin_client.get(edge.get_absolute_url()).content.decode()
    board = admin_client.get(BOARD).content.decode()
    assert "pa-card-stalled" in card(board, quiet) and "pa-card-stalled" not in card(board, edge)


def test_export_honours_the_filters_in_csv_and_xlsx(admin_client):
    make_project("大项目", contract_investment=Decimal("150000"), moves=[("signed", today())])
    make_project("中项目", contract_investment=Decimal("20000"), moves=[("signed", today())])
    make_project("小项目", contract_investment=Decimal("500"), moves=[("signed", today())])
    make_project("洽谈项目", contract_investment=Decimal("90000"))
    params = {"band": "100m", "stage": "signed", "sort": "-contract_investment"}
    assert column(admin_client.get(PROJECTS, params)) == ["大项目", "中项目"]

    rows = csv_rows(admin_client.get(PROJECTS, {**params, "export": "csv"}))
    amount_at = rows[0].index(in_chinese(Project._meta.get_field("contract_investment").verbose_name))
    assert [(row[0], row[amount_at]) for row in rows[1:]] == [("大项目", "150000.00"), ("中项目", "20000.00")]

    sheet = xlsx_rows(admin_client.get(PROJECTS, {**params, "export": "xlsx"}))
    assert [(row[0], row[amount_at]) for row in sheet[1:]] == [("大项目", 150000), ("中项目", 20000)]
    signed_at = rows[0].index(in_chinese(translation.gettext_lazy("signed on")))
    assert sheet[1][signed_at].date() == today()


def test_fund_arrival_export_of_one_project_has_only_its_money(admin_client):
    mine, other = make_project("本项目"), make_project("别的项目")
    arrival(mine, "300", on=D(2021, 5, 1))
    arrival(other, "700", on=D(2021, 5, 2))
    rows = csv_rows(admin_client.get(ARRIVALS, {"project": mine.pk, "export": "csv"}))
    assert [(row[0], row[2]) for row in rows[1:]] == [("本项目", "300.00")]


# --- query counts ---------------------------------------------------------------------------------------------


def make_busy_projects(count: int) -> None:
    """Projects with every relation the pages read: cluster, park, enterprise, several moves, money and notes."""
    cluster, park = IndustryClusterFactory(), ParkFactory()
    for n in range(count):
        project = make_project(
            since=today() - days(200),
            moves=[("signed", today() - days(150)), ("construction", today() - days(100))][: n % 3],
            cluster=cluster,
            park=park,
            enterprise=EnterpriseFactory(),
            contract_investment=Decimal(1000 * (n + 1)),
            key_city=n % 2 == 0,
            liaison=UserFactory(),
        )
        arrival(project, "100", on=today() - days(n % 120))
        ProjectUpdate.objects.create(project=project, on=today() - days(n), text="进展", author=UserFactory())


@pytest.mark.parametrize("url", [PROJECTS, f"{PROJECTS}?sort=-last_activity", BOARD, f"{BOARD}?key_level=city"])
def test_list_and_board_query_counts_do_not_grow_with_the_projects(admin_client, url):
    make_busy_projects(5)
    admin_client.get(url)  # warm the session
    few = count_queries(admin_client, url)
    make_busy_projects(45)
    assert Project.objects.count() == 50
    admin_client.get(url)  # the medians days in stage are compared with, cached until a project changes
    assert count_queries(admin_client, url) == few
    assert few <= 12


@pytest.mark.parametrize("url", [ARRIVALS, UPDATES])
def test_money_and_notes_lists_query_counts_do_not_grow(admin_client, url):
    make_busy_projects(5)
    admin_client.get(url)
    few = count_queries(admin_client, url)
    make_busy_projects(45)
    assert count_queries(admin_client, url) == few


def test_project_page_query_count_does_not_grow_with_its_records(admin_client):
    # One move already, so the history panel reads changes (not only the creation) from the start.
    project = make_project(since=today() - days(400), moves=[("signed", today() - days(300))])

    def add(count: int) -> None:
        for n in range(count):
            arrival(project, "10", on=today() - days(n))
            ProjectUpdate.objects.create(project=project, on=today(), text="进展", author=UserFactory())

    add(3)
    url = project.get_absolute_url()
    admin_client.get(url)
    few = count_queries(admin_client, url)
    add(30)
    for stage in ("construction", "production", "full_production"):
        project.refresh_from_db()
        project_move_stage(project=project, stage=stage, on=today(), user=UserFactory())
    assert count_queries(admin_client, url) == few


# --- the board ------------------------------------------------------------------------------------------------


def card(html: str, project) -> str:
    start = html.index(f'data-project="{project.pk}"')
    start = html.rindex("<article", 0, start)
    return html[start : html.index("</article>", start)]


def board_column(response, stage: str) -> dict:
    columns = [*response.context["columns"], response.context["dropped"]]
    return next(c for c in columns if c["stage"] == stage)


def test_board_has_a_column_per_stage_with_its_count_and_amount(admin_client):
    make_project("洽谈甲", contract_investment=Decimal("5000"))
    make_project("洽谈乙", contract_investment=Decimal("7000"))
    make_project("签约丙", contract_investment=Decimal("120000"), moves=[("signed", today())])
    make_project("终止丁", contract_investment=Decimal("3000"), moves=[("dropped", today())])
    response = admin_client.get(BOARD)
    assert [c["stage"] for c in response.context["columns"]] == [
        "negotiating",
        "signed",
        "construction",
        "production",
        "full_production",
    ]
    negotiating, signed = board_column(response, "negotiating"), board_column(response, "signed")
    assert (negotiating["count"], negotiating["amount"]) == (2, Decimal("12000"))
    assert (signed["count"], signed["amount"]) == (1, Decimal("120000"))
    assert board_column(response, "dropped")["count"] == 1
    assert (response.context["total_count"], response.context["total_amount"]) == (3, Decimal("132000"))
    html = response.content.decode()
    head = html[
        html.index('data-stage="negotiating"') : html.index("card-body", html.index('data-stage="negotiating"'))
    ]
    assert "1.2亿元" in head and ">2<" in head
    assert "12亿元" in html
    assert re.search(r"<details[^>]*pa-board-dropped", html)  # dropped projects stay folded away


def test_board_cards_link_to_their_project_put_key_projects_first_and_move_to_the_next_stage(admin_client):
    small_key = make_project("重点小项目", contract_investment=Decimal("100"), key_provincial=True)
    big = make_project("大项目", contract_investment=Decimal("90000"))
    response = admin_client.get(BOARD)
    assert [p.name for p in board_column(response, "negotiating")["cards"]] == ["重点小项目", "大项目"]
    html = response.content.decode()
    key_card = card(html, small_key)
    assert f'href="{small_key.get_absolute_url()}"' in key_card and "pa-key" in key_card
    assert "pa-key" not in card(html, big)
    assert f'action="/projects/{big.pk}/stage/"' in card(html, big)
    assert 'name="stage" value="signed"' in card(html, big)
    assert "onclick" not in html and "<script>" not in html.split("</main>")[0]

    form = {"stage": "signed", "on": today().isoformat(), "version": big.version, "next": BOARD}
    moved = admin_client.post(f"{PROJECTS}{big.pk}/stage/", form)
    assert moved["Location"] == BOARD
    assert [p.name for p in board_column(admin_client.get(BOARD), "signed")["cards"]] == ["大项目"]


def test_a_crowded_column_shows_the_first_cards_and_links_to_the_rest_in_the_list(admin_client, monkeypatch):
    from projects.views import ProjectBoardView

    monkeypatch.setattr(ProjectBoardView, "cards_per_stage", 2)
    for n in range(5):
        make_project(f"项目{n}", contract_investment=Decimal(1000 * (n + 1)), key_city=True)
    response = admin_client.get(BOARD, {"key_level": "city"})
    negotiating = board_column(response, "negotiating")
    assert (negotiating["count"], negotiating["amount"], negotiating["more"]) == (5, Decimal("15000"), 3)
    assert [p.name for p in negotiating["cards"]] == ["项目4", "项目3"]
    html = response.content.decode()
    assert "/projects/?key_level=city&amp;stage=negotiating" in html


def test_board_offers_no_move_past_full_production_or_out_of_dropped(admin_client):
    done = make_project("达产", moves=[("full_production", today())])
    gone = make_project("终止", moves=[("dropped", today())])
    html = admin_client.get(BOARD).content.decode()
    assert "pa-card-move" not in card(html, done) and "pa-card-move" not in card(html, gone)


def test_board_filters_by_park_cluster_and_key_level(admin_client):
    zone = ParkFactory(kind="zone")
    park, cluster = ParkFactory(parent=zone), IndustryClusterFactory()
    make_project("园区内", park=park)
    make_project("别的园区", park=ParkFactory(parent=zone))
    make_project("集群内", cluster=cluster)
    make_project("市重点", key_city=True)

    def names(params):
        response = admin_client.get(BOARD, params)
        return [p.name for c in response.context["columns"] for p in c["cards"]]

    assert names({"park": park.code}) == ["园区内"]
    assert names({"cluster": cluster.code}) == ["集群内"]
    assert names({"key_level": "city"}) == ["市重点"]
    assert len(names({})) == 4
    assert sorted(names({"park": zone.code})) == sorted(names({}))


def test_list_page_links_to_the_board(admin_client):
    assert 'href="/projects/board/"' in admin_client.get(PROJECTS).content.decode()


# --- hostile text ---------------------------------------------------------------------------------------------


def hostile_project() -> Project:
    project = make_project(SCRIPT, investor=FORMULA, notes=SCRIPT, source=FORMULA, key_city=True)
    arrival(project, "100", source=SCRIPT, note=FORMULA)
    ProjectUpdate.objects.create(project=project, on=today(), text=SCRIPT, is_problem=True)
    project_move_stage(project=project, stage="dropped", on=today(), note=SCRIPT)
    project_move_stage(project=project, stage="negotiating", on=today(), correction=True, note=SCRIPT)
    return project


@pytest.mark.parametrize("where", ["list", "board", "detail", "arrivals", "updates", "arrival", "update", "enterprise"])
def test_hostile_text_is_escaped_on_every_page(admin_client, where):
    project = hostile_project()
    enterprise = EnterpriseFactory()
    Project.objects.filter(pk=project.pk).update(enterprise=enterprise)
    url = {
        "list": PROJECTS,
        "board": BOARD,
        "detail": project.get_absolute_url(),
        "arrivals": ARRIVALS,
        "updates": UPDATES,
        "arrival": FundArrival.objects.get().get_absolute_url(),
        "update": ProjectUpdate.objects.get().get_absolute_url(),
        "enterprise": enterprise.get_absolute_url(),
    }[where]
    html = admin_client.get(url).content.decode()
    assert SCRIPT not in html
    assert escape(SCRIPT) in html


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_hostile_text_is_inert_in_exports(admin_client, kind):
    hostile_project()
    response = admin_client.get(PROJECTS, {"export": kind})
    rows = csv_rows(response) if kind == "csv" else xlsx_rows(response)
    headers, row = rows[0], rows[1]
    investor_at = list(headers).index(in_chinese(Project._meta.get_field("investor").verbose_name))
    assert row[0] == SCRIPT
    # CSV has no types: a spreadsheet would run the text, so it carries an apostrophe; XLSX holds it as it is.
    assert row[investor_at] == ("'" + FORMULA if kind == "csv" else FORMULA)


# --- the enterprise page --------------------------------------------------------------------------------------


def test_enterprise_page_lists_its_projects_in_a_constant_number_of_queries(admin_client):
    enterprise = EnterpriseFactory()
    make_project("企业的项目", enterprise=enterprise, contract_investment=Decimal("20000"))
    url = enterprise.get_absolute_url()
    response = admin_client.get(url)
    html = response.content.decode()
    panel = html[html.index("pa-projects") :]
    assert "企业的项目" in panel and "2亿元" in panel
    assert f"/projects/add/?enterprise={enterprise.pk}" in html
    few = count_queries(admin_client, url)
    for _ in range(20):
        make_project(enterprise=enterprise, cluster=IndustryClusterFactory(), park=ParkFactory())
    assert count_queries(admin_client, url) == few


def test_enterprise_page_offers_adding_a_project_only_to_those_who_may(client):
    enterprise = EnterpriseFactory()
    client.force_login(make_user("enterprise"))
    html = client.get(enterprise.get_absolute_url()).content.decode()
    assert "pa-projects" in html and "/projects/add/" not in html


def test_progress_notes_list_their_authors_by_name_sorted_and_exported(admin_client):
    project = project_create(project=Project(name="排序项目", investor="某公司"), on=datetime.date(2019, 1, 1))
    for username, first, last in (("b-user", "", ""), ("a-user", "芳", "王")):
        author = UserFactory(username=username, first_name=first, last_name=last)
        ProjectUpdate.objects.create(project=project, on=datetime.date(2019, 2, 1), text="进展", author=author)
    html = admin_client.get("/projects/updates/?sort=author").content.decode()
    assert html.index("芳 王") < html.index("b-user")  # the name shown, in pinyin order: Chinese before Latin, as ICU
    export = b"".join(admin_client.get("/projects/updates/?export=csv").streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(export)))
    assert {row[-1] for row in rows[1:]} == {"b-user", "芳 王"}
