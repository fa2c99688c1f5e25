from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = _("Investment projects")

    def ready(self):
        from projects import reminders
        from projects.analytics import CACHE
        from projects.timing import MEDIANS_CACHE

        # Every process moves the pipeline figures' and the medians' caches on at a write of what they read.
        CACHE.connect()
        MEDIANS_CACHE.connect()
        reminders.register_reminders()
