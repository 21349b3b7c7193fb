from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Impact reports"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from reports import rules  # noqa: F401 - registers the research export's rule
        from reports.aggregates import install_sqlite_median

        # SQLite has no median; give every SQLite connection one so the report aggregates in SQL there too.
        connection_created.connect(install_sqlite_median, dispatch_uid="reports_sqlite_median")
