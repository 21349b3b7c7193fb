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
    # Who holds the claim: a token drawn afresh for each claim (one for a whole batch a worker
    # queues claimed). The hand-off and a failure's record are conditional on it, so a worker
    # whose claim was released and taken again loses it even when both claims share an instant.
    claim = models.UUIDField(null=True, blank=True)
    # Set just before the message goes to the mail server: a claim without it died before
    # sending (safe to take again); a claim with it may have sent (never resent: "uncertain").
    handed_off_at = models.DateTimeField(null=True, blank=True)
    # When the next delivery attempt is due; the dispatcher re-enqueues emails well past it
    # (their task message was lost with a broker or a killed worker).
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    # Retried until this time however often the mail server refuses it, and never sent after it
    # (a session reminder: the session's start); without it, given up after MAX_ATTEMPTS.
    send_before = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"])]
        constraints = [
            models.CheckConstraint(condition=~Q(status="sent") | Q(sent_at__isnull=False), name="sent_email_has_time"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} to {self.to_address} ({self.status})"
