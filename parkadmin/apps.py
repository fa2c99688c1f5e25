from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in
from django.core.signals import got_request_exception
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ParkAdminConfig(AppConfig):
    name = "parkadmin"
    verbose_name = _("ParkAdmin")

    def ready(self) -> None:
        from parkadmin import collation, jobs, middleware, roles

        # Names sort in pinyin order on SQLite as on PostgreSQL (parkadmin.collation).
        connection_created.connect(collation.register_sqlite_collation, dispatch_uid="parkadmin.pinyin")

        # A sign-in's clocks start at login, however it happens (form, admin, test client).
        user_logged_in.connect(middleware.session_started, dispatch_uid="parkadmin.session_started")
        # A request that failed for want of the database is answered 503, not 500.
        got_request_exception.connect(middleware.note_database_failure, dispatch_uid="parkadmin.database_failure")

        # Permissions of models added after the roles migration reach their groups on the next migrate.
        post_migrate.connect(roles.sync_after_migrate, sender=self)
        # The default schedules of background jobs (reminders, clean-ups), created again if deleted.
        post_migrate.connect(jobs.ensure_schedules, sender=self, dispatch_uid="parkadmin.schedules")
