"""Celery tasks of the teaching record: thin wrappers around teaching.services."""

from celery import shared_task


@shared_task(ignore_result=True)
def award_teaching_milestones() -> None:
    """Run by Celery beat (CELERY_BEAT_SCHEDULE): email each mentor once per threshold reached."""
    from teaching.services import award_all_milestones

    award_all_milestones()
