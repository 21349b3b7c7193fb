"""Exam results imported by program admins, and the import batches they came in.

Each result belongs to an exam of the catalogue (`program.Exam`) and is read on that exam's scale:
a percentage from 0 to 100 (two decimals), a whole scaled score in the exam's range, or pass/fail
(`passed`, no score). The database keeps exactly one of score and passed, a score within 0-999.99,
and one result per student and exam; the range of a scaled exam is checked by the import.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q

from core.text import validate_single_line

SCORE_MIN = Decimal("0")
SCORE_MAX = Decimal("100")
STORED_SCORE_MAX = Decimal("999.99")  # the column's reach: percent 0-100 and scaled scores up to 999
EXAM_NAME_MAX_LENGTH = 120


class ExamImport(models.Model):
    """One uploaded CSV file: previewed first, imported only once it is clean and confirmed."""

    class Status(models.TextChoices):
        PREVIEW = "preview", "Awaiting confirmation"
        IMPORTED = "imported", "Imported"

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="exam_imports"
    )
    filename = models.CharField(max_length=255, blank=True, validators=[validate_single_line])
    # The catalogue exam chosen on the upload form; empty for a file naming its exams in columns.
    exam = models.ForeignKey("program.Exam", null=True, blank=True, on_delete=models.PROTECT, related_name="imports")
    # Kept so the confirmation re-checks exactly what was previewed; it is an education record (admins only).
    content = models.TextField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PREVIEW)
    created_at = models.DateTimeField(auto_now_add=True)
    imported_at = models.DateTimeField(null=True, blank=True)
    rows_created = models.PositiveIntegerField(default=0)
    rows_updated = models.PositiveIntegerField(default=0)
    rows_unchanged = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="imported") | Q(imported_at__isnull=False), name="exam_import_imported_has_time"
            ),
        ]

    def __str__(self) -> str:
        return f"Exam import {self.pk} ({self.filename or 'upload'}, {self.get_status_display()})"


class ExamResult(models.Model):
    """A student's result on one exam. Re-importing the same row updates it, never duplicates it."""

    student = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exam_results")
    exam = models.ForeignKey("program.Exam", on_delete=models.PROTECT, related_name="results")
    score = models.DecimalField(
        max_digits=5, decimal_places=2, null=True, blank=True,
        help_text="Percent 0-100, or a whole scaled score in the exam's range; empty for a pass/fail exam.",
    )  # fmt: skip
    passed = models.BooleanField(null=True, blank=True, help_text="Only for a pass/fail exam.")
    imported_at = models.DateTimeField()
    batch = models.ForeignKey(ExamImport, null=True, on_delete=models.SET_NULL, related_name="results")

    class Meta:
        ordering = ["exam__first_day", "exam__name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["student", "exam"], name="exam_result_once_per_exam"),
            models.CheckConstraint(
                condition=Q(score__isnull=False, passed__isnull=True) | Q(score__isnull=True, passed__isnull=False),
                name="exam_result_score_or_pass",
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=SCORE_MIN, score__lte=STORED_SCORE_MAX),
                name="exam_result_score_0_to_999",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.student}: {self.exam} = {self.display_result()}"

    def display_result(self) -> str:
        if self.passed is not None:
            return "Pass" if self.passed else "Fail"
        return f"{self.score.normalize():f}" if self.score is not None else ""


class OutreachInvitation(models.Model):
    """A student who struggled on an exam in a subject and was invited to that subject's sessions.

    Each student is invited at most once per exam (the constraint); the report counts how many of
    those invited attended a session in the subject after the invitation.
    """

    exam = models.ForeignKey("program.Exam", on_delete=models.CASCADE, related_name="outreach_invitations")
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="outreach_invitations"
    )
    subject = models.ForeignKey("subjects.Subject", on_delete=models.PROTECT, related_name="+")
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    invited_at = models.DateTimeField()

    class Meta:
        ordering = ["-invited_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["exam", "student"], name="outreach_once_per_student_and_exam"),
        ]

    def __str__(self) -> str:
        return f"{self.student} invited to {self.subject} after {self.exam}"


class SessionTally(models.Model):
    """What the report counts of one session's bookings, attendance and ratings, kept current.

    Database triggers (reports/migrations/0001_squashed_session_tally.py) add and subtract each row of
    review_sessions_booking, _attendance and _rating as it is inserted, changed or deleted, inside
    the writer's transaction and whoever the writer is (services, bulk inserts, the admin, raw
    SQL), so the counts are exact under concurrent writers (an upsert, then an in-place addition on
    the one row per session). `reports.tally.rebuild_session_tally` recomputes every row from the
    raw tables (`manage.py rebuild_report_tally`); the report reads these rows instead of scanning
    a million bookings (reports.selectors.activity).
    """

    occurrence = models.OneToOneField(
        "review_sessions.Occurrence", primary_key=True, on_delete=models.CASCADE, related_name="tally"
    )
    bookings = models.IntegerField(default=0, db_default=0)
    bookings_cancelled = models.IntegerField(default=0, db_default=0)
    late_cancellations = models.IntegerField(default=0, db_default=0)
    bookings_booked = models.IntegerField(default=0, db_default=0)  # still booked
    attended = models.IntegerField(default=0, db_default=0)
    attended_booked = models.IntegerField(default=0, db_default=0)  # attended, not a walk-in
    walk_ins = models.IntegerField(default=0, db_default=0)
    no_shows = models.IntegerField(default=0, db_default=0)
    excused = models.IntegerField(default=0, db_default=0)
    ratings = models.IntegerField(default=0, db_default=0)
    rating_total = models.IntegerField(default=0, db_default=0)
    # PostgreSQL only: bit n set = user n attended (reports.tally.TRIGGER_MARKS); empty on SQLite.
    attended_mentees = models.BinaryField(default=b"", db_default=b"")

    class Meta:
        verbose_name_plural = "session tallies"

    def __str__(self) -> str:
        return f"Tally of occurrence {self.occurrence_id}"
