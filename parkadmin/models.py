"""The parkadmin app's own tables: the record of every import, the uploads waiting for confirmation; and the admin's
view of API tokens.

(The module also makes Django send the app its `post_migrate` signal, which it does only for apps with a models
module: that signal re-syncs the roles' permissions after every migrate.)
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework.authtoken.models import TokenProxy
from simple_history.models import HistoricalRecords

# How much of an API token the admin shows: enough to tell tokens apart, far too little to use one.
TOKEN_SHOWN = 6


class ApiToken(TokenProxy):
    """An API token as the admin shows it: named by its first characters and its user, never by the whole key (an
    administrator must not read other people's tokens; their record in the admin log is named the same way)."""

    class Meta:
        proxy = True
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.key_start} ({self.user})"

    @property
    def key_start(self) -> str:
        return f"{self.key[:TOKEN_SHOWN]}…"


class ImportRecord(models.Model):
    """One run of the import pipeline (web page or `import_data`): who, when, which file, and what it did."""

    class Via(models.TextChoices):
        WEB = "web", _("Import page")
        COMMAND = "command", _("Command line")

    kind = models.CharField(_("kind"), max_length=32)
    file_name = models.CharField(_("file name"), max_length=255)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("when"), auto_now_add=True)
    via = models.CharField(_("via"), max_length=8, choices=Via.choices, default=Via.WEB)
    dry_run = models.BooleanField(_("preview only"), default=False)
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    rejected = models.PositiveIntegerField(_("rejected"), default=0)
    error = models.CharField(_("error"), max_length=500, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self) -> str:
        return f"{self.kind} · {self.file_name}"

    def get_absolute_url(self) -> str:
        return reverse("imports:index")


class PendingImport(models.Model):
    """An upload previewed on the import page and waiting for its uploader's confirmation.

    The file's bytes are kept here, in the database, so that any application server can confirm what another
    previewed and nothing is left on disk when a worker dies. Confirming claims the row in the same transaction as
    the import (`claim`), so it imports once however many requests confirm it: the row then stays, without the file,
    as `imported`, to answer a repeated confirmation, until it expires with the pending ones (settings
    `IMPORT_PENDING_HOURS`; `manage.py clear_pending_imports`).
    """

    class State(models.TextChoices):
        PENDING = "pending", _("waiting for confirmation")
        IMPORTED = "imported", _("imported")

    token = models.CharField(_("token"), max_length=64, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.CASCADE)
    kind = models.CharField(_("kind"), max_length=32)
    file_name = models.CharField(_("file name"), max_length=255)
    content = models.BinaryField(_("file"), default=b"")
    size = models.PositiveIntegerField(_("size (bytes)"), default=0)
    created_at = models.DateTimeField(_("uploaded at"), default=timezone.now, db_index=True)
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.PENDING)
    imported_at = models.DateTimeField(_("imported at"), null=True, blank=True)
    summary = models.CharField(_("result"), max_length=500, blank=True)
    record = models.ForeignKey(
        ImportRecord,
        verbose_name=_("import"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("pending import")
        verbose_name_plural = _("pending imports")
        indexes = [models.Index(fields=["user", "state", "created_at"], name="pendingimport_user_state")]

    def __str__(self) -> str:
        return f"{self.kind} · {self.file_name}"


class ExportLogQuerySet(models.QuerySet):
    """An audit log only grows: deleting rows goes through `prune` (the `prune_export_log` command) alone."""

    def delete(self):
        raise PermissionError("The export log is append-only; use `manage.py prune_export_log` for retention.")

    def prune(self, before) -> int:
        """Delete the entries made before `before` (a datetime); returns how many."""
        deleted, _by_model = models.QuerySet.delete(self.filter(created_at__lt=before))
        return deleted


class ListExport(models.Model):
    """One list exported to a file (CSV or XLSX): who, which list, with which filters, how many rows, when."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    list_name = models.CharField(_("list"), max_length=100)
    path = models.CharField(_("page"), max_length=255)
    filters = models.TextField(_("filters"), blank=True, help_text=_("The list's query, as the address gave it."))
    format = models.CharField(_("format"), max_length=8)
    rows = models.PositiveIntegerField(_("rows"))
    created_at = models.DateTimeField(_("exported at"), auto_now_add=True, db_index=True)

    objects = ExportLogQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("list export")
        verbose_name_plural = _("list exports")

    def __str__(self) -> str:
        return f"{self.list_name} {self.format} ({self.rows}) @ {self.created_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("An export log entry is never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("The export log is append-only; use `manage.py prune_export_log` for retention.")


class Notification(models.Model):
    """A message to one user about one record (parkadmin.notifications): shown under the top bar's bell, on
    `/notifications/` and by `/api/notifications/`. `key` names the event (a problem overdue, a certificate 30 days
    from expiry): a user gets each event once, however often the reminders run."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=40)
    key = models.CharField(_("event"), max_length=120)
    title = models.CharField(_("title"), max_length=255)
    title_en = models.CharField(_("English title"), max_length=255, blank=True)
    url = models.CharField(_("link"), max_length=255, blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="notification_once_per_event")]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread_idx")]

    def __str__(self) -> str:
        return self.local_title

    @property
    def local_title(self) -> str:
        from parkadmin.names import local_name

        return local_name(self.title, self.title_en)

    @property
    def read(self) -> bool:
        return self.read_at is not None


class NotificationSetting(models.Model):
    """A user's choice for one kind of notification: mailed or not (the app always keeps it: it is the record)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="notification_settings"
    )
    kind = models.CharField(_("kind"), max_length=40)
    email = models.BooleanField(_("by email"), default=True)

    class Meta:
        verbose_name = _("notification setting")
        verbose_name_plural = _("notification settings")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="notification_setting_once")]

    def __str__(self) -> str:
        return f"{self.user} · {self.kind}"


class WebhookDelivery(models.Model):
    """One event posted to one chat group's robot (企业微信 or 钉钉; settings PARKADMIN_WEBHOOKS): once per group and
    event; a failed post is tried again by later runs, after a growing wait, and stays visible to administrators."""

    class Status(models.TextChoices):
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    webhook = models.CharField(_("chat group"), max_length=100)
    key = models.CharField(_("event"), max_length=120)
    kind = models.CharField(_("kind"), max_length=40)
    text = models.TextField(_("message"))
    status = models.CharField(_("status"), max_length=8, choices=Status.choices)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=255, blank=True)
    next_try = models.DateTimeField(_("next try"), null=True, blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("chat group message")
        verbose_name_plural = _("chat group messages")
        constraints = [models.UniqueConstraint(fields=["webhook", "key"], name="webhook_once_per_event")]

    def __str__(self) -> str:
        return f"{self.webhook}: {self.text[:40]}"
