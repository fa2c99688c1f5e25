from django.contrib import admin

from parkadmin.admin import AuditLogAdmin, VersionedAdmin
from projects.models import FundArrival, Project, ProjectUpdate, StageChange


@admin.register(Project)
class ProjectAdmin(VersionedAdmin):
    list_display = ["name", "investor", "stage", "contract_investment", "cluster", "park"]
    list_filter = ["stage", "investor_origin", "cluster", "park"]
    search_fields = ["name", "investor"]
    list_select_related = ["cluster", "park"]
    readonly_fields = ["stage"]
    list_per_page = 50


@admin.register(StageChange)
class StageChangeAdmin(AuditLogAdmin):
    """The stage log is written by the stage-move rules only (pages and API neither change nor delete an entry);
    the admin shows it."""

    list_display = ["project", "stage", "on", "is_correction", "superseded", "recorded_by"]
    list_filter = ["stage", "superseded"]
    list_select_related = ["project", "recorded_by"]


@admin.register(FundArrival)
class FundArrivalAdmin(VersionedAdmin):
    list_display = ["project", "arrived_on", "amount", "source"]
    list_filter = ["arrived_on"]
    search_fields = ["project__name", "source"]
    list_select_related = ["project"]
    list_per_page = 50


@admin.register(ProjectUpdate)
class ProjectUpdateAdmin(VersionedAdmin):
    list_display = ["project", "on", "is_problem"]
    list_select_related = ["project"]
