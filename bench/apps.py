from django.apps import AppConfig


class BenchConfig(AppConfig):
    """The benchmark (`manage.py bench`): its scenarios, measurements and command, no models."""

    name = "bench"
