"""The de-identified research export: one row per student and exam, for an IRB-approved study.

What a row holds: a keyed hash of the student, their class year when they sat the exam, the exam's
name and date, the score, and how many held sessions they attended in each subject before the
exam day. Never names, emails, ids or free text (notes, feedback).

- Student key: HMAC-SHA256 of the student's id with a random 32-byte key made for this export and
  never stored, so keys link the rows of one file to each other and to nothing else; two exports
  (or a guess at ids) cannot be joined.
- Suppression (small cells): within each exam, a class year or a subject's attendance count shared
  by fewer than REPORT_MIN_GROUP_SIZE students of that exam is written "suppressed"; the scores of
  an exam sat by fewer than that many students are suppressed too. So no cell singles out a group
  smaller than the reports ever show.
- The file is a zip: `research-data.csv` and `README.txt` (the data-use statement, the columns and
  the rules above), so a CSV reader gets a clean table and the statement travels with it.
"""

import hashlib
import hmac
import io
import secrets
import zipfile
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Count
from django.db.models.functions import TruncDate

from accounts.class_year import class_year_for
from reports.models import ExamResult
from reports.periods import day_bounds, program_zone
from reports.spreadsheet import csv_text
from sessions.models import Attendance, Occurrence

SUPPRESSED = "suppressed"
KEY_HEX_CHARACTERS = 24  # 96 bits of the HMAC: no collisions in any school's roster


@dataclass(frozen=True)
class ExamIdentity:
    name: str
    day: date


def exam_identity(result: ExamResult) -> ExamIdentity:
    """The exam a result is for: its catalogue exam's name and first day."""
    return ExamIdentity(result.exam.name, result.exam.first_day)


def _score(result: ExamResult) -> Decimal | str:
    """The result on its exam's scale: a score, or Pass / Fail for a pass/fail exam."""
    if result.score is None:
        return "Pass" if result.passed else "Fail"
    return result.score


@dataclass
class ResearchRow:
    student_key: str
    class_year: int | str | None
    exam: ExamIdentity
    score: Decimal | str
    attended: dict[str, int | str] = field(default_factory=dict)  # subject name -> sessions, or SUPPRESSED


@dataclass(frozen=True)
class ResearchExport:
    rows: list[ResearchRow]
    subjects: list[str]
    first_day: date
    last_day: date
    study: str
    made_at: datetime
    minimum_group: int

    @property
    def columns(self) -> list[str]:
        return ["student_key", "class_year", "exam", "exam_date", "score", *(f"attended_{s}" for s in self.subjects)]

    def csv(self) -> str:
        cells = [
            [row.student_key, "" if row.class_year is None else row.class_year, row.exam.name,
             row.exam.day.isoformat(), row.score, *(row.attended.get(s, 0) for s in self.subjects)]  # fmt: skip
            for row in self.rows
        ]
        return csv_text(self.columns, cells)

    def readme(self) -> str:
        return README.format(
            study=self.study, first=self.first_day, last=self.last_day, made=f"{self.made_at:%Y-%m-%d %H:%M} UTC",
            rows=len(self.rows), minimum=self.minimum_group,
        )  # fmt: skip

    def zip_bytes(self) -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("README.txt", self.readme())
            archive.writestr("research-data.csv", self.csv())
        return buffer.getvalue()


README = """DATA-USE STATEMENT
==================
This archive holds de-identified education records from the peer-mentoring program, released for
one study: {study}.

By opening it you agree to: use it only for that study, under its IRB approval; make no attempt to
identify any student, alone or by linking it with other data; keep it on storage approved for
education records and share it with no one outside the study team; delete it when the study ends;
tell the program office at once of any suspected re-identification or loss.

Contents: research-data.csv, {rows} rows, one per student and exam sat from {first} to {last}.
Made {made}.

COLUMNS
- student_key: a keyed hash (HMAC-SHA256) of the student, with a random key made for this export and
  never stored. It links a student's rows in this file; it links to nothing outside it, and another
  export of the same data gives other keys.
- class_year: 1 to 4 (MS1 to MS4) when the exam was sat; empty when unknown.
- exam, exam_date: the exam and the day it was sat.
- score: the score on the exam's scale as imported (percent, a scaled score, or Pass / Fail).
- attended_<subject>: held review sessions of that subject the student attended before the exam day.

SMALL CELLS
Within each exam, a class year or an attendance count shared by fewer than {minimum} students of that
exam is written "suppressed"; an exam sat by fewer than {minimum} students has every score
suppressed. No names, emails, identifiers or free text are included; deleted accounts are left out.
"""


def _attendance_by_day(student_ids: set[int], last_day: date) -> dict[int, list[tuple[date, str, int]]]:
    """Per student: (local day, subject, sessions attended that day) of held sessions up to last_day."""
    _, before = day_bounds(last_day, last_day)
    rows = (
        Attendance.objects.filter(
            mentee_id__in=student_ids, status=Attendance.Status.ATTENDED,
            occurrence__status=Occurrence.Status.SCHEDULED, occurrence__starts_at__lt=before,
        )
        .annotate(day=TruncDate("occurrence__starts_at", tzinfo=program_zone()))
        .values("mentee_id", "day", "occurrence__series__subject__name")
        .annotate(n=Count("pk"))
        .order_by()
    )  # fmt: skip
    found: dict[int, list[tuple[date, str, int]]] = defaultdict(list)
    for row in rows:
        found[row["mentee_id"]].append((row["day"], row["occurrence__series__subject__name"], row["n"]))
    return found


def _suppress_small_cells(rows: list[ResearchRow], subjects: list[str], minimum: int) -> None:
    by_exam: dict[ExamIdentity, list[ResearchRow]] = defaultdict(list)
    for row in rows:
        by_exam[row.exam].append(row)
    for group in by_exam.values():
        if len(group) < minimum:
            for row in group:
                row.score = SUPPRESSED
        years = Counter(row.class_year for row in group)
        for row in group:
            if years[row.class_year] < minimum:
                row.class_year = SUPPRESSED
        for subject in subjects:
            counts = Counter(row.attended[subject] for row in group)
            for row in group:
                if counts[row.attended[subject]] < minimum:
                    row.attended[subject] = SUPPRESSED


def research_export(*, first_day: date, last_day: date, study: str, minimum_group: int, now: datetime) -> ResearchExport:
    """The de-identified rows for exams sat between the two days (both included). Two queries."""
    key = secrets.token_bytes(32)  # this export's only: never stored, so its hashes cannot be recomputed

    def student_key(student_id: int) -> str:
        return hmac.new(key, str(student_id).encode(), hashlib.sha256).hexdigest()[:KEY_HEX_CHARACTERS]

    results = list(
        ExamResult.objects.filter(
            exam__first_day__gte=first_day, exam__first_day__lte=last_day, student__deleted_at__isnull=True
        )
        .select_related("student", "exam")
        .only("student_id", "exam__name", "exam__first_day", "score", "passed", "student__graduation_year")
        .order_by("exam__first_day", "exam__name", "pk")
    )
    attendance = _attendance_by_day({r.student_id for r in results}, last_day)
    subjects = sorted({subject for days in attendance.values() for _, subject, _ in days})
    rows = []
    for result in results:
        exam = exam_identity(result)
        attended: dict[str, int | str] = dict.fromkeys(subjects, 0)
        for day, subject, n in attendance.get(result.student_id, []):
            if day < exam.day:
                attended[subject] = int(attended[subject]) + n
        rows.append(ResearchRow(
            student_key=student_key(result.student_id),
            class_year=class_year_for(result.student.graduation_year, today=exam.day),
            exam=exam, score=_score(result), attended=attended,
        ))  # fmt: skip
    rows.sort(key=lambda row: (row.exam.day, row.exam.name, row.student_key))  # not the id order
    _suppress_small_cells(rows, subjects, minimum_group)
    return ResearchExport(rows, subjects, first_day, last_day, study, now, minimum_group)
