"""The one API router: each installed app that has an `api/urls.py` contributes its router's routes, in the order
of INSTALLED_APPS. Found by name, as the admin finds `admin.py`, so the shared machinery imports no app."""

from importlib import import_module

from django.apps import apps
from django.utils.module_loading import module_has_submodule
from rest_framework.routers import DefaultRouter

router = DefaultRouter()
for app_config in apps.get_app_configs():
    if module_has_submodule(app_config.module, "api") and module_has_submodule(
        import_module(f"{app_config.name}.api"), "urls"
    ):
        router.registry.extend(import_module(f"{app_config.name}.api.urls").router.registry)
