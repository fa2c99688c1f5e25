from simple_history.admin import SimpleHistoryAdmin

from parkadmin.locking import save_versioned


class VersionedAdmin(SimpleHistoryAdmin):
    """Admin for versioned models: a save in the admin moves the version on, so older open forms go stale."""

    def save_model(self, request, obj, form, change):
        if change:
            save_versioned(obj, expected_version=obj.version)
        else:
            obj.save()
