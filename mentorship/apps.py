from django.apps import AppConfig


class MentorshipConfig(AppConfig):
    name = "mentorship"
    verbose_name = "Mentorship and matching"

    def ready(self) -> None:
        from mentorship import rules  # noqa: F401 - registers the matching rules
