from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    name = "dashboard"
    verbose_name = _("Dashboard")

    def ready(self) -> None:
        from dashboard import cache

        # Any write to what the dashboard reads makes its cached figures stale, in every process.
        cache.connect()
