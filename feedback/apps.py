from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "feedback"
    verbose_name = "Feedback: the session survey and confidence before and after"

    def ready(self) -> None:
        from feedback import rules  # noqa: F401 - registers the rules
