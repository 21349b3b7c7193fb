"""Celery tasks of review sessions: thin wrappers around sessions.reminders."""

from datetime import datetime

from celery import shared_task


@shared_task(ignore_result=True)
def send_reminder(reminder_id: int) -> None:
    """Render the reminder's email and deliver it in the same task (one hop, not two).

    A failed send is retried by the outbox's deliver_email on the same schedule; if this worker
    dies in between, the outbox's sweep publishes the email again (it stays queued).
    """
    from notifications import services as outbox
    from sessions import reminders

    email = reminders.prepare_reminder_email(reminder_id=reminder_id, claim=True)
    if email is None:
        return
    try:
        outbox.deliver_claimed(email)
    except Exception:  # noqa: BLE001 - deliver_claimed recorded and logged the failure
        outbox.publish_deliveries([email.pk])


@shared_task(ignore_result=True)
def dispatch_reminders() -> None:
    """Run by Celery beat every minute (CELERY_BEAT_SCHEDULE)."""
    from sessions import reminders

    reminders.dispatch_due_reminders()


@shared_task(ignore_result=True)
def republish_reminders_after_reconnect(connected_at: str) -> None:
    """Published by each worker whenever it (re)connects to the broker (config/celery.py)."""
    from sessions import reminders

    reminders.republish_after_reconnect(connected_at=datetime.fromisoformat(connected_at))


@shared_task(ignore_result=True)
def expire_waitlist_offers() -> None:
    """Run by Celery beat every minute: offers past their deadline pass to the next in line."""
    from sessions import services

    services.expire_waitlist_offers()
