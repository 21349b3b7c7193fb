"""Importing exam results: check a CSV file, show every problem, import only a clean file once.

Two shapes of file, both with a header row (columns in any order, names matched loosely):

- An exam chosen from the catalogue on the upload form: columns student email and score (or
  "result"). The value is read on that exam's scale: a percentage 0-100 (at most two decimals),
  a whole number in a scaled exam's range, or "Pass"/"Fail" for a pass/fail exam.
- No exam chosen (the format before the catalogue): columns student email, exam name, exam date,
  score. Each (name, date) is matched to the catalogue exam of that name (case-insensitive) whose
  first day is that date, and read on its scale; a pair the catalogue does not have becomes a new
  percent block exam when the file is imported (the preview says so).

Dates are YYYY-MM-DD (or M/D/YYYY). A row already imported (same student and exam) is updated
when its result changed and left alone otherwise, so importing a file twice adds nothing.
"""

import csv
import io
import logging
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from core import locking
from core.errors import ApplicationError, clean_or_refuse
from core.text import single_line
from notifications.services import queue_many_emails, render_email
from program.models import NAME_MAX_LENGTH as EXAM_NAME_MAX_LENGTH
from program.models import Exam
from reports.models import SCORE_MAX, SCORE_MIN, ExamImport, ExamResult, OutreachInvitation
from reports.periods import program_zone
from reports.spreadsheet import (
    FileCheck,
    RowProblem,
    UnreadableCsv,
    column_positions,
    data_records,
    decode_csv_upload,
)
from reports.tables import invalidate_report_cache
from subjects.models import Subject

logger = logging.getLogger(__name__)

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
    "score": {"score", "percent", "result", "scaledscore", "passfail"},
}
COLUMNS_FOR_ONE_EXAM = {key: COLUMNS[key] for key in ("email", "score")}
PASS_WORDS = {"pass": True, "p": True, "passed": True, "fail": False, "f": False, "failed": False}


class ExamImportError(ApplicationError):
    """An exam-results import that cannot go ahead (file unreadable, already imported, ...)."""


class ResultMismatch(ExamImportError):
    """A value that is not a result on the exam's scale; the message says what the exam takes (one line)."""


@dataclass(frozen=True)
class ExamRef:
    """The exam a row is for: a catalogue exam (`exam_id`), or a new percent exam to create."""

    name: str
    first_day: date
    exam_id: int | None
    scale: str = Exam.Scale.PERCENT
    scale_min: int | None = None
    scale_max: int | None = None

    @property
    def is_new(self) -> bool:
        return self.exam_id is None


@dataclass(frozen=True)
class CheckedRow:
    line: int
    student_id: int
    email: str
    exam: ExamRef
    score: Decimal | None
    passed: bool | None
    change: str  # "new", "updated" or "unchanged"

    @property
    def result(self) -> str:
        if self.passed is not None:
            return "Pass" if self.passed else "Fail"
        return str(self.score)


@dataclass
class ExamFileCheck(FileCheck):
    rows: list[CheckedRow] = field(default_factory=list)

    def new_exams(self) -> list[ExamRef]:
        return sorted({row.exam for row in self.rows if row.exam.is_new}, key=lambda ref: (ref.first_day, ref.name))


def _ref(exam: Exam) -> ExamRef:
    return ExamRef(exam.name, exam.first_day, exam.pk, exam.scale, exam.scale_min, exam.scale_max)


def parse_result(text: str, exam: ExamRef) -> tuple[Decimal | None, bool | None]:
    """(score, passed) for `text` on `exam`'s scale, or ResultMismatch saying what the exam takes."""
    word = PASS_WORDS.get(text.strip().lower())
    if exam.scale == Exam.Scale.PASS_FAIL:
        if word is None:
            raise ResultMismatch(f"{text!r} is not a pass/fail result: {exam.name} is pass/fail, write Pass or Fail.")
        return None, word
    if exam.scale == Exam.Scale.SCALED:
        takes = f"{exam.name} is a scaled score from {exam.scale_min} to {exam.scale_max}"
    else:
        takes = f"{exam.name} is a percent score from 0 to 100"
    if word is not None:
        raise ResultMismatch(f"{text!r} is a pass/fail result, but {takes}.")
    try:
        score = Decimal(text)
        if not score.is_finite():
            raise InvalidOperation
    except InvalidOperation:
        raise ResultMismatch(f"Score {text!r} is not a number ({takes}).") from None
    if exam.scale == Exam.Scale.SCALED:
        assert exam.scale_min is not None and exam.scale_max is not None  # the exam_scaled_has_range constraint
        if score != score.to_integral_value():
            raise ResultMismatch(f"Score {text} is not a whole number: {takes}.")
        if not exam.scale_min <= score <= exam.scale_max:
            raise ResultMismatch(f"Score {text} is out of range: {takes}.")
        return score.quantize(Decimal("1")), None
    if not SCORE_MIN <= score <= SCORE_MAX or score != score.quantize(Decimal("0.01")):
        raise ResultMismatch(f"Score {text} is out of range: use 0 to 100, at most two decimals.")
    return score, None


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


def _catalogue_refs(pairs: set[tuple[str, date]]) -> dict[tuple[str, date], ExamRef]:
    """(name lower-cased, day) -> the catalogue exam, or a new percent exam (one query)."""
    days = {day for _, day in pairs}
    found = {(e.name.lower(), e.first_day): _ref(e) for e in Exam.objects.filter(first_day__in=days)}
    return {
        (name.lower(), day): found.get((name.lower(), day), ExamRef(name, day, None)) for name, day in pairs
    }


def check_exam_file(content: str, exam: Exam | None = None) -> ExamFileCheck:
    """Every problem in the file, by line number, and the rows as they would be imported (4 queries).

    With `exam` the file holds that exam's results (student email and score columns); without,
    each row names its exam and date (see the module docstring)."""
    columns = COLUMNS if exam is None else COLUMNS_FOR_ONE_EXAM
    expected = ", ".join(key.replace("_", " ") for key in columns).replace("email", "student email")
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
                                        f"{MAX_COLUMNS} ({expected}).")  # fmt: skip
        )
        return check
    positions = column_positions(header, columns)
    missing = [key.replace("_", " ") for key in columns if key not in positions]
    if missing:
        check.problems.append(
            RowProblem(1, f"Malformed header: missing column(s) {', '.join(missing)} (expected: {expected}).")
        )
        return check

    parsed: list[tuple[int, str, tuple[str, date], str]] = []
    seen: dict[tuple[str, str, date], int] = {}
    one_exam = (exam.name, exam.first_day) if exam is not None else None
    try:
        for line, record in data_records(reader, header, check.problems, max_rows=MAX_ROWS):
            if any("\x00" in cell for cell in record):  # PostgreSQL text cannot hold NUL
                check.problems.append(RowProblem(line, "Malformed row: it contains a NUL character."))
                continue
            email = record[positions["email"]].strip().lower()
            score_text = record[positions["score"]].strip()
            if one_exam is not None:
                if not email:
                    check.problems.append(RowProblem(line, "Malformed row: the email is required."))
                    continue
                sitting = one_exam
            else:
                exam_name = " ".join(single_line(record[positions["exam_name"]]).split())
                date_text = record[positions["exam_date"]].strip()
                if not email or not exam_name:
                    check.problems.append(RowProblem(line, "Malformed row: the email and the exam name are required."))
                    continue
                if len(exam_name) > EXAM_NAME_MAX_LENGTH:
                    check.problems.append(
                        RowProblem(line, f"The exam name is longer than {EXAM_NAME_MAX_LENGTH} characters.")
                    )
                    continue
                try:
                    sitting = (exam_name, _parse_date(date_text))
                except ValueError:
                    check.problems.append(RowProblem(line, f"Bad date {date_text!r}: use YYYY-MM-DD."))
                    continue
            parsed.append((line, email, sitting, score_text))
    except csv.Error as error:
        check.problems.append(RowProblem(reader.line_num, f"Malformed CSV: {error}."))
        return check

    refs = (
        {(exam.name.lower(), exam.first_day): _ref(exam)}
        if exam is not None
        else _catalogue_refs({sitting for _, _, sitting, _ in parsed})
    )
    students = dict(
        User.objects.filter(email__in={p[1] for p in parsed}, is_active=True, deleted_at__isnull=True).values_list(
            "email", "pk"
        )
    )
    known_ids = {ref.exam_id for ref in refs.values() if ref.exam_id is not None}
    existing = {
        (r.student_id, r.exam_id): (r.score, r.passed)
        for r in ExamResult.objects.filter(student_id__in=students.values(), exam_id__in=known_ids).only(
            "student_id", "exam_id", "score", "passed"
        )
    }
    for line, email, (name, day), score_text in parsed:
        ref = refs[(name.lower(), day)]
        try:
            score, passed = parse_result(score_text, ref)
        except ResultMismatch as mismatch:
            check.problems.append(RowProblem(line, str(mismatch)))
            continue
        key = (email, name.lower(), day)
        if key in seen:
            check.problems.append(RowProblem(line, f"Duplicate of line {seen[key]} (same student, exam and date)."))
            continue
        seen[key] = line
        student_id = students.get(email)
        if student_id is None:
            check.problems.append(RowProblem(line, f"Unknown email {email}: no active account has it."))
            continue
        old = existing.get((student_id, ref.exam_id)) if ref.exam_id is not None else None
        change = "new" if old is None else ("unchanged" if old == (score, passed) else "updated")
        check.rows.append(CheckedRow(line, student_id, email, ref, score, passed, change))
    check.problems.sort(key=lambda problem: problem.line)
    if not check.rows and not check.problems:
        check.problems.append(RowProblem(1, "The file has a header but no results."))
    return check


def upload_exam_file(
    *, uploaded_by: User, filename: str, raw: bytes, exam: Exam | None = None
) -> tuple[ExamImport, ExamFileCheck]:
    """Store an uploaded file for preview (nothing is imported yet) and return its check.

    `exam`: the catalogue exam the file's results are for; None for a file naming its exams."""
    content = decode_upload(raw)
    check = check_exam_file(content, exam)
    exam_import = ExamImport(
        uploaded_by=uploaded_by, filename=single_line(filename)[:255], content=content, exam=exam
    )
    clean_or_refuse(exam_import, ExamImportError)
    exam_import.save()
    return exam_import, check


def _exam_ids(check: ExamFileCheck) -> dict[ExamRef, int]:
    """Every row's exam id, creating the percent block exams the catalogue did not have."""
    ids: dict[ExamRef, int] = {}
    for ref in {row.exam for row in check.rows}:
        if ref.exam_id is not None:
            ids[ref] = ref.exam_id
            continue
        exam = Exam.objects.filter(name__iexact=ref.name, first_day=ref.first_day).first()
        if exam is None:
            exam = Exam(name=ref.name, first_day=ref.first_day, last_day=ref.first_day,
                        kind=Exam.Kind.BLOCK, scale=Exam.Scale.PERCENT)  # fmt: skip
            clean_or_refuse(exam, ExamImportError)
            exam.save()
        ids[ref] = exam.pk
    return ids


def confirm_exam_import(*, exam_import: ExamImport) -> ExamImport:
    """Import a previewed file, once. Re-checks the file first; refuses if any row is bad now."""
    with transaction.atomic():
        locked = locking.lock(ExamImport.objects.select_related("exam"), exam_import.pk)
        if locked.status != ExamImport.Status.PREVIEW:
            raise ExamImportError("This file has already been imported.")
        check = check_exam_file(locked.content, locked.exam)
        if not check.is_clean:
            raise ExamImportError("The file has problems; nothing was imported. Fix them and upload it again.")
        now = timezone.now()
        exam_ids = _exam_ids(check)
        changed = [row for row in check.rows if row.change != "unchanged"]
        ExamResult.objects.bulk_create(
            [
                ExamResult(student_id=row.student_id, exam_id=exam_ids[row.exam], score=row.score,
                           passed=row.passed, imported_at=now, batch=locked)  # fmt: skip
                for row in changed
            ],
            update_conflicts=True,
            unique_fields=["student", "exam"],
            update_fields=["score", "passed", "imported_at", "batch"],
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


class OutreachError(ApplicationError):
    """Outreach that cannot go ahead (nobody to invite, no upcoming session in the subject)."""


def invite_struggling_students(
    *, exam: Exam, subject: Subject, below: Decimal | None, invited_by: User
) -> list[OutreachInvitation]:
    """Email every student on the outreach list not yet invited after `exam` (through the outbox).

    Each student is invited at most once per exam: the exam row is locked so two admins pressing
    the button at once queue one email each, and a UniqueConstraint backs it. Returns the new
    invitations (empty: everyone was invited already)."""
    from reports.selectors.outreach import struggling_students, upcoming_sessions_in

    with transaction.atomic():
        locking.lock(Exam.objects.all(), exam.pk)
        sessions = upcoming_sessions_in(subject)
        if not sessions:
            raise OutreachError(f"There is no upcoming {subject.name} session to invite them to.")
        to_invite = [s.student for s in struggling_students(exam=exam, subject=subject, below=below) if s.invited_at is None]
        if not to_invite:
            raise OutreachError("Everyone on the list has already been invited after this exam.")
        now = timezone.now()
        invitations = OutreachInvitation.objects.bulk_create(
            [OutreachInvitation(exam=exam, student=s, subject=subject, invited_by=invited_by, invited_at=now)
             for s in to_invite]  # fmt: skip
        )
        zone = program_zone()
        listed = [(o, timezone.localtime(o.starts_at, zone)) for o in sessions]
        context = {
            "subject": subject, "sessions": listed, "zone_name": str(zone),
            "browse_url": settings.SITE_URL + reverse("sessions:browse"),
        }  # fmt: skip
        messages = []
        for student in to_invite:
            subject_line, text, html = render_email("reports/email/outreach", {**context, "student": student})
            messages.append((student, subject_line, text, html))
        queue_many_emails(kind="exam_outreach", messages=messages)
        logger.info("outreach: %s invited %d students to %s sessions after %s", invited_by.email, len(to_invite),
                    subject.name, exam)  # fmt: skip
    return invitations
