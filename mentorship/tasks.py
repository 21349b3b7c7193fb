"""Celery tasks of the matching domain: thin wrappers that call services."""

from celery import shared_task

from mentorship import services


@shared_task
def compute_matching_round(round_id: int) -> None:
    services.compute_round(round_id=round_id)


@shared_task
def expire_mentorship_requests() -> int:
    return services.expire_overdue_requests()
