"""Celery tasks of the outbox: thin wrappers around notifications.services."""

from datetime import datetime

from celery import shared_task

from notifications import services


@shared_task(ignore_result=True)
def deliver_email(email_id: int) -> None:
    """Deliver one email; after a failure, publish the next attempt for the time deliver() recorded.

    The schedule lives in the database (`next_attempt_at`), not in Celery's retry count, so the
    task, the row and the dispatcher's sweep agree on when the next attempt is.
    """
    try:
        services.deliver(email_id)
    except Exception:  # noqa: BLE001 - deliver() recorded and logged the failure
        services.publish_deliveries([email_id])


@shared_task(ignore_result=True)
def requeue_after_reconnect(connected_at: str) -> None:
    """Published by each worker whenever it (re)connects to the broker (config/celery.py)."""
    services.requeue_after_reconnect(connected_at=datetime.fromisoformat(connected_at))


@shared_task(ignore_result=True)
def deliver_emails(email_ids: list[int]) -> None:
    """Deliver a batch of queued emails (bulk imports: one task per batch, not per email).

    A failed send is retried alone by deliver_email with backoff; if this worker dies part-way,
    the emails not yet sent stay queued and the dispatcher's sweep publishes them again."""
    for email_id in email_ids:
        try:
            services.deliver(email_id)
        except Exception:  # noqa: BLE001 - deliver recorded the error; retry this one with backoff
            services.publish_deliveries([email_id])
