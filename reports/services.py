"""Importing exam results: check a CSV file, show every problem, import only a clean file once.

The file has a header row and the columns student email, exam name, exam date, score (in any
order; header names are matched loosely, e.g. "email" or "Student email"). Dates are YYYY-MM-DD
(or M/D/YYYY); scores are percentages 0-100. A row already imported (same student, exam name and
date) is updated when its score changed and left alone otherwise, so importing a file twice adds nothing.
"""

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from core import locking
from core.errors import ApplicationError
from core.text import single_line
from reports.models import EXAM_NAME_MAX_LENGTH, SCORE_MAX, SCORE_MIN, ExamImport, ExamResult
from reports.spreadsheet import RowProblem, UnreadableCsv, column_positions, decode_csv_upload
from reports.tables import invalidate_report_cache

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_ROWS = 20_000
# A small file can still hold a million columns or one endless line; such a file is refused by
# line number before any field is looked at, so checking it stays quick.
MAX_COLUMNS = 50
MAX_LINE_CHARS = 4_000
COLUMNS = {
    "email": {"email", "studentemail", "emailaddress", "student"},
    "exam_name": {"exam", "examname", "name", "exam title"},
    "exam_date": {"examdate", "date"},
    "score": {"score", "percent", "result"},
}


class ExamImportError(ApplicationError):
    """An exam-results import that cannot go ahead (file unreadable, already imported, ...)."""


@dataclass(frozen=True)
class CheckedRow:
    line: int
    student_id: int
    email: str
    exam_name: str
    exam_date: date
    score: Decimal
    change: str  # "new", "updated" or "unchanged"


@dataclass
class ExamFileCheck:
    rows: list[CheckedRow] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)

    @property
    def is_clean(self) -> bool:
        return not self.problems and bool(self.rows)

    def count(self, change: str) -> int:
        return sum(1 for row in self.rows if row.change == change)


def _overlong_lines(content: str) -> list[RowProblem]:
    # Numbered as csv.reader numbers them (it reads the text line by line at "\n").
    return [
        RowProblem(number, f"Line too long: {len(text):,} characters; a line may have at most {MAX_LINE_CHARS:,}.")
        for number, text in enumerate(content.split("\n"), start=1)
        if len(text) > MAX_LINE_CHARS
    ]


def _parse_date(text: str) -> date:
    for pattern in ("%Y-%m-%d", "%m/%d/%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError


def decode_upload(raw: bytes) -> str:
    try:
        return decode_csv_upload(raw, max_bytes=MAX_FILE_BYTES, needs="result")
    except UnreadableCsv as error:
        raise ExamImportError(str(error)) from error


def check_exam_file(content: str) -> ExamFileCheck:
    """Every problem in the file, by line number, and the rows as they would be imported (3 queries)."""
    check = ExamFileCheck()
    check.problems.extend(_overlong_lines(content))
    if check.problems:
        return check
    reader = csv.reader(io.StringIO(content))
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        check.problems.append(RowProblem(1, "The file is empty: it needs a header row and at least one result."))
        return check
    if len(header) > MAX_COLUMNS:
        check.problems.append(
            RowProblem(reader.line_num, f"Too many columns: the header has {len(header):,}; a file may have at most "
                                        f"{MAX_COLUMNS} (student email, exam name, exam date, score).")  # fmt: skip
        )
        return check
    positions = column_positions(header, COLUMNS)
    missing = [key.replace("_", " ") for key in COLUMNS if key not in positions]
    if missing:
        check.problems.append(
            RowProblem(1, f"Malformed header: missing column(s) {', '.join(missing)} "
                          "(expected: student email, exam name, exam date, score).")  # fmt: skip
        )
        return check

    parsed: list[tuple[int, str, str, date, Decimal]] = []
    seen: dict[tuple[str, str, date], int] = {}
    try:
        for record in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in record):
                continue  # blank lines are harmless
            if len(parsed) + len(check.problems) >= MAX_ROWS:
                check.problems.append(RowProblem(line, f"Too many rows: import at most {MAX_ROWS} at a time."))
                break
            if any("\x00" in cell for cell in record):  # PostgreSQL text cannot hold NUL
                check.problems.append(RowProblem(line, "Malformed row: it contains a NUL character."))
                continue
            if len(record) != len(header):
                check.problems.append(
                    RowProblem(line, f"Malformed row: {len(record)} fields where the header has {len(header)}.")
                )
                continue
            email = record[positions["email"]].strip().lower()
            exam_name = " ".join(single_line(record[positions["exam_name"]]).split())
            date_text = record[positions["exam_date"]].strip()
            score_text = record[positions["score"]].strip()
            if not email or not exam_name:
                check.problems.append(RowProblem(line, "Malformed row: the email and the exam name are required."))
                continue
            if len(exam_name) > EXAM_NAME_MAX_LENGTH:
                check.problems.append(RowProblem(line, f"The exam name is longer than {EXAM_NAME_MAX_LENGTH} characters."))
                continue
            try:
                exam_date = _parse_date(date_text)
            except ValueError:
                check.problems.append(RowProblem(line, f"Bad date {date_text!r}: use YYYY-MM-DD."))
                continue
            try:
                score = Decimal(score_text)
                if not score.is_finite():
                    raise InvalidOperation
            except InvalidOperation:
                check.problems.append(RowProblem(line, f"Score {score_text!r} is not a number."))
                continue
            if not SCORE_MIN <= score <= SCORE_MAX or score != score.quantize(Decimal("0.01")):
                check.problems.append(
                    RowProblem(line, f"Score {score_text} is out of range: use 0 to 100, at most two decimals.")
                )
                continue
            sitting = (email, exam_name, exam_date)
            if sitting in seen:
                check.problems.append(RowProblem(line, f"Duplicate of line {seen[sitting]} (same student, exam and date)."))
                continue
            seen[sitting] = line
            parsed.append((line, email, exam_name, exam_date, score))
    except csv.Error as error:
        check.problems.append(RowProblem(reader.line_num, f"Malformed CSV: {error}."))
        return check

    students = dict(
        User.objects.filter(email__in={p[1] for p in parsed}, is_active=True, deleted_at__isnull=True).values_list(
            "email", "pk"
        )
    )
    existing = {
        (r.student_id, r.exam_name, r.exam_date): r.score
        for r in ExamResult.objects.filter(
            student_id__in=students.values(), exam_name__in={p[2] for p in parsed}
        ).only("student_id", "exam_name", "exam_date", "score")
    }
    for line, email, exam_name, exam_date, score in parsed:
        student_id = students.get(email)
        if student_id is None:
            check.problems.append(RowProblem(line, f"Unknown email {email}: no active account has it."))
            continue
        old = existing.get((student_id, exam_name, exam_date))
        change = "new" if old is None else ("unchanged" if old == score else "updated")
        check.rows.append(CheckedRow(line, student_id, email, exam_name, exam_date, score, change))
    check.problems.sort(key=lambda problem: problem.line)
    if not check.rows and not check.problems:
        check.problems.append(RowProblem(1, "The file has a header but no results."))
    return check


def upload_exam_file(*, uploaded_by: User, filename: str, raw: bytes) -> tuple[ExamImport, ExamFileCheck]:
    """Store an uploaded file for preview (nothing is imported yet) and return its check."""
    content = decode_upload(raw)
    check = check_exam_file(content)
    exam_import = ExamImport(uploaded_by=uploaded_by, filename=single_line(filename)[:255], content=content)
    exam_import.full_clean()
    exam_import.save()
    return exam_import, check


def confirm_exam_import(*, exam_import: ExamImport) -> ExamImport:
    """Import a previewed file, once. Re-checks the file first; refuses if any row is bad now."""
    with transaction.atomic():
        locked = locking.lock(ExamImport.objects.all(), exam_import.pk)
        if locked.status != ExamImport.Status.PREVIEW:
            raise ExamImportError("This file has already been imported.")
        check = check_exam_file(locked.content)
        if not check.is_clean:
            raise ExamImportError("The file has problems; nothing was imported. Fix them and upload it again.")
        now = timezone.now()
        changed = [row for row in check.rows if row.change != "unchanged"]
        ExamResult.objects.bulk_create(
            [
                ExamResult(student_id=row.student_id, exam_name=row.exam_name, exam_date=row.exam_date,
                           score=row.score, imported_at=now, batch=locked)  # fmt: skip
                for row in changed
            ],
            update_conflicts=True,
            unique_fields=["student", "exam_name", "exam_date"],
            update_fields=["score", "imported_at", "batch"],
            batch_size=1000,
        )
        locked.status = ExamImport.Status.IMPORTED
        locked.imported_at = now
        locked.rows_created = check.count("new")
        locked.rows_updated = check.count("updated")
        locked.rows_unchanged = check.count("unchanged")
        locked.save(update_fields=["status", "imported_at", "rows_created", "rows_updated", "rows_unchanged"])
        transaction.on_commit(invalidate_report_cache)
    return locked
