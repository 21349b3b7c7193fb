"""Import the roster from a file, or from the newest CSV file in a folder (the nightly drop of the
student information system). The same checks and import as the page; every change is logged."""

import logging
from collections.abc import Callable
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from roster.models import RosterImport
from roster.services import RosterImportError, check_roster, run_roster_import, upload_roster


class _CommandOutput(logging.Handler):
    def __init__(self, write: Callable[[str], object]) -> None:
        super().__init__(logging.INFO)
        self.write = write

    def emit(self, record: logging.LogRecord) -> None:
        self.write(record.getMessage())


def newest_csv(path: Path) -> Path:
    if path.is_file():
        return path
    if not path.is_dir():
        raise CommandError(f"{path} is neither a file nor a folder.")
    files = sorted((p for p in path.iterdir() if p.is_file() and p.suffix.lower() == ".csv"),
                   key=lambda p: p.stat().st_mtime)  # fmt: skip
    if not files:
        raise CommandError(f"No .csv file in {path}.")
    return files[-1]


class Command(BaseCommand):
    help = "Import a roster CSV (a file, or the newest .csv in a folder), as the roster page does."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="A roster CSV file, or a folder: its newest .csv file is imported.")
        parser.add_argument(
            "--full", action="store_true",
            help="The file is the full roster: deactivate active students missing from it.",
        )  # fmt: skip
        parser.add_argument(
            "--max-deactivations", type=int, default=25,
            help="With --full, refuse the file if it would deactivate more students than this (default 25): "
                 "a truncated export must not deactivate the whole school.",
        )  # fmt: skip
        parser.add_argument(
            "--apply-admin-changes", action="store_true",
            help="Also change program admins' roles as the file says (by default they are kept, and logged).",
        )  # fmt: skip

    def handle(self, *args: object, path: Path, full: bool, max_deactivations: int, apply_admin_changes: bool, **options: object) -> None:
        file = newest_csv(path)
        try:
            raw = file.read_bytes()
            pending = upload_roster(uploaded_by=None, filename=file.name, raw=raw, full_roster=full,
                                    source=RosterImport.Source.COMMAND)  # fmt: skip
        except (OSError, RosterImportError) as error:
            raise CommandError(f"{file}: {error}") from error
        check = check_roster(pending.content, full_roster=full, apply_admin_changes=apply_admin_changes)
        if not check.is_clean:
            pending.delete()
            lines = "\n".join(f"  line {p.line}: {p.reason}" for p in check.problems[:100])
            raise CommandError(f"{file}: {len(check.problems)} row(s) with problems; nothing imported.\n{lines}")
        if len(check.departures) > max_deactivations:
            pending.delete()
            raise CommandError(
                f"{file}: the full roster would deactivate {len(check.departures)} students, more than "
                f"--max-deactivations={max_deactivations}; nothing imported."
            )
        pending.status = RosterImport.Status.QUEUED
        pending.confirmed_deactivations = len(check.departures)
        pending.apply_admin_changes = apply_admin_changes
        pending.save(update_fields=["status", "confirmed_deactivations", "apply_admin_changes"])

        handler = _CommandOutput(self.stdout.write)
        roster_logger = logging.getLogger("roster")
        roster_logger.addHandler(handler)
        previous = roster_logger.level, roster_logger.propagate
        # Every change goes to stdout (the cron job's log), once, whatever LOG_LEVEL says.
        roster_logger.setLevel(logging.INFO)
        roster_logger.propagate = False
        try:
            done = run_roster_import(roster_import_id=pending.pk)
        finally:
            roster_logger.removeHandler(handler)
            roster_logger.setLevel(previous[0])
            roster_logger.propagate = previous[1]
        if done.status != RosterImport.Status.IMPORTED:
            raise CommandError(f"{file}: {done.error}")
