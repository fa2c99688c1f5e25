"""django-axes (the login lockout) under a name in the user's language: its own AppConfig has none (the admin
shows "Axes"). Kept out of parkadmin/apps.py, whose single AppConfig Django picks as the app's own."""

from axes.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AxesConfig(AppConfig):
    verbose_name = _("Login protection")
