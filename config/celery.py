import os
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from celery import Celery, bootsteps
from celery.signals import beat_init, task_postrun, task_prerun, worker_init

if TYPE_CHECKING:
    from celery.worker.consumer import Consumer

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("mentorship")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


class RequeueAfterBrokerConnection(bootsteps.StartStopStep):
    """Each time the worker connects to the broker (its start, and its return after an outage,
    when Celery restarts the consumer), publish the sweeps of the outbox and of the reminders:
    messages published before may have been lost with the broker or with a worker that died
    (notifications.services.requeue_after_reconnect, sessions.reminders.republish_after_reconnect).
    The sweeps queue behind them, so they see only what was lost."""

    requires = ("celery.worker.consumer.tasks:Tasks",)

    def start(self, c: "Consumer") -> None:
        connected_at = datetime.now(UTC).isoformat()
        for task in ("notifications.tasks.requeue_after_reconnect", "sessions.tasks.republish_reminders_after_reconnect"):
            c.app.send_task(task, kwargs={"connected_at": connected_at})


app.steps["consumer"].add(RequeueAfterBrokerConnection)


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
