from django.apps import AppConfig


class ProgramConfig(AppConfig):
    name = "program"
    verbose_name = "Program: calendar, exams and rules"

    def ready(self) -> None:
        from program import rules  # noqa: F401 - registers the permission rules
