from django.contrib import admin

from parkadmin.admin import AuditLogAdmin
from reports.models import ReportExport


@admin.register(ReportExport)
class ReportExportAdmin(AuditLogAdmin):
    """The record of report exports: read only and append-only, as an audit log is."""

    list_display = ("created_at", "user", "report", "year", "park_code", "format", "via", "duration_ms", "size_bytes")
    list_filter = ("format", "via", "year")
    search_fields = ("user__username", "park_code", "file_name")
    date_hierarchy = "created_at"
    list_select_related = ("user",)
