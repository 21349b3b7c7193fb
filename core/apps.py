from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The shared building blocks; an app only for its migration (the shared cache table)."""

    name = "core"
    verbose_name = "Platform core"
