from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "indicators"
    verbose_name = _("Indicators")

    def ready(self) -> None:
        from indicators import reminders, selectors, services
        from parkadmin import computed, targets

        computed.discover()
        reminders.register_reminders()
        # Apps that may not import this one read the year's targets through the shared machinery.
        targets.register_target_provider(selectors.targets_by_park)
        # Every computed indicator an app declares gets its Indicator row.
        post_migrate.connect(services.sync_after_migrate, sender=self)
