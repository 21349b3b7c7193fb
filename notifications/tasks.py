"""Celery tasks: thin wrappers around notifications.services."""

from celery import shared_task

from notifications import services


@shared_task(bind=True, max_retries=services.MAX_ATTEMPTS - 1, ignore_result=True)
def deliver_email(self, email_id: int) -> None:
    try:
        services.deliver(email_id)
    except Exception as exc:
        raise self.retry(exc=exc, countdown=services.retry_delay(self.request.retries + 1)) from exc


@shared_task(ignore_result=True)
def send_reminder(reminder_id: int) -> None:
    services.prepare_reminder_email(reminder_id=reminder_id)


@shared_task(ignore_result=True)
def dispatch_reminders() -> None:
    """Run by Celery beat every minute (CELERY_BEAT_SCHEDULE)."""
    services.dispatch_due_reminders()


@shared_task(ignore_result=True)
def send_weekly_digests() -> None:
    """Run by Celery beat hourly; sends once per admin and week, from Monday morning on."""
    services.send_weekly_digests()
