"""A mentee's check-in at a session, from their phone, with the code the mentor shows.

The code is derived, never stored: an HMAC of the current time window (settings.CHECKIN_CODE_SECONDS)
under a per-occurrence secret (itself an HMAC of the occurrence id under SECRET_KEY; checkin.codes).
A `CheckIn` pre-fills the attendance the mentor confirms afterwards (sessions' record page).
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models

# Check-in opens this long before the start and closes at the end.
OPENS_BEFORE = timedelta(minutes=15)


def window_of(starts_at: datetime, ends_at: datetime) -> tuple[datetime, datetime]:
    """The check-in window of a session: from 15 minutes before its start to its end, both included."""
    return starts_at - OPENS_BEFORE, ends_at


class CheckIn(models.Model):
    occurrence = models.ForeignKey("review_sessions.Occurrence", on_delete=models.CASCADE, related_name="check_ins")
    mentee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="check_ins")
    checked_in_at = models.DateTimeField()
    walk_in = models.BooleanField(default=False, help_text="Had no booking when checking in.")

    class Meta:
        ordering = ["checked_in_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["occurrence", "mentee"], name="check_in_once_per_mentee")]

    def __str__(self) -> str:
        return f"{self.mentee_id} checked in to occurrence {self.occurrence_id}{' (walk-in)' if self.walk_in else ''}"
