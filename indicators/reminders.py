"""The indicators' reminder (parkadmin.notifications): values waiting for review too long, to the reviewers."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _l
from django.utils.translation import ngettext

from indicators.choices import ValueStatus
from indicators.models import IndicatorValue
from parkadmin.notifications import Notice, Reminder, register


def reviewers():
    """Active users who may approve values: through a group, their own permissions, or as superusers."""
    users = get_user_model().objects.filter(is_active=True)
    return users.filter(
        Q(is_superuser=True)
        | Q(groups__permissions__codename="approve_indicatorvalue")
        | Q(user_permissions__codename="approve_indicatorvalue")
    ).distinct()


def values_waiting(today: datetime.date):
    """Values submitted more than PARKADMIN_REMINDER_REVIEW_WAITING_DAYS ago and still waiting: one message to each
    reviewer for the set waiting now (a newer value waiting makes a new set, hence a new message)."""
    cutoff = timezone.make_aware(datetime.datetime.combine(today, datetime.time.min)) - datetime.timedelta(
        days=settings.REMINDER_REVIEW_WAITING_DAYS
    )
    # When a value last changed (its submission, for one still waiting): its latest history entry.
    changes = IndicatorValue.history.model.objects.filter(id=OuterRef("pk")).order_by("-history_date")
    waiting = IndicatorValue.objects.filter(status=ValueStatus.SUBMITTED).annotate(
        last_change=Subquery(changes.values("history_date")[:1])
    )
    waiting = waiting.filter(last_change__lt=cutoff)
    ids = list(waiting.values_list("pk", flat=True))
    if not ids:
        return
    count, newest = len(ids), max(ids)
    url = reverse("indicators:indicatorvalue_review")
    for user in reviewers():
        yield Notice(
            user=user,
            kind="values_waiting",
            key=f"values-waiting:{newest}:{count}",
            title=lambda n=count: (
                ngettext(
                    "%(count)s value has waited for review more than %(days)s days",
                    "%(count)s values have waited for review more than %(days)s days",
                    n,
                )
                % {"count": n, "days": settings.REMINDER_REVIEW_WAITING_DAYS}
            ),
            url=url,
        )


def register_reminders() -> None:
    register(Reminder("values_waiting", {"values_waiting": _l("Values waiting for review")}, values_waiting))
