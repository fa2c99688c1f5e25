from django.contrib import admin

from reports.models import ReportExport


@admin.register(ReportExport)
class ReportExportAdmin(admin.ModelAdmin):
    """The record of report exports: read only, as a log is."""

    list_display = ("created_at", "user", "report", "year", "park_code", "format", "via", "duration_ms", "size_bytes")
    list_filter = ("format", "via", "year")
    search_fields = ("user__username", "park_code", "file_name")
    date_hierarchy = "created_at"
    list_select_related = ("user",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
