from django.apps import AppConfig


class ReviewSessionsConfig(AppConfig):
    # Django's own django.contrib.sessions owns the label "sessions".
    name = "sessions"
    label = "review_sessions"
    verbose_name = "Review sessions"
