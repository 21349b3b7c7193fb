"""Celery tasks: thin wrappers around notifications.services."""

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
def send_reminder(reminder_id: int) -> None:
    """Render the reminder's email and deliver it in the same task (one hop, not two).

    A failed send is retried by deliver_email on the same schedule; if this worker dies in
    between, the sweep publishes the email again (it stays queued).
    """
    email = services.prepare_reminder_email(reminder_id=reminder_id, claim=True)
    if email is None:
        return
    try:
        services.deliver_claimed(email, reminder=email.reminder)
    except Exception:  # noqa: BLE001 - deliver_claimed recorded and logged the failure
        services.publish_deliveries([email.pk])


@shared_task(ignore_result=True)
def requeue_after_reconnect(connected_at: str) -> None:
    """Published by each worker whenever it (re)connects to the broker (mentorship/celery.py)."""
    services.requeue_after_reconnect(connected_at=datetime.fromisoformat(connected_at))


@shared_task(ignore_result=True)
def dispatch_reminders() -> None:
    """Run by Celery beat every minute (CELERY_BEAT_SCHEDULE)."""
    services.dispatch_due_reminders()


@shared_task(ignore_result=True)
def send_weekly_digests() -> None:
    """Run by Celery beat hourly; sends once per admin and week, from Monday morning on."""
    services.send_weekly_digests()
