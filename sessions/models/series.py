"""A mentor's weekly review series: the local wall-clock rule its occurrences are generated from,
and the bounds that make sense for a term."""

from datetime import date, timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q

from core.text import validate_single_line

WEEKDAYS = [
    (0, "Monday"),
    (1, "Tuesday"),
    (2, "Wednesday"),
    (3, "Thursday"),
    (4, "Friday"),
    (5, "Saturday"),
    (6, "Sunday"),
]


# Bounds that make sense for a term (issue 11: 10^14 minutes or the year 9999 used to answer 500).
MAX_DURATION_MINUTES = 8 * 60
MAX_SEATS = 200
MAX_SERIES_DAYS = 53 * 7  # one year of weekly sessions (sessions.recurrence.MAX_WEEKS)
PLANNING_HORIZON = timedelta(days=2 * 366)  # sessions are planned at most two years ahead
SEAT_BOUNDS = [MinValueValidator(1), MaxValueValidator(MAX_SEATS)]
DURATION_BOUNDS = [MinValueValidator(1), MaxValueValidator(MAX_DURATION_MINUTES)]


def default_time_zone() -> str:
    return settings.TIME_ZONE


class ReviewSeries(models.Model):
    """A mentor's weekly group review session for one term."""

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        CANCELLED = "cancelled", "Cancelled"

    mentor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="review_series")
    subject = models.ForeignKey("subjects.Subject", on_delete=models.PROTECT, related_name="review_series")
    title = models.CharField(max_length=120, validators=[validate_single_line])
    description = models.TextField(max_length=4000, blank=True)
    weekday = models.PositiveSmallIntegerField(choices=WEEKDAYS)
    start_time = models.TimeField(help_text="Local wall-clock time in the series' time zone.")
    duration_minutes = models.PositiveSmallIntegerField(validators=DURATION_BOUNDS)
    time_zone = models.CharField(max_length=64, default=default_time_zone)
    location = models.CharField("room", max_length=200, blank=True, validators=[validate_single_line])
    video_link = models.URLField(max_length=500, blank=True)
    seats = models.PositiveSmallIntegerField(validators=SEAT_BOUNDS)
    first_date = models.DateField()
    last_date = models.DateField()
    skip_dates = models.JSONField(default=list, blank=True, help_text="ISO dates with no session.")
    allowed_class_years = models.JSONField(
        default=list, blank=True, help_text="Class years (1..4) who may book; set at publishing."
    )
    # Only mentees in an active mentorship with this mentor may book (sessions.services.check_eligible).
    matched_mentees_only = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["weekday", "start_time", "pk"]
        verbose_name_plural = "review series"
        constraints = [
            models.CheckConstraint(condition=Q(seats__gt=0), name="series_seats_positive"),
            models.CheckConstraint(condition=Q(seats__lte=MAX_SEATS), name="series_seats_at_most_max"),
            models.CheckConstraint(
                condition=Q(duration_minutes__gt=0, duration_minutes__lte=MAX_DURATION_MINUTES),
                name="series_duration_at_most_8_hours",
            ),
            models.CheckConstraint(
                condition=Q(last_date__lte=F("first_date") + timedelta(days=MAX_SERIES_DAYS)),
                name="series_at_most_a_year",
            ),
            models.CheckConstraint(condition=Q(weekday__gte=0, weekday__lte=6), name="series_weekday_valid"),
            models.CheckConstraint(condition=Q(last_date__gte=F("first_date")), name="series_ends_after_start"),
            models.CheckConstraint(
                condition=~Q(status="cancelled") | Q(cancelled_at__isnull=False), name="series_cancelled_has_time"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_weekday_display()}s {self.start_time:%H:%M})"

    @property
    def skipped(self) -> set[date]:
        return {date.fromisoformat(d) for d in self.skip_dates}
