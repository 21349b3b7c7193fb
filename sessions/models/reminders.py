"""Reminders of an occurrence, one row per recipient, kind and start time."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from sessions.models.occurrences import Occurrence


class Reminder(models.Model):
    """One reminder: of one occurrence, to one recipient, of one kind, for one start time.

    `kind` is the offset ("24h", "1h") or "notes_nudge". The row is keyed on the start time it
    announces (`session_starts_at`) as well: moving an occurrence makes it, for reminders, a new
    session that gets its own reminders, while the rows for the old time are skipped. (Keying on
    `Occurrence.sequence` instead would resend reminders after a seat-count edit.) The unique
    constraint makes a second dispatcher run, a second beat or a retried task unable to record
    the same reminder twice; `email` is the one OutboundEmail it produced.
    """

    NOTES_NUDGE = "notes_nudge"

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENT = "sent", "Sent"
        SKIPPED = "skipped", "Skipped"
        FAILED = "failed", "Failed"
        UNCERTAIN = "uncertain", "May have been sent"  # its email's hand-off was cut short

    occurrence = models.ForeignKey(Occurrence, on_delete=models.CASCADE, related_name="reminders")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=20, help_text="The offset before the session (24h, 1h) or notes_nudge.")
    session_starts_at = models.DateTimeField(help_text="The start time this reminder announces.")
    due_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    reason = models.CharField(max_length=300, blank=True, help_text="Why it was skipped or failed.")
    email = models.OneToOneField(
        "notifications.OutboundEmail", null=True, blank=True, on_delete=models.SET_NULL, related_name="reminder"
    )
    enqueued_at = models.DateTimeField(null=True, blank=True, help_text="When a send task was last published.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "notifications_reminder"  # the table it had while it lived in notifications
        ordering = ["-due_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "due_at"]),
            models.Index(fields=["session_starts_at"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["occurrence", "recipient", "kind", "session_starts_at"], name="reminder_once_per_session_time"
            ),
            models.CheckConstraint(condition=~Q(status="sent") | Q(sent_at__isnull=False), name="sent_reminder_has_time"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} reminder to {self.recipient_id} for occurrence {self.occurrence_id} ({self.status})"

    @property
    def offset_hours(self) -> int | None:
        return int(self.kind[:-1]) if self.kind.endswith("h") and self.kind[:-1].isdigit() else None
