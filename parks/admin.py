from django.contrib import admin

from parkadmin.admin import VersionedAdmin
from parks.models import IndustryCluster, Park


@admin.register(Park)
class ParkAdmin(VersionedAdmin):
    list_display = ["code", "name", "kind", "parent"]
    list_filter = ["kind"]
    search_fields = ["code", "name", "name_en"]
    list_select_related = ["parent"]
    list_per_page = 50


@admin.register(IndustryCluster)
class IndustryClusterAdmin(VersionedAdmin):
    list_display = ["code", "name", "role"]
    list_filter = ["role"]
    search_fields = ["code", "name", "name_en"]
