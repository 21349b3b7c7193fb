"""Celery tasks of review sessions: thin wrappers around sessions.reminders."""

from datetime import datetime

from celery import shared_task


@shared_task(ignore_result=True)
def send_reminders(reminder_ids: list[int]) -> None:
    """Render a batch of reminders' emails and deliver them in the same task (one hop, not two).

    A failed send is retried by the outbox's deliver_email on the same schedule; if this worker
    dies in between, the reconnect sweeps and the dispatcher publish them again.
    """
    from sessions import reminder_emails

    reminder_emails.send_reminder_batch(reminder_ids)


@shared_task(ignore_result=True)
def send_reminder(reminder_id: int) -> None:
    """One reminder: kept for messages published before send_reminders existed."""
    from sessions import reminder_emails

    reminder_emails.send_reminder_batch([reminder_id])


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
