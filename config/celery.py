import os
from typing import Any

from celery import Celery
from celery.signals import beat_init, task_postrun, task_prerun, worker_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("mentorship")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@task_prerun.connect
@task_postrun.connect
def close_old_connections(**kwargs: Any) -> None:
    """Treat each task like a request: keep the database connection for CONN_MAX_AGE seconds and
    drop it if it broke (CONN_HEALTH_CHECKS), instead of Celery's reconnect for every task
    (turned off by CELERY_DB_REUSE_MAX in settings)."""
    if getattr(kwargs.get("task") and kwargs["task"].request, "is_eager", False):
        return  # an eager task runs inside the caller's request or test, on its connection
    from django.db import close_old_connections as close_old

    close_old()


@worker_init.connect
@beat_init.connect
def refuse_to_start_without_a_secret_key(**kwargs: object) -> None:
    from config.startup import prepare_local_folders, require_secret_key

    require_secret_key()
    prepare_local_folders()
