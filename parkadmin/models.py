"""The parkadmin app's own table: the record of every import; and the admin's view of API tokens.

(The module also makes Django send the app its `post_migrate` signal, which it does only for apps with a models
module: that signal re-syncs the roles' permissions after every migrate.)
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
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
