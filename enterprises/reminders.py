"""The enterprises' reminders (parkadmin.notifications): certificates about to lapse, problems due and overdue."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from enterprises.choices import UNRESOLVED_STATUSES
from enterprises.models import Qualification, ServiceRequest
from parkadmin.notifications import Notice, Reminder, group_members, recipients, register
from parkadmin.roles import ENTERPRISE_STAFF


def expiring_certificates(today: datetime.date):
    """A certificate within 90 / 30 / 7 days of lapsing (PARKADMIN_REMINDER_EXPIRY_DAYS), unless renewed: to the
    enterprise's liaison officer and the enterprise staff; once per certificate and stage."""
    stages = sorted(settings.REMINDER_EXPIRY_DAYS)
    renewed = Qualification.objects.filter(
        enterprise=OuterRef("enterprise"), kind=OuterRef("kind"), expires_on__gt=OuterRef("expires_on")
    )
    expiring = (
        Qualification.objects.filter(expires_on__gte=today, expires_on__lte=today + datetime.timedelta(days=stages[-1]))
        .exclude(Exists(renewed))
        .select_related("enterprise__liaison")
    )
    staff = group_members(ENTERPRISE_STAFF)
    for certificate in expiring:
        left = (certificate.expires_on - today).days
        stage = next(days for days in stages if left <= days)
        for user in recipients(staff, certificate.enterprise.liaison):
            yield Notice(
                user=user,
                kind="qualification_expiring",
                key=f"qualification-expiring:{certificate.pk}:{certificate.expires_on}:{stage}",
                title=lambda c=certificate, n=left: (
                    _("%(enterprise)s: %(kind)s lapses in %(days)s days (%(day)s)")
                    % {"enterprise": c.enterprise.name, "kind": c.get_kind_display(), "days": n, "day": c.expires_on}
                ),
                url=certificate.get_absolute_url(),
            )


def problems_due(today: datetime.date):
    """An unresolved problem due within PARKADMIN_REMINDER_PROBLEM_DUE_DAYS, then once overdue: to its assignee."""
    soon = today + datetime.timedelta(days=settings.REMINDER_PROBLEM_DUE_DAYS)
    problems = ServiceRequest.objects.filter(
        status__in=UNRESOLVED_STATUSES, assignee__isnull=False, assignee__is_active=True, due_on__lte=soon
    ).select_related("enterprise", "assignee")
    for problem in problems:
        overdue = problem.due_on < today
        yield Notice(
            user=problem.assignee,
            kind="problem_overdue" if overdue else "problem_due",
            key=f"problem-{'overdue' if overdue else 'due'}:{problem.pk}:{problem.due_on}",
            title=(
                (lambda p=problem: _("Overdue since %(day)s: %(title)s (%(enterprise)s)") % problem_words(p))
                if overdue
                else (lambda p=problem: _("Due on %(day)s: %(title)s (%(enterprise)s)") % problem_words(p))
            ),
            url=problem.get_absolute_url(),
        )


def problem_words(problem: ServiceRequest) -> dict:
    return {"day": problem.due_on, "title": problem.title, "enterprise": problem.enterprise.name}


def register_reminders() -> None:
    register(
        Reminder(
            "qualification_expiring",
            {"qualification_expiring": _l("Certificates about to lapse")},
            expiring_certificates,
        )
    )
    register(
        Reminder(
            "problems",
            {"problem_due": _l("Problems due soon"), "problem_overdue": _l("Problems overdue")},
            problems_due,
        )
    )
