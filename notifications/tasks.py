from celery import shared_task

from notifications import services


@shared_task(bind=True, max_retries=services.MAX_ATTEMPTS - 1, ignore_result=True)
def deliver_email(self, email_id: int) -> None:
    try:
        services.deliver(email_id)
    except Exception as exc:
        raise self.retry(exc=exc, countdown=min(30 * 2**self.request.retries, 900)) from exc
