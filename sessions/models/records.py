"""What happened at an occurrence: attendance, the mentor's outcome note and its revisions, ratings."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from sessions.models.occurrences import Occurrence


class Attendance(models.Model):
    """Whether a mentee came to an occurrence, recorded by its mentor."""

    class Status(models.TextChoices):
        ATTENDED = "attended", "Attended"
        NO_SHOW = "no_show", "No-show"
        EXCUSED = "excused", "Excused"

    occurrence = models.ForeignKey(Occurrence, on_delete=models.CASCADE, related_name="attendance")
    mentee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="session_attendance")
    status = models.CharField(max_length=10, choices=Status.choices)
    walk_in = models.BooleanField(default=False, help_text="Came without a booking.")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["occurrence", "mentee"]
        verbose_name_plural = "attendance"
        constraints = [
            models.UniqueConstraint(fields=["occurrence", "mentee"], name="attendance_once_per_mentee"),
            models.CheckConstraint(
                condition=~Q(walk_in=True) | Q(status="attended"), name="walk_in_attended"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mentee}: {self.get_status_display()} at {self.occurrence}"


class OutcomeNote(models.Model):
    """The mentor's record of an occurrence. Private to the mentor and admins, except note_to_attendees."""

    occurrence = models.OneToOneField(Occurrence, on_delete=models.CASCADE, related_name="outcome_note")
    mentor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="outcome_notes")
    topics = models.TextField(max_length=4000, blank=True)
    private_notes = models.TextField(max_length=8000, blank=True)
    follow_ups = models.TextField(max_length=4000, blank=True)
    note_to_attendees = models.TextField(max_length=4000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Notes for {self.occurrence}"


class NoteRevision(models.Model):
    """One saved version of an outcome note: who, when, and the full text then."""

    note = models.ForeignKey(OutcomeNote, on_delete=models.CASCADE, related_name="revisions")
    editor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    edited_at = models.DateTimeField(default=timezone.now)
    topics = models.TextField(blank=True)
    private_notes = models.TextField(blank=True)
    follow_ups = models.TextField(blank=True)
    note_to_attendees = models.TextField(blank=True)

    class Meta:
        ordering = ["-edited_at", "-pk"]

    def __str__(self) -> str:
        return f"Revision of {self.note} at {self.edited_at:%Y-%m-%d %H:%M}"


class Rating(models.Model):
    """A mentee's rating of an occurrence they attended; once per occurrence."""

    occurrence = models.ForeignKey(Occurrence, on_delete=models.CASCADE, related_name="ratings")
    mentee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="session_ratings")
    score = models.PositiveSmallIntegerField()
    feedback = models.TextField(max_length=2000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["occurrence", "mentee"], name="rating_once_per_mentee"),
            models.CheckConstraint(condition=Q(score__gte=1, score__lte=5), name="rating_score_1_to_5"),
        ]

    def __str__(self) -> str:
        return f"{self.mentee} rated {self.occurrence} {self.score}/5"
