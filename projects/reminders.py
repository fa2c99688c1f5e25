"""The projects' reminder (parkadmin.notifications): key projects stalled, to their liaison officer and the
investment staff."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from parkadmin.notifications import Notice, Reminder, group_members, recipients, register
from parkadmin.roles import INVESTMENT_STAFF
from projects.selectors import stalled_projects


def stalled_key_projects(today: datetime.date):
    """A key project with no stage move, progress note or money for PARKADMIN_STALLED_DAYS: once per stall (a new
    activity ends it; the next stall is a new event)."""
    staff = group_members(INVESTMENT_STAFF)
    for project in stalled_projects(today=today).select_related("liaison"):
        if not project.is_key:
            break  # key projects come first
        for user in recipients(staff, project.liaison):
            yield Notice(
                user=user,
                kind="key_project_stalled",
                key=f"key-project-stalled:{project.pk}:{project.last_activity}",
                title=lambda p=project: (
                    _("Key project without movement since %(day)s: %(project)s")
                    % {"day": p.last_activity, "project": p.name}
                ),
                url=project.get_absolute_url(),
            )


def register_reminders() -> None:
    register(Reminder("key_project_stalled", {"key_project_stalled": _l("Key projects stalled")}, stalled_key_projects))
