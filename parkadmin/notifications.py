"""Notifications and the reminders that send them.

Each app registers its reminders (`register`) in its AppConfig.ready; `run_reminders` (the command, or the schedule
that calls it) asks each for the notices due today and delivers them. A notice names its event by a `key`
(``problem-overdue:42:2026-11-30``): the database keeps one notification per user and key, so running the
reminders again sends nothing twice. Delivery: in the app always (the top bar's bell, `/notifications/`,
`/api/notifications/`); by email to users with an address, through Django's mail settings (EMAIL_* in the
environment).
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from parkadmin.models import Notification, NotificationSetting

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Notice:
    """One message for one user about one event; the title is made in each language by `title()`."""

    user: object
    kind: str
    key: str
    title: Callable[[], str]  # called under each language in turn
    url: str = ""


@dataclass(frozen=True)
class Reminder:
    name: str
    labels: dict  # {kind of notification it sends: what the kind is, as the preferences page names it}
    notices: Callable[[datetime.date], Iterable[Notice]]


REMINDERS: dict[str, Reminder] = {}


def register(reminder: Reminder) -> None:
    REMINDERS[reminder.name] = reminder


def group_members(group: str) -> list:
    """The active members of a role's group (read once per run, not per record)."""
    from django.contrib.auth import get_user_model

    return list(get_user_model().objects.filter(is_active=True, groups__name=group))


def recipients(members: list, *also) -> list:
    """`members` and the active users in `also` (a record's liaison officer, say, who may be None), each once."""
    people = {user.pk: user for user in members}
    people.update({user.pk: user for user in also if user is not None and user.is_active})
    return list(people.values())


def kind_labels() -> dict:
    """Every kind of notification the reminders send, with its label."""
    return {kind: label for reminder in REMINDERS.values() for kind, label in reminder.labels.items()}


def wants_email(user, kind: str) -> bool:
    """Mail is on for every kind unless the user turned it off on their preferences page."""
    return not NotificationSetting.objects.filter(user=user, kind=kind, email=False).exists()


def deliver(notice: Notice) -> Notification | None:
    """Keep the notice for its user and mail it; None when the user already had this event (nothing is sent)."""
    if Notification.objects.filter(user=notice.user, key=notice.key).exists():
        return None
    with translation.override(settings.LANGUAGE_CODE):
        title = str(notice.title())
    with translation.override("en"):
        title_en = str(notice.title())
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                user=notice.user,
                kind=notice.kind,
                key=notice.key[:120],
                title=title[:255],
                title_en=title_en[:255],
                url=notice.url,
            )
    except IntegrityError:  # the same event delivered by a run alongside
        return None
    email = getattr(notice.user, "email", "")
    if email and wants_email(notice.user, notice.kind):
        try:
            send_mail(title, f"{title}\n\n{settings.PARKADMIN_SITE_URL}{notice.url}", None, [email])
        except OSError as error:  # the in-app notification stands; the mail server's failure is logged
            log.warning("notification %s: mail to %s failed: %s", notification.pk, email, error)
    return notification


def due_notices(today: datetime.date | None = None) -> list[Notice]:
    today = today or timezone.localdate()
    return [notice for reminder in REMINDERS.values() for notice in reminder.notices(today)]


def run_reminders(today: datetime.date | None = None, *, dry_run: bool = False) -> list[tuple[Notice, bool]]:
    """Every reminder once: [(notice, sent now)]; with `dry_run` nothing is kept or sent (sent now: would be). A new
    event also goes to the chat groups that receive its kind (parkadmin.webhooks), whose failed posts are tried again
    first."""
    from parkadmin import webhooks

    if not dry_run:
        webhooks.retry_failed()
    results = []
    for notice in due_notices(today):
        if dry_run:
            results.append((notice, not Notification.objects.filter(user=notice.user, key=notice.key).exists()))
            continue
        notification = deliver(notice)
        results.append((notice, notification is not None))
        if notification is not None:
            webhooks.announce(notice.kind, notice.key, notification.title)
    return results


def unread_count(user) -> int:
    """The number beside the top bar's bell: one small query on an index (user, read_at) on every page; a cached count
    would be stale on the other server processes and make a page's query count depend on the clock."""
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def mark_read(user, ids: Iterable[int] | None = None) -> int:
    """Mark the user's notifications read (all unread ones when `ids` is None); returns how many changed."""
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    return unread.update(read_at=timezone.now())
