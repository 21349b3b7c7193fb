"""The matching domain: one-to-one mentorships (requested, active, ended...) and matching rounds."""

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q

if TYPE_CHECKING:
    from accounts.models import User
    from subjects.models import Subject


class MentorshipQuerySet(models.QuerySet["Mentorship"]):
    def active(self) -> "MentorshipQuerySet":
        return self.filter(status=Mentorship.Status.ACTIVE)

    def pending(self) -> "MentorshipQuerySet":
        return self.filter(status=Mentorship.Status.REQUESTED)

    def open(self) -> "MentorshipQuerySet":
        return self.filter(status__in=Mentorship.OPEN_STATUSES)


class Mentorship(models.Model):
    """A mentor-mentee pair, from the mentee's request (or a matching round) to its end."""

    class Status(models.TextChoices):
        REQUESTED = "requested", "Requested"
        ACTIVE = "active", "Active"
        DECLINED = "declined", "Declined"
        ENDED = "ended", "Ended"
        EXPIRED = "expired", "Expired"

    OPEN_STATUSES = (Status.REQUESTED, Status.ACTIVE)

    mentor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentorships_as_mentor")
    mentee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentorships_as_mentee")
    subjects: "models.ManyToManyField[Subject, MentorshipSubject]" = models.ManyToManyField(
        "subjects.Subject", through="MentorshipSubject", related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.REQUESTED)
    message = models.TextField(max_length=2000, blank=True, help_text="The mentee's note with the request.")
    score = models.FloatField(null=True, blank=True, help_text="Fit score when requested or matched.")
    reasons = models.CharField(max_length=500, blank=True, help_text="Why this pair fits, in words.")
    requested_at = models.DateTimeField()
    responded_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    end_reason = models.TextField(max_length=1000, blank=True)
    round = models.ForeignKey(
        "MatchingRound", null=True, blank=True, on_delete=models.SET_NULL, related_name="mentorships"
    )

    objects = MentorshipQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at"]
        constraints = [
            # One open (pending or active) pair per mentor and mentee: no duplicate pairs or requests.
            models.UniqueConstraint(
                fields=["mentor", "mentee"], condition=Q(status__in=["requested", "active"]), name="one_open_pair"
            ),
            # A round creates each of its pairs once, however often it is committed.
            models.UniqueConstraint(fields=["round", "mentee"], name="round_pairs_mentee_once"),
            models.CheckConstraint(condition=~Q(mentor=models.F("mentee")), name="mentorship_not_self"),
            models.CheckConstraint(
                condition=Q(status__in=["requested", "active"], ended_at__isnull=True)
                | Q(status__in=["declined", "ended", "expired"]),
                name="mentorship_open_has_no_end",
            ),
        ]
        indexes = [models.Index(fields=["status", "requested_at"], name="mentorship_status_requested")]

    def __str__(self) -> str:
        return f"{self.mentor} mentors {self.mentee} ({self.get_status_display()})"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    def other_side(self, user: "User") -> "User":
        return self.mentee if user.pk == self.mentor_id else self.mentor


class MentorshipSubject(models.Model):
    """A subject a mentorship is for. `mentee` and `is_open` are copies kept by the services so the
    database itself can refuse a second open request or pair for the same mentee and subject."""

    mentorship = models.ForeignKey(Mentorship, on_delete=models.CASCADE, related_name="subject_links")
    subject = models.ForeignKey("subjects.Subject", on_delete=models.PROTECT, related_name="+")
    mentee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    is_open = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["mentorship", "subject"], name="mentorship_subject_once"),
            models.UniqueConstraint(
                fields=["mentee", "subject"], condition=Q(is_open=True), name="one_open_mentorship_per_subject"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mentorship_id}: {self.subject_id}"


class MatchingRound(models.Model):
    """An admin's matching run: computed by a Celery task, previewed, then committed once."""

    class Status(models.TextChoices):
        COMPUTING = "computing", "Computing"
        PREVIEW = "preview", "Ready to review"
        COMMITTED = "committed", "Committed"
        FAILED = "failed", "Failed"

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    subject = models.ForeignKey(
        "subjects.Subject", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text="Only mentees who want this subject (blank: all).",
    )
    class_year = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Only mentees in this class year (blank: all)."
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.COMPUTING)
    progress = models.PositiveSmallIntegerField(default=0, help_text="Percent done while computing.")
    progress_note = models.CharField(max_length=200, blank=True)
    # [{"mentor_id", "mentor_name", "mentee_id", "mentee_name", "subject_ids", "score", "reasons", "dropped"}]
    proposed_pairs = models.JSONField(default=list, blank=True)
    # [{"mentee_id", "mentee_name", "reason"}]
    unmatched = models.JSONField(default=list, blank=True)
    total_score = models.FloatField(null=True, blank=True)
    error = models.TextField(blank=True)
    computed_at = models.DateTimeField(null=True, blank=True)
    committed_at = models.DateTimeField(null=True, blank=True)
    committed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="round_progress_percent"),
            models.CheckConstraint(
                condition=Q(status="committed", committed_at__isnull=False) | ~Q(status="committed"),
                name="round_committed_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"Matching round {self.pk} ({self.get_status_display()})"

    def proposes_pair_for(self, mentee_id: int) -> bool:
        return any(pair["mentee_id"] == mentee_id for pair in self.proposed_pairs)

    @property
    def kept_pairs(self) -> list[dict]:
        return [pair for pair in self.proposed_pairs if not pair.get("dropped")]

    @property
    def filters_description(self) -> str:
        parts = []
        if self.subject_id:
            parts.append(str(self.subject))
        if self.class_year:
            parts.append(f"MS{self.class_year}")
        return ", ".join(parts) or "All unmatched mentees"
