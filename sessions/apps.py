from django.apps import AppConfig


class ReviewSessionsConfig(AppConfig):
    # Django's own django.contrib.sessions owns the label "sessions".
    name = "sessions"
    label = "review_sessions"
    verbose_name = "Review sessions"

    def ready(self) -> None:
        from sessions import reminders, rules  # noqa: F401 - registers the rules and the outbox signal receivers
