from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ParkAdminConfig(AppConfig):
    name = "parkadmin"
    verbose_name = _("ParkAdmin")

    def ready(self) -> None:
        from parkadmin import roles

        # Permissions of models added after the roles migration reach their groups on the next migrate.
        post_migrate.connect(roles.sync_after_migrate, sender=self)
