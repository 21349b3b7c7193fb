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
def deliver_emails(email_ids: list[int]) -> None:
    """Deliver a batch of queued emails (bulk imports: one task per batch, not per email).

    A failed send is retried alone by deliver_email with backoff; if this worker dies part-way,
    the emails not yet sent stay queued and the dispatcher's sweep publishes them again."""
    for email_id in email_ids:
        try:
            services.deliver(email_id)
        except Exception:  # noqa: BLE001 - deliver recorded the error; retry this one with backoff
            deliver_email.apply_async((email_id,), countdown=services.retry_delay(1))


@shared_task(ignore_result=True)
def send_reminder(reminder_id: int) -> None:
    """Render the reminder's email and deliver it in the same task (one hop, not two).

    A failed send is retried by deliver_email with backoff; if this worker dies in between,
    the dispatcher's sweep publishes the email again (it stays queued).
    """
    email = services.prepare_reminder_email(reminder_id=reminder_id, claim=True)
    if email is None:
        return
    try:
        services.deliver_claimed(email, reminder=email.reminder)
    except Exception:  # noqa: BLE001 - deliver recorded the error; retry with backoff
        deliver_email.apply_async((email.pk,), countdown=services.retry_delay(1))


@shared_task(ignore_result=True)
def dispatch_reminders() -> None:
    """Run by Celery beat every minute (CELERY_BEAT_SCHEDULE)."""
    services.dispatch_due_reminders()


@shared_task(ignore_result=True)
def send_weekly_digests() -> None:
    """Run by Celery beat hourly; sends once per admin and week, from Monday morning on."""
    services.send_weekly_digests()
