from django.apps import AppConfig


class TeachingConfig(AppConfig):
    name = "teaching"
    verbose_name = "Teaching record, certificates and mentor readiness"

    def ready(self) -> None:
        from teaching import rules  # noqa: F401  (registers the permission rules)
