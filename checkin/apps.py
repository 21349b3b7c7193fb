from django.apps import AppConfig


class CheckinConfig(AppConfig):
    name = "checkin"
    verbose_name = "Check-in at the session"

    def ready(self) -> None:
        from checkin import rules  # noqa: F401 - registers the rules
