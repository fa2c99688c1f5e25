from django.contrib import admin

from enterprises.models import IndustryCluster, Park
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
