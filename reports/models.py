"""Exam results imported by program admins, and the import batches they came in.

Scores are percentages from 0 to 100 (two decimals), the scale block and shelf exams report;
a school using another scale converts before importing.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q

from core.text import validate_single_line

SCORE_MIN = Decimal("0")
SCORE_MAX = Decimal("100")
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
    """A student's score on one exam sitting. Re-importing the same row updates it, never duplicates it."""

    student = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exam_results")
    exam_name = models.CharField(max_length=EXAM_NAME_MAX_LENGTH, validators=[validate_single_line])
    exam_date = models.DateField()
    score = models.DecimalField(max_digits=5, decimal_places=2, help_text="Percent, 0 to 100.")
    imported_at = models.DateTimeField()
    batch = models.ForeignKey(ExamImport, null=True, on_delete=models.SET_NULL, related_name="results")

    class Meta:
        ordering = ["exam_date", "exam_name", "pk"]
        indexes = [models.Index(fields=["exam_date", "exam_name"])]
        constraints = [
            models.UniqueConstraint(fields=["student", "exam_name", "exam_date"], name="exam_result_once_per_sitting"),
            models.CheckConstraint(condition=Q(score__gte=SCORE_MIN, score__lte=SCORE_MAX), name="exam_score_0_to_100"),
        ]

    def __str__(self) -> str:
        return f"{self.student}: {self.exam_name} on {self.exam_date:%Y-%m-%d} = {self.score}"
