"""The record of every report export: who made which report, for which year and park, in which format, and when."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from parkadmin.models import ExportLogQuerySet


class ReportExport(models.Model):
    """One report written to a file, from the reports page or `manage.py export_report`."""

    class Format(models.TextChoices):
        XLSX = "xlsx", "XLSX"
        PDF = "pdf", "PDF"

    class Via(models.TextChoices):
        WEB = "web", _("Reports page")
        COMMAND = "command", _("Command line")

    report = models.CharField(_("report"), max_length=32, default="annual")
    year = models.PositiveSmallIntegerField(_("year"))
    park_code = models.CharField(_("park"), max_length=32, blank=True, help_text=_("Empty for the whole zone."))
    format = models.CharField(_("format"), max_length=8, choices=Format.choices)
    via = models.CharField(_("made through"), max_length=8, choices=Via.choices, default=Via.WEB)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("exported at"), auto_now_add=True, db_index=True)
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    size_bytes = models.PositiveIntegerField(_("size (bytes)"), default=0)
    duration_ms = models.PositiveIntegerField(_("generation time (ms)"), default=0)

    objects = ExportLogQuerySet.as_manager()  # append-only: pruned by `manage.py prune_export_log` alone

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("report export")
        verbose_name_plural = _("report exports")

    def __str__(self) -> str:
        return f"{self.report} {self.year} {self.park_code or '*'} {self.format} @ {self.created_at:%Y-%m-%d %H:%M}"
