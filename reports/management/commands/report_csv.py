"""Write the impact report for a term (or dates) as CSV files, one per table, for the office's archive;
with --pdf also the one-page summary PDF (the same file the report page links to)."""

from argparse import ArgumentParser
from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from reports.pdf import summary_document, summary_pdf
from reports.periods import parse_term
from reports.selectors import ReportFilters
from reports.tables import build_tables


class Command(BaseCommand):
    help = (
        "Write the impact report as CSV files (and with --pdf the one-page summary PDF): "
        "--term current|previous|YYYY-1|YYYY-2, or --from/--to dates."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--term", help="current, previous, or YYYY-1 / YYYY-2 (academic year start, half)")
        parser.add_argument("--from", dest="start", help="first day, YYYY-MM-DD")
        parser.add_argument("--to", dest="end", help="last day (included), YYYY-MM-DD")
        parser.add_argument("--subject", type=int, help="subject id")
        parser.add_argument("--mentor", type=int, help="mentor user id")
        parser.add_argument("--class-year", type=int, choices=[1, 2, 3, 4], help="mentee class year")
        parser.add_argument("--out", default="reports-out", help="folder to write into (created if missing)")
        parser.add_argument("--pdf", action="store_true", help="also write <name>-summary.pdf, the one-page summary")

    def handle(
        self, *args: str, term: str | None, start: str | None, end: str | None, subject: int | None,
        mentor: int | None, class_year: int | None, out: str, pdf: bool = False, **options: object,
    ) -> None:
        if term and (start or end):
            raise CommandError("Give either --term or --from/--to, not both.")
        try:
            if term:
                chosen = parse_term(term)
                start_day, end_day, name = chosen.start, chosen.end, chosen.code
            elif start and end:
                start_day, end_day = date.fromisoformat(start), date.fromisoformat(end)
                name = f"{start_day:%Y%m%d}-{end_day:%Y%m%d}"
            else:
                chosen = parse_term("current")
                start_day, end_day, name = chosen.start, chosen.end, chosen.code
        except ValueError as error:
            raise CommandError(str(error)) from error
        if end_day < start_day:
            raise CommandError("--to is before --from.")
        filters = ReportFilters(
            start=start_day, end=end_day, subject_id=subject, mentor_id=mentor, class_year=class_year
        )
        folder = Path(out)
        folder.mkdir(parents=True, exist_ok=True)
        tables = build_tables(filters)
        for key, table in tables.items():
            path = folder / f"{name}-{key}.csv"
            path.write_text(table.to_csv(), encoding="utf-8")
            self.stdout.write(f"wrote {path} ({len(table.rows)} rows)")
        if pdf:
            document = summary_document(
                program_name=settings.PROGRAM_NAME, tables=tables, computed_at=filters.now,
                minimum_group=settings.REPORT_MIN_GROUP_SIZE,
            )  # fmt: skip
            path = folder / f"{name}-summary.pdf"
            path.write_bytes(summary_pdf(document))
            self.stdout.write(f"wrote {path} (one page)")
        self.stdout.write(self.style.SUCCESS(f"Report {start_day} to {end_day} written to {folder}/"))
