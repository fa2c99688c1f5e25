from django.contrib import admin

from enterprises.models import Enterprise, IndustryCluster, Park
from parkadmin.admin import VersionedAdmin


@admin.register(Park)
class ParkAdmin(VersionedAdmin):
    list_display = ["code", "name", "kind", "parent"]
    list_filter = ["kind"]
    search_fields = ["code", "name", "name_en"]
    list_select_related = ["parent"]


@admin.register(IndustryCluster)
class IndustryClusterAdmin(VersionedAdmin):
    list_display = ["code", "name", "role"]
    list_filter = ["role"]
    search_fields = ["code", "name", "name_en"]


@admin.register(Enterprise)
class EnterpriseAdmin(VersionedAdmin):
    list_display = ["name", "credit_code", "cluster", "park", "status", "size_class", "listing_stage"]
    list_filter = ["status", "cluster", "park", "size_class", "listing_stage"]
    search_fields = ["name", "short_name", "credit_code"]
    list_select_related = ["cluster", "park"]
    autocomplete_fields = ["liaison"]
