"""Reminders become notifications once per event: in the app (bell, page, API) and by mail."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from indicators.choices import ValueStatus
from parkadmin.models import Notification
from parkadmin.notifications import run_reminders
from parkadmin.roles import ENTERPRISE_STAFF
from tests.factories import (
    EnterpriseFactory,
    IndicatorValueFactory,
    QualificationFactory,
    ServiceRequestFactory,
    UserFactory,
)
from tests.harness import make_user

pytestmark = pytest.mark.django_db
API = "/api/notifications/"


def today() -> datetime.date:
    return timezone.localdate()


def test_an_overdue_problem_reaches_its_assignee_once_in_the_app_and_by_mail(client, capsys):
    assignee = UserFactory(username="li-lei", email="li.lei@zone.example")
    raised = today() - datetime.timedelta(days=40)
    problem = ServiceRequestFactory(assignee=assignee, raised_on=raised, due_on=raised + datetime.timedelta(days=30))
    call_command("run_reminders")
    assert "sent 1" in capsys.readouterr().out
    call_command("run_reminders")  # the same event: nothing more
    assert "sent 0, 1 already sent before" in capsys.readouterr().out
    client.force_login(assignee)
    answer = client.get(API).json()
    assert answer["count"] == 1
    (item,) = answer["results"]
    assert set(item) == {"id", "kind", "title", "url", "created", "read"}
    assert (item["kind"], item["url"], item["read"]) == ("problem_overdue", problem.get_absolute_url(), False)
    assert problem.title in item["title"]
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["li.lei@zone.example"]
    assert problem.get_absolute_url() in mail.outbox[0].body


def test_a_problem_due_soon_then_overdue_is_two_events():
    assignee = UserFactory()
    problem = ServiceRequestFactory(assignee=assignee, raised_on=today(), due_on=today() + datetime.timedelta(days=1))
    run_reminders()
    run_reminders(today() + datetime.timedelta(days=5))  # the due date has passed
    kinds = list(Notification.objects.filter(user=assignee).values_list("kind", flat=True).order_by("pk"))
    assert kinds == ["problem_due", "problem_overdue"]
    problem.status = "resolved"
    problem.resolved_on = today()
    problem.save()
    assert run_reminders(today() + datetime.timedelta(days=6)) == []


def test_a_certificate_about_to_lapse_reaches_the_liaison_and_enterprise_staff_once_per_stage():
    liaison = UserFactory(username="liaison")
    staff = UserFactory(username="staff")
    staff.groups.add(Group.objects.get(name=ENTERPRISE_STAFF))
    enterprise = EnterpriseFactory(liaison=liaison)
    QualificationFactory(
        enterprise=enterprise,
        issued_on=today() - datetime.timedelta(days=1000),
        expires_on=today() + datetime.timedelta(days=25),
    )
    renewed = EnterpriseFactory()
    QualificationFactory(
        enterprise=renewed,
        issued_on=today() - datetime.timedelta(days=1000),
        expires_on=today() + datetime.timedelta(days=20),
    )
    QualificationFactory(enterprise=renewed, issued_on=today(), expires_on=today() + datetime.timedelta(days=1095))
    run_reminders()
    run_reminders()
    keys = set(Notification.objects.values_list("user__username", "key"))
    recipients = {user for user, _key in keys}
    assert {"liaison", "staff"} <= recipients and len(keys) == len(recipients)  # each once
    assert all(key.endswith(":30") for _user, key in keys)  # the 30-day stage; the renewed certificate is left out
    run_reminders(today() + datetime.timedelta(days=20))  # 5 days left: the 7-day stage
    assert Notification.objects.count() == 2 * len(recipients)


def test_values_waiting_too_long_reach_the_reviewers(client):
    reviewer = make_user("reviewer")
    value = IndicatorValueFactory(status=ValueStatus.SUBMITTED)
    value.history.update(history_date=timezone.now() - datetime.timedelta(days=10))
    results = run_reminders(dry_run=True)
    assert [n.user for n, new in results if new and n.kind == "values_waiting"].count(reviewer) == 1
    assert not Notification.objects.exists()  # a dry run keeps and sends nothing
    run_reminders()
    assert Notification.objects.filter(user=reviewer, kind="values_waiting").count() == 1


def test_the_page_the_bell_and_the_api_show_ones_own_and_mark_them_read(client):
    me, other = UserFactory(), UserFactory()
    for user, key in ((me, "a"), (me, "b"), (other, "c")):
        Notification.objects.create(
            user=user, kind="problem_due", key=key, title=f"标题{key}", title_en=f"Title {key}", url="/enterprises/"
        )
    mine = Notification.objects.filter(user=me).order_by("pk")
    theirs = Notification.objects.get(user=other)
    client.force_login(me)
    page = client.get("/notifications/").content.decode()
    assert "标题a" in page and "标题b" in page and "标题c" not in page
    assert "data-pa-badge>2<" in client.get("/").content.decode()  # the bell's count
    client.cookies["django_language"] = "en"
    assert client.get(API).json()["results"][0]["title"] == "Title b"
    assert client.post(f"/notifications/{theirs.pk}/open/").status_code == 404
    answer = client.post(f"/notifications/{mine[0].pk}/open/")
    assert answer.status_code == 302 and answer["Location"] == "/enterprises/"
    assert client.post(f"{API}read/", {"ids": [theirs.pk]}, content_type="application/json").json() == {"marked": 0}
    assert client.post(f"{API}read/", {"ids": ["x"]}, content_type="application/json").status_code == 400
    assert client.post(f"{API}read/", {}, content_type="application/json").json() == {"marked": 1}
    assert client.get(API, {"unread": "1"}).json()["count"] == 0
    assert "data-pa-badge" not in client.get("/notifications/").content.decode()  # marking read cleared the count
    assert not Notification.objects.get(pk=theirs.pk).read
    client.logout()
    assert client.get(API).status_code == 401


def test_a_user_may_turn_mail_off_per_kind_and_keeps_the_notification(client):
    assignee = UserFactory(email="wang@zone.example")
    client.force_login(assignee)
    page = client.get("/notifications/settings/").content.decode()
    assert 'value="problem_overdue"' in page and "wang@zone.example" in page
    kinds = ["qualification_expiring", "problem_due", "values_waiting"]  # every kind but problem_overdue
    assert client.post("/notifications/settings/", {"email": kinds}).status_code == 302
    assert (
        'value="problem_overdue" id="email-problem_overdue">' in client.get("/notifications/settings/").content.decode()
    )
    raised = today() - datetime.timedelta(days=40)
    ServiceRequestFactory(assignee=assignee, raised_on=raised, due_on=raised + datetime.timedelta(days=30))
    run_reminders()
    assert Notification.objects.filter(user=assignee, kind="problem_overdue").count() == 1
    assert mail.outbox == []


def test_a_stalled_key_project_reaches_its_liaison_once_per_stall():
    from tests.factories import ProjectFactory

    liaison = UserFactory(username="liaison-officer")
    stalled = ProjectFactory(name="停滞重点项目", key_city=True, liaison=liaison)
    ProjectFactory(name="停滞普通项目", liaison=liaison)  # not a key project: no reminder
    run_reminders()
    run_reminders()
    sent = Notification.objects.filter(user=liaison)
    assert list(sent.values_list("kind", flat=True)) == ["key_project_stalled"]
    assert stalled.name in sent.get().title and sent.get().url == stalled.get_absolute_url()
