from django.contrib import admin

from enterprises.models import Enterprise, EnterpriseYear, Incubation, ServiceRequest
from parkadmin.admin import VersionedAdmin


@admin.register(Enterprise)
class EnterpriseAdmin(VersionedAdmin):
    list_display = [
        "name",
        "credit_code",
        "cluster",
        "park",
        "status",
        "size_class",
        "listing_stage",
        "registered_capital",
        "founded_on",
        "liaison",
    ]
    list_filter = ["status", "cluster", "park", "size_class", "listing_stage"]
    search_fields = ["name", "short_name", "credit_code"]
    list_select_related = ["cluster", "park", "liaison"]
    autocomplete_fields = ["liaison"]
    list_per_page = 50


@admin.register(EnterpriseYear)
class EnterpriseYearAdmin(VersionedAdmin):
    list_display = ["enterprise", "year", *EnterpriseYear.FIGURES, "is_sample"]
    list_filter = ["is_sample"]
    search_fields = ["enterprise__name", "enterprise__credit_code"]
    list_select_related = ["enterprise"]
    raw_id_fields = ["enterprise"]
    list_per_page = 50


@admin.register(Incubation)
class IncubationAdmin(VersionedAdmin):
    list_display = ["enterprise", "incubator", "status", "entered_on", "left_on", "area_m2", "is_sample"]
    list_filter = ["status", "incubator"]
    search_fields = ["enterprise__name", "incubator__name"]
    list_select_related = ["enterprise", "incubator"]
    raw_id_fields = ["enterprise"]
    list_per_page = 50


@admin.register(ServiceRequest)
class ServiceRequestAdmin(VersionedAdmin):
    list_display = ["title", "enterprise", "category", "status", "raised_on", "due_on", "assignee", "resolved_on"]
    list_filter = ["status", "category"]
    search_fields = ["title", "description", "enterprise__name"]
    list_select_related = ["enterprise", "assignee"]
    raw_id_fields = ["enterprise"]
    list_per_page = 50
