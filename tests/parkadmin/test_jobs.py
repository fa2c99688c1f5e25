"""Background jobs on django-q2: the default schedules exist after migrate, and a real worker runs a queued job."""

import datetime
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone
from django_q.models import Schedule, Success
from django_q.tasks import async_task

from parkadmin.jobs import DAILY_COMMANDS, ensure_schedules
from parkadmin.models import Notification
from tests.factories import ServiceRequestFactory, UserFactory

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_the_default_schedules_exist_and_an_administrators_change_stays():
    assert set(Schedule.objects.values_list("name", flat=True)) >= set(DAILY_COMMANDS)
    reminders = Schedule.objects.get(name="reminders")
    assert (reminders.func, reminders.args, reminders.schedule_type) == (
        "django.core.management.call_command",
        "'run_reminders'",
        Schedule.DAILY,
    )
    assert timezone.localtime(reminders.next_run).time() == datetime.time(8, 15)
    reminders.next_run = timezone.now() + datetime.timedelta(hours=1)
    reminders.save()
    Schedule.objects.filter(name="clear expired sessions").delete()
    ensure_schedules()
    assert Schedule.objects.get(name="reminders").next_run == reminders.next_run  # kept as changed
    assert Schedule.objects.filter(name="clear expired sessions").exists()  # made again


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the worker, another process, needs a shared database")
def test_a_real_worker_runs_the_queued_reminders():
    raised = timezone.localdate() - datetime.timedelta(days=40)
    assignee = UserFactory()
    ServiceRequestFactory(assignee=assignee, raised_on=raised, due_on=raised + datetime.timedelta(days=30))
    async_task("django.core.management.call_command", "run_reminders", task_name="reminders now")
    database = connection.settings_dict
    environment = {
        **os.environ,
        "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}",
        "DJANGO_SETTINGS_MODULE": "tests.settings",
    }
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "qcluster"],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and not Success.objects.filter(name="reminders now").exists():
            time.sleep(0.5)
    finally:
        # The job is done or has failed: the worker and its processes go at once (a graceful stop waits ~30 s).
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait()
    assert Success.objects.filter(name="reminders now").exists()
    assert Notification.objects.filter(user=assignee, kind="problem_overdue").count() == 1


@pytest.mark.django_db
def test_administrators_read_the_reminders_and_schedules_in_the_api(client):
    from tests.harness import make_user

    client.force_login(make_user("administrator"))
    reminders = {row["name"]: row["kinds"] for row in client.get("/api/reminders/").json()}
    assert {"problem_due", "problem_overdue"} <= set(reminders["problems"])
    schedules = client.get("/api/schedules/").json()["results"]
    assert {row["name"] for row in schedules} >= set(DAILY_COMMANDS)
    client.force_login(make_user("investment"))
    assert client.get("/api/reminders/").status_code == 403
    assert client.get("/api/schedules/").status_code == 403
