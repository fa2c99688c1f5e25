from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "indicators"
    verbose_name = _("Indicators")

    def ready(self) -> None:
        from indicators import registry

        registry.discover()
        # Every computed indicator an app declares gets its Indicator row.
        post_migrate.connect(registry.sync_after_migrate, sender=self)
