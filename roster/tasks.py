"""Celery tasks of the roster import: thin wrappers that call services."""

from celery import shared_task


@shared_task
def import_roster(roster_import_id: int) -> None:
    from roster.services import run_roster_import

    run_roster_import(roster_import_id=roster_import_id)
