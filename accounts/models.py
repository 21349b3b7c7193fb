import secrets
from datetime import datetime, timedelta
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower

from accounts.class_year import class_year_for, class_year_label
from core.text import validate_single_line


def new_calendar_token() -> str:
    return secrets.token_urlsafe(32)


def default_reminder_offsets() -> list[int]:
    return list(settings.REMINDER_OFFSETS_HOURS)


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra: Any) -> "User":
        if not email:
            raise ValueError("An email address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> "User":
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> "User":
        extra.update(is_staff=True, is_superuser=True, is_program_admin=True)
        return self._create_user(email, password, **extra)


def display_name_for(first_name: str, last_name: str, email: str) -> str:
    """How a person is named on every page: "First Last", or the email when both are blank. For
    reads that fetch the columns without building User objects (User.display_name calls it too)."""
    return f"{first_name} {last_name}".strip() or email


class User(AbstractUser):
    """A person on the platform. Roles are not exclusive: an MS3 can tutor and be mentored."""

    username = None  # type: ignore[assignment]  # the email is the login; django-stubs types the removed field as str
    email = models.EmailField("email address", unique=True)
    first_name = models.CharField("first name", max_length=150, blank=True, validators=[validate_single_line])
    last_name = models.CharField("last name", max_length=150, blank=True, validators=[validate_single_line])

    graduation_year = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Expected graduation year; the class year is derived from it."
    )
    is_mentee = models.BooleanField("mentee", default=False)
    is_mentor = models.BooleanField(
        "approved mentor", default=False, help_text="Set by approving a mentor application."
    )
    is_program_admin = models.BooleanField("program admin", default=False)

    time_zone = models.CharField(max_length=64, blank=True, help_text="Blank: the program's time zone.")
    bio = models.TextField(max_length=1000, blank=True)
    specialty_interest = models.CharField(max_length=100, blank=True, validators=[validate_single_line])
    availability = models.JSONField(default=list, blank=True, help_text="Slot codes such as 'tue-evening'.")
    mentor_capacity = models.PositiveSmallIntegerField(
        default=3, help_text="How many mentees this mentor takes at once."
    )
    onboarded_at = models.DateTimeField(null=True, blank=True)

    reminder_offsets_hours = models.JSONField(
        default=default_reminder_offsets, blank=True, help_text="Hours before a session; empty: no reminders."
    )
    email_opt_out = models.BooleanField(
        default=False, help_text="No non-essential email (reminders, digests); account mail still arrives."
    )
    muted_email_categories = models.JSONField(
        default=list, blank=True, help_text="Non-essential email categories this user does not want (see accounts.preferences)."
    )
    calendar_token = models.CharField(max_length=64, unique=True, default=new_calendar_token)
    deleted_at = models.DateTimeField(null=True, blank=True, help_text="Set when the account was anonymised.")

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    # Per-request caches the permission gates set on request.user; not database fields.
    signed_in_with_idp_mfa: bool
    _has_mfa: bool

    objects: ClassVar[UserManager] = UserManager()  # type: ignore[assignment]  # email-keyed manager; stubs expect the username-keyed auth.UserManager

    class Meta:
        ordering = ["last_name", "first_name", "email"]
        constraints = [
            models.CheckConstraint(
                condition=Q(graduation_year__isnull=True) | Q(graduation_year__gte=1990, graduation_year__lte=2100),
                name="user_graduation_year_sane",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return display_name_for(self.first_name, self.last_name, self.email)

    @property
    def class_year(self) -> int | None:
        return class_year_for(self.graduation_year)

    @property
    def class_year_label(self) -> str:
        return class_year_label(self.class_year)

    @property
    def role_summary(self) -> str:
        """"MS1 · Mentee", "MS4 · Mentee · Mentor", "office@school.edu · Program admin": the class
        year when there is one, else the email (staff have no class year), then the roles."""
        roles = [name for name, held in (("Mentee", self.is_mentee), ("Mentor", self.is_mentor),
                                         ("Program admin", self.is_program_admin)) if held]
        return " · ".join([self.class_year_label if self.class_year else self.email, *roles])

    @property
    def is_onboarded(self) -> bool:
        return self.onboarded_at is not None


class WantedSubject(models.Model):
    """A subject a mentee wants help in; rank 1 is the most wanted."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="wanted_subjects")
    subject = models.ForeignKey("subjects.Subject", on_delete=models.PROTECT, related_name="+")
    rank = models.PositiveSmallIntegerField(default=1)

    class Meta:
        ordering = ["user", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["user", "subject"], name="wanted_subject_once"),
            models.CheckConstraint(condition=Q(rank__gte=1), name="wanted_subject_rank_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.user} wants {self.subject} (#{self.rank})"


class OfferedSubject(models.Model):
    """A subject an approved mentor teaches."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="offered_subjects")
    subject = models.ForeignKey("subjects.Subject", on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "subject"], name="offered_subject_once")]

    def __str__(self) -> str:
        return f"{self.user} teaches {self.subject}"


class MentorApplication(models.Model):
    """A student's application to become a mentor, decided by a program admin."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        APPROVED = "approved", "Approved"
        DECLINED = "declined", "Declined"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="mentor_applications")
    subjects = models.ManyToManyField("subjects.Subject", related_name="+")
    motivation = models.TextField(max_length=2000)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="decided_mentor_applications"
    )
    decision_message = models.TextField(max_length=2000, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=Q(status="pending"), name="one_pending_mentor_application"
            ),
            models.CheckConstraint(
                condition=Q(status="pending", decided_at__isnull=True) | (~Q(status="pending") & Q(decided_at__isnull=False)),
                name="mentor_application_decided_when_not_pending",
            ),
        ]

    def __str__(self) -> str:
        return f"Mentor application of {self.user} ({self.get_status_display()})"


def new_invitation_token() -> str:
    return secrets.token_urlsafe(32)


class Invitation(models.Model):
    """A program admin's invitation to sign up; the link proves the address, so it skips verification."""

    VALID_DAYS = 14

    email = models.EmailField()
    token = models.CharField(max_length=64, unique=True, default=new_invitation_token)
    invited_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"), condition=Q(accepted_at__isnull=True), name="one_open_invitation_per_email"
            ),
        ]

    def __str__(self) -> str:
        return f"Invitation for {self.email}"

    def is_usable(self, now: datetime) -> bool:
        return self.accepted_at is None and now - self.created_at < timedelta(days=self.VALID_DAYS)


class SignInRefusal(models.Model):
    """A school sign-in (SSO) that was refused: shown to program admins in the Django admin."""

    class Reason(models.TextChoices):
        INVALID = "invalid", "Invalid response (unsigned, expired, wrong audience, bad signature)"
        REPLAYED = "replayed", "Replayed assertion"
        NO_EMAIL = "no_email", "No email address"
        CANCELLED = "cancelled", "Cancelled or denied at the identity provider"
        OTHER = "other", "Other error (e.g. not an answer to a sign-in we started)"

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    provider = models.CharField(max_length=100)
    reason = models.CharField(max_length=20, choices=Reason.choices)
    detail = models.TextField(blank=True, help_text="What the SSO library said, for the school's IT office.")
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} via {self.provider} at {self.at:%Y-%m-%d %H:%M}"


class SeenAssertion(models.Model):
    """A SAML assertion id already used to sign in: the same assertion is refused a second time."""

    assertion_id = models.CharField(max_length=200, unique=True)
    provider = models.CharField(max_length=100)
    expires_at = models.DateTimeField(
        null=True, blank=True, db_index=True, help_text="NotOnOrAfter: after it python3-saml refuses the assertion anyway."
    )
    seen_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.assertion_id
