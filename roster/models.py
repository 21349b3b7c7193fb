"""Roster imports (a CSV of the program's students from the school's student information system)
and what the roster says about each person beyond the account: student id, cohort, invitation."""

import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q

from core.text import validate_single_line


class RosterImport(models.Model):
    """One roster file: previewed, confirmed by an admin (or run by the nightly command), then
    imported by a Celery task in chunks, its progress shown on the page."""

    class Status(models.TextChoices):
        PREVIEW = "preview", "Awaiting confirmation"
        QUEUED = "queued", "Waiting for a worker"
        RUNNING = "running", "Importing"
        IMPORTED = "imported", "Imported"
        FAILED = "failed", "Failed"

    class Source(models.TextChoices):
        PAGE = "page", "Uploaded on the page"
        COMMAND = "command", "Nightly command"
        API = "api", "API request"

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="roster_imports"
    )
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.PAGE)
    filename = models.CharField(max_length=255, blank=True, validators=[validate_single_line])
    # Kept so the import re-checks exactly what was previewed.
    content = models.TextField()
    full_roster = models.BooleanField(
        default=False, help_text="The file lists every current student: deactivate students missing from it."
    )
    confirmed_deactivations = models.PositiveIntegerField(
        null=True, blank=True, help_text="How many deactivations the admin confirmed (the import refuses more)."
    )
    apply_admin_changes = models.BooleanField(
        default=False, help_text="Also change program admins' roles as the file says (otherwise they are kept)."
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PREVIEW)
    progress = models.PositiveSmallIntegerField(default=0)
    progress_note = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    rows_created = models.PositiveIntegerField(default=0)
    rows_updated = models.PositiveIntegerField(default=0)
    rows_unchanged = models.PositiveIntegerField(default=0)
    rows_reactivated = models.PositiveIntegerField(default=0)
    students_deactivated = models.PositiveIntegerField(default=0)
    invitations_sent = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="roster_import_progress_percent"),
            models.CheckConstraint(
                condition=~Q(status="imported") | Q(finished_at__isnull=False), name="roster_import_imported_has_time"
            ),
        ]

    def __str__(self) -> str:
        return f"Roster import {self.pk} ({self.filename or 'upload'}, {self.get_status_display()})"

    @property
    def is_working(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)


def new_welcome_token() -> str:
    return secrets.token_urlsafe(32)


class RosterEntry(models.Model):
    """What the roster says about one person beyond the account. Kept while the account exists."""

    WELCOME_VALID_DAYS = 14

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="roster_entry")
    student_id = models.CharField(max_length=64, blank=True, validators=[validate_single_line])
    cohort = models.CharField(max_length=64, blank=True, validators=[validate_single_line])
    last_import = models.ForeignKey(RosterImport, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # The invitation link of an account the roster created: it leads to choosing a password.
    welcome_token = models.CharField(max_length=64, null=True, blank=True, unique=True)
    invited_at = models.DateTimeField(null=True, blank=True)
    # Set when a full roster left the student out (and the import deactivated them); a later
    # roster that lists them again reactivates only accounts the roster deactivated.
    deactivated_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["student_id"], condition=~Q(student_id=""), name="roster_student_id_once"),
        ]

    def __str__(self) -> str:
        return f"Roster entry of {self.user}"

    def welcome_is_usable(self, now: datetime) -> bool:
        return self.invited_at is not None and now - self.invited_at < timedelta(days=self.WELCOME_VALID_DAYS)
