from django.conf import settings
from django.db import models
from django.db.models import Q


class OutboundEmail(models.Model):
    """One email the platform sends, recorded before a Celery task delivers it.

    The row is the claim: a task sends only after it moved the row from queued to sending,
    so a retried task, a second worker or a redelivered message never sends twice.
    `dedupe_key` makes "the same email twice" (a reminder, a digest) impossible to even queue.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        SKIPPED = "skipped", "Skipped"
        # Handed to the mail server by a worker that died before recording the answer: the
        # server may have accepted it. Never resent (that could be a duplicate).
        UNCERTAIN = "uncertain", "May have been sent"

    kind = models.CharField(max_length=50, help_text="What the email is, e.g. booking_confirmed.")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="emails"
    )
    to_address = models.EmailField()
    subject = models.CharField(max_length=200)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    attachments = models.JSONField(
        default=list, blank=True, help_text="[{filename, content, mimetype}] with text content."
    )
    dedupe_key = models.CharField(max_length=200, null=True, blank=True, unique=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    # Set just before the message goes to the mail server: a claim without it died before
    # sending (safe to take again); a claim with it may have sent (never resent: "uncertain").
    handed_off_at = models.DateTimeField(null=True, blank=True)
    # When the next delivery attempt is due; the dispatcher re-enqueues emails well past it
    # (their task message was lost with a broker or a killed worker).
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"])]
        constraints = [
            models.CheckConstraint(condition=~Q(status="sent") | Q(sent_at__isnull=False), name="sent_email_has_time"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} to {self.to_address} ({self.status})"


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

    occurrence = models.ForeignKey("review_sessions.Occurrence", on_delete=models.CASCADE, related_name="reminders")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=20, help_text="The offset before the session (24h, 1h) or notes_nudge.")
    session_starts_at = models.DateTimeField(help_text="The start time this reminder announces.")
    due_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    reason = models.CharField(max_length=300, blank=True, help_text="Why it was skipped or failed.")
    email = models.OneToOneField(
        OutboundEmail, null=True, blank=True, on_delete=models.SET_NULL, related_name="reminder"
    )
    enqueued_at = models.DateTimeField(null=True, blank=True, help_text="When a send task was last published.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
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
