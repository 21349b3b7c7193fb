from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The shared building blocks: the shared cache table's migration, and the write watcher that
    moves the kept pages' data version (core.page_cache) on every database connection."""

    name = "core"
    verbose_name = "Platform core"

    def ready(self) -> None:
        from celery.signals import task_postrun
        from django.core.signals import request_finished
        from django.db.backends.signals import connection_created
        from django.db.models.signals import post_migrate, pre_migrate

        from core.page_cache import migrated, migrating, settle_due_bumps, watch_open_connections, watch_writes

        def settle(*args: object, **kwargs: object) -> None:
            settle_due_bumps()

        request_finished.connect(settle, weak=False, dispatch_uid="core.page_cache.settle_request")
        task_postrun.connect(settle, weak=False, dispatch_uid="core.page_cache.settle_task")
        connection_created.connect(watch_writes, dispatch_uid="core.page_cache.watch_writes")
        pre_migrate.connect(migrating, dispatch_uid="core.page_cache.migrating")
        post_migrate.connect(migrated, dispatch_uid="core.page_cache.migrated")
        watch_open_connections()
