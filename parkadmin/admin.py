from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework.authtoken.admin import TokenAdmin
from rest_framework.authtoken.models import TokenProxy
from simple_history.admin import SimpleHistoryAdmin

from parkadmin.locking import save_versioned
from parkadmin.models import ApiToken, ListExport, WebhookDelivery


class VersionedAdmin(SimpleHistoryAdmin):
    """Admin for versioned models: a save in the admin moves the version on, so older open forms go stale."""

    def save_model(self, request, obj, form, change):
        if change:
            save_versioned(obj, expected_version=obj.version)
        else:
            obj.save()


class DeleteByRuleAdmin(admin.ModelAdmin):
    """An admin that deletes only the records its app's rules let be deleted (`deletable`, a filter), so that the
    admin is no way around them: the delete page of any other record is refused (403, and it offers no delete
    button), and "delete selected" deletes nothing when the selection holds one, saying why (`refused_reason`)."""

    deletable = Q()
    refused_reason = gettext_lazy("These records cannot be deleted.")
    actions = ["delete_selected"]

    def may_delete(self, obj) -> bool:
        return type(obj)._default_manager.filter(self.deletable, pk=obj.pk).exists()

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (obj is None or self.may_delete(obj))

    @admin.action(permissions=["delete"], description=gettext_lazy("Delete selected %(verbose_name_plural)s"))
    def delete_selected(self, request, queryset):
        refused = list(queryset.exclude(self.deletable)[:6])
        if refused:
            examples = "、".join(str(obj) for obj in refused[:5]) + ("…" if len(refused) > 5 else "")
            self.message_user(
                request,
                _("Nothing was deleted: the selection holds records that cannot be deleted (%(examples)s). %(reason)s")
                % {"examples": examples, "reason": self.refused_reason},
                messages.ERROR,
            )
            return None
        return delete_selected(self, request, queryset)

    def delete_model(self, request, obj):
        self.delete_queryset(request, type(obj)._default_manager.filter(pk=obj.pk))

    @transaction.atomic
    def delete_queryset(self, request, queryset):
        # Checked again under lock: a record may have moved on (been approved) since the confirmation page.
        locked = queryset.model._default_manager.filter(pk__in=queryset.values("pk")).select_for_update()
        if locked.exclude(self.deletable).exists():
            raise PermissionDenied(self.refused_reason)
        locked.delete()


# The admin under the product's name, not "Django administration", in the user's language.
admin.site.site_header = gettext_lazy("ParkAdmin administration")
admin.site.site_title = gettext_lazy("ParkAdmin administration")
admin.site.index_title = gettext_lazy("Administration")

# DRF's token admin lists every key in full: an administrator could read and use anyone's token. Replaced by one
# that shows their first characters only (importing DRF's admin module above registered it first).
admin.site.unregister(TokenProxy)


@admin.register(ApiToken)
class ApiTokenAdmin(TokenAdmin):
    list_display = ("key_start", "user", "created")

    @admin.display(description=gettext_lazy("key (first characters)"))
    def key_start(self, token: ApiToken) -> str:
        return token.key_start


class AuditLogAdmin(admin.ModelAdmin):
    """An audit log in the admin: read only and append-only for everybody, administrators included (retention goes
    through `manage.py prune_export_log` alone)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ListExport)
class ListExportAdmin(AuditLogAdmin):
    list_display = ("created_at", "user", "list_name", "format", "rows", "filters")
    list_filter = ("format", "list_name")
    search_fields = ("user__username", "list_name", "filters")
    date_hierarchy = "created_at"
    list_select_related = ("user",)


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(AuditLogAdmin):
    """Messages to chat groups, failed ones with their error and next try: for administrators to see (read only)."""

    list_display = ("created", "webhook", "kind", "status", "attempts", "last_error", "next_try", "sent_at")
    list_filter = ("status", "webhook", "kind")
    search_fields = ("text", "key")
