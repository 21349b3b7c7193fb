from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Impact reports"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created
        from django.db.models.signals import post_migrate

        from reports import rules  # noqa: F401 - registers the research export's rule
        from reports.aggregates import install_sqlite_median

        # SQLite has no median; give every SQLite connection one so the report aggregates in SQL there too.
        connection_created.connect(install_sqlite_median, dispatch_uid="reports_sqlite_median")
        from reports.tally import reinstall_tally_triggers

        post_migrate.connect(reinstall_tally_triggers, sender=self, dispatch_uid="reports_tally_triggers")
