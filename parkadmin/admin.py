from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from parkadmin.locking import save_versioned
from parkadmin.report_models import ReportExport


class VersionedAdmin(SimpleHistoryAdmin):
    """Admin for versioned models: a save in the admin moves the version on, so older open forms go stale."""

    def save_model(self, request, obj, form, change):
        if change:
            save_versioned(obj, expected_version=obj.version)
        else:
            obj.save()


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
