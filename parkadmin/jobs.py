"""Background jobs (django-q2): the schedules every installation starts with, and how a job is asked for.

The worker is `manage.py qcluster` (`make run` starts one beside the development server; in production a systemd
unit of its own, README). Its broker is the project's database, or Redis when REDIS_URL is set, so workers on several
machines share one queue. Schedules live in the database: administrators change their times in the admin
("Background jobs" › "Scheduled tasks"); after every migrate, those missing are created again with their defaults.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

# name: (the command it runs, when it first runs: the next day at this local time). Each runs daily.
DAILY_COMMANDS = {
    "reminders": ("run_reminders", datetime.time(8, 15)),
    "clear pending imports": ("clear_pending_imports", datetime.time(2, 30)),
    "clear expired sessions": ("clearsessions", datetime.time(2, 45)),
}


def next_day_at(at: datetime.time) -> datetime.datetime:
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(tomorrow, at))


def ensure_schedules(**kwargs) -> None:
    """post_migrate: create the default schedules that are missing (an administrator's changes stay)."""
    from django_q.models import Schedule

    for name, (command, at) in DAILY_COMMANDS.items():
        Schedule.objects.get_or_create(
            name=name,
            defaults={
                "func": "django.core.management.call_command",
                "args": repr(command),
                "schedule_type": Schedule.DAILY,
                "next_run": next_day_at(at),
            },
        )
