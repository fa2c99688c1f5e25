from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = _("Investment projects")

    def ready(self):
        from projects.analytics import CACHE

        CACHE.connect()  # every process moves the pipeline figures' cache on at a write of what they read
