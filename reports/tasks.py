"""Celery tasks of the reports: thin wrappers."""

from celery import shared_task


@shared_task(ignore_result=True)
def send_weekly_digests() -> None:
    """Run by Celery beat hourly; sends once per admin and week, from Monday morning on."""
    from reports import digest

    digest.send_weekly_digests()
