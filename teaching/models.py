"""The mentor's teaching record made provable, and what a mentor must complete before publishing.

- `Endorsement`: a program admin vouches for one term of a mentor's record. The figures are copied
  onto the row when it is made, so later changes to sessions never alter what was endorsed.
- `Certificate`: the PDF of an endorsement, with a verification link. The link's token is shown
  only inside the PDF; the row keeps its SHA-256 (`token_hash`) and the PDF itself.
- `MilestoneAward`: a recognition threshold (20 hours, 50 hours, ...) a mentor reached; once each.
- `Requirement` / `RequirementCompletion`: readiness (FERPA training, tutor orientation), each with
  an optional validity in months.
"""

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length, Lower
from django.db.models.lookups import LessThanOrEqual

from core.text import validate_single_line

NOTE_MAX_LENGTH = 500
MAX_VALIDITY_MONTHS = 120
# The experience description of the MyERAS application holds at most 750 characters (letters,
# spaces and punctuation), per MedSchoolCoach, "ERAS Experiences Section"
# (https://www.medschoolcoach.com/eras-experiences-section/), for the experiences section the AAMC
# reorganised for the 2024 season (https://students-residents.aamc.org/applying-residencies-eras/
# publication-chapters/2024-eras-season-updates: "short descriptions ... roles, responsibilities").
ERAS_DESCRIPTION_LIMIT = 750


class Endorsement(models.Model):
    """One term of a mentor's record, endorsed by a program admin, with its figures frozen."""

    mentor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="teaching_endorsements")
    term_name = models.CharField(max_length=80, validators=[validate_single_line])
    first_day = models.DateField()
    last_day = models.DateField()
    # The frozen figures (teaching.selectors.term_record at the moment of endorsement).
    subjects = models.CharField(max_length=500, blank=True, validators=[validate_single_line])
    sessions_held = models.PositiveIntegerField()
    verified_hours = models.DecimalField(max_digits=7, decimal_places=2)
    unique_mentees = models.PositiveIntegerField()
    one_to_one_mentees = models.PositiveIntegerField()
    attendance_rate = models.FloatField(null=True, blank=True)
    average_rating = models.FloatField(null=True, blank=True)
    ratings = models.PositiveIntegerField(default=0)
    confidence_gain = models.FloatField(null=True, blank=True)
    confidence_answers = models.PositiveIntegerField(default=0)
    note = models.CharField(max_length=NOTE_MAX_LENGTH, blank=True, validators=[validate_single_line])
    endorsed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    endorsed_at = models.DateTimeField()

    class Meta:
        ordering = ["-first_day", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["mentor", "first_day", "last_day"], name="endorsement_once_per_term"),
            models.CheckConstraint(condition=Q(last_day__gte=F("first_day")), name="endorsement_term_ends_after_start"),
            models.CheckConstraint(condition=Q(sessions_held__gte=1), name="endorsement_has_sessions"),
            models.CheckConstraint(condition=Q(verified_hours__gte=Decimal("0")), name="endorsement_hours_not_negative"),
            models.CheckConstraint(
                condition=Q(attendance_rate__isnull=True) | Q(attendance_rate__gte=0, attendance_rate__lte=1),
                name="endorsement_attendance_rate_is_a_share",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mentor} – {self.term_name}"

    @property
    def has_valid_certificate(self) -> bool:
        return any(c.revoked_at is None for c in self.certificates.all())  # prefetched by the record page


class CertificateQuerySet(models.QuerySet["Certificate"]):
    def valid(self) -> "CertificateQuerySet":
        return self.filter(revoked_at__isnull=True)


class Certificate(models.Model):
    """The PDF of an endorsement. Revoking it makes its link say "not valid"; a new one can be issued."""

    endorsement = models.ForeignKey(Endorsement, on_delete=models.CASCADE, related_name="certificates")
    token_hash = models.CharField(max_length=64, unique=True, help_text="SHA-256 (hex) of the link's token.")
    pdf = models.BinaryField(help_text="The PDF as issued: the token is inside it and nowhere else.")
    issued_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = CertificateQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["endorsement"], condition=Q(revoked_at__isnull=True), name="one_valid_certificate_per_endorsement"
            ),
        ]

    def __str__(self) -> str:
        return f"Certificate for {self.endorsement}"

    @property
    def is_valid(self) -> bool:
        return self.revoked_at is None


class MilestoneAward(models.Model):
    """A mentor reached `hours` verified teaching hours; the email goes once (the unique constraint)."""

    mentor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="teaching_milestones")
    hours = models.PositiveIntegerField()
    reached_at = models.DateTimeField()

    class Meta:
        ordering = ["hours"]
        constraints = [
            models.UniqueConstraint(fields=["mentor", "hours"], name="milestone_once_per_mentor"),
            models.CheckConstraint(condition=Q(hours__gte=1), name="milestone_hours_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.mentor}: {self.hours} hours"


class Requirement(models.Model):
    """Something a mentor must complete before publishing sessions ("FERPA training")."""

    name = models.CharField(max_length=120, validators=[validate_single_line])
    description = models.CharField(max_length=300, blank=True, validators=[validate_single_line])
    valid_for_months = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_VALIDITY_MONTHS)],
        help_text="How long a completion counts, in months. Empty: it never expires.",
    )
    active = models.BooleanField(default=True, help_text="Only active requirements block publishing.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="requirement_name_unique_ci"),
            models.CheckConstraint(
                condition=Q(valid_for_months__isnull=True)
                | Q(valid_for_months__gte=1, valid_for_months__lte=MAX_VALIDITY_MONTHS),
                name="requirement_validity_1_to_120_months",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def expires_on(self, completed_on: date) -> date | None:
        """The first day the completion no longer counts, or None when it never expires."""
        if self.valid_for_months is None:
            return None
        month_index = completed_on.month - 1 + self.valid_for_months
        year, month = completed_on.year + month_index // 12, month_index % 12 + 1
        return date(year, month, min(completed_on.day, 28))


class RequirementCompletion(models.Model):
    """A mentor completed a requirement on a day (confirmed by the mentor or recorded by an admin)."""

    requirement = models.ForeignKey(Requirement, on_delete=models.CASCADE, related_name="completions")
    mentor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="requirement_completions")
    completed_on = models.DateField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["requirement__name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["requirement", "mentor"], name="one_completion_per_requirement_and_mentor"),
        ]

    def __str__(self) -> str:
        return f"{self.mentor}: {self.requirement} ({self.completed_on})"

    def expires_on(self) -> date | None:
        return self.requirement.expires_on(self.completed_on)

    def is_current(self, today: date) -> bool:
        expiry = self.expires_on()
        return self.completed_on <= today and (expiry is None or today < expiry)


class ExperienceEntry(models.Model):
    """The mentor's edited text for a residency application's experience entry (ERAS)."""

    mentor = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="experience_entry")
    text = models.TextField(max_length=ERAS_DESCRIPTION_LIMIT)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "experience entries"
        constraints = [
            models.CheckConstraint(condition=LessThanOrEqual(Length("text"), ERAS_DESCRIPTION_LIMIT), name="experience_text_fits_eras"),
        ]

    def __str__(self) -> str:
        return f"Experience entry of {self.mentor}"
