from django.contrib import admin
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from indicators.choices import ValueStatus
from indicators.models import Indicator, IndicatorValue, Target
from parkadmin.admin import DeleteByRuleAdmin, VersionedAdmin


@admin.register(Indicator)
class IndicatorAdmin(VersionedAdmin):
    list_display = ["code", "name", "unit", "category", "kind", "is_headline", "records_complete", "sort_order"]
    list_filter = ["category", "kind", "is_headline", "records_complete"]
    search_fields = ["code", "name", "name_en"]
    list_per_page = 50


@admin.register(IndicatorValue)
class IndicatorValueAdmin(DeleteByRuleAdmin, VersionedAdmin):
    """Values are entered and approved on their own pages (the review rules live there); the admin reads them, and
    deletes only what the value's delete page deletes: drafts and returned values."""

    deletable = Q(status__in=[ValueStatus.DRAFT, ValueStatus.RETURNED])
    refused_reason = _(
        "Only drafts and returned values can be deleted: a submitted or approved figure stays on record and is "
        "corrected by entering a new value."
    )

    list_display = [
        "indicator",
        "park",
        "year",
        "span_start",
        "span_kind",
        "value",
        "status",
        "source",
        "entered_by",
        "approved_by",
    ]
    list_filter = ["status", "span_kind", "indicator__category"]
    search_fields = ["indicator__code", "indicator__name", "source", "note"]
    list_select_related = ["indicator", "park", "entered_by", "approved_by"]
    list_per_page = 50

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Target)
class TargetAdmin(VersionedAdmin):
    list_display = ["indicator", "park", "year", "value", "source"]
    list_filter = ["year"]
    search_fields = ["indicator__code", "indicator__name"]
    list_select_related = ["indicator", "park"]
    list_per_page = 50
