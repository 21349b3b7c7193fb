"""Recompute the report's per-session tally from the raw bookings, attendance and ratings."""

from typing import Any

from django.core.management.base import BaseCommand

from reports.tally import install_tally_triggers, rebuild_session_tally


class Command(BaseCommand):
    help = (
        "Rebuild reports.SessionTally from the raw tables (after a bulk load with the triggers off, or a "
        "restore) and make sure its triggers are installed. Safe while the site runs: writers wait for it."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        install_tally_triggers()
        written = rebuild_session_tally()
        self.stdout.write(f"Rebuilt the report tally: {written} sessions.")
