from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo zone and the benchmark's synthetic zone: data and commands, no models."""

    name = "demo"
