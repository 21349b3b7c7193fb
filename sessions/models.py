"""Weekly review sessions: a mentor's series, its dated occurrences, seats, waitlists and outcomes.

Times: `Occurrence.starts_at` / `ends_at` are aware UTC datetimes. The series keeps the local
wall-clock rule (weekday + local start time + time zone) from which occurrences are generated,
so 18:00 stays 18:00 on both sides of a daylight-saving change.

A cancelled occurrence keeps its bookings (status "booked") so the mentee's calendar can show
the cancellation; "who is expected" is `Booking.objects.attending()` (booked, occurrence scheduled).
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import connection, models
from django.db.models import F, OuterRef, Q
from django.utils import timezone

from core.queries import count_per_outer_row
from core.text import validate_single_line

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User

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


class OccurrenceQuerySet(models.QuerySet["Occurrence"]):
    def scheduled(self) -> "OccurrenceQuerySet":
        return self.filter(status=Occurrence.Status.SCHEDULED)

    def upcoming(self, now: datetime | None = None) -> "OccurrenceQuerySet":
        return self.scheduled().filter(starts_at__gt=now or timezone.now())

    def with_seats_left(self) -> "OccurrenceQuerySet":
        """Annotate `booked_count` and `seats_left`, counted in the same query.

        A correlated subquery rather than JOIN + GROUP BY, so a paginated list counts only its page.
        """
        booked = Booking.objects.filter(occurrence=OuterRef("pk"), status=Booking.Status.BOOKED)
        # Seats offered to a waitlisted mentee are held until the offer is answered.
        held = WaitlistEntry.objects.filter(occurrence=OuterRef("pk"), status=WaitlistEntry.Status.OFFERED)
        return self.annotate(
            booked_count=count_per_outer_row(booked, per="occurrence"),
            held_count=count_per_outer_row(held, per="occurrence"),
        ).annotate(seats_left=F("seats") - F("booked_count") - F("held_count"))

    def with_waiting_count(self) -> "OccurrenceQuerySet":
        waiting = WaitlistEntry.objects.filter(occurrence=OuterRef("pk"), status=WaitlistEntry.Status.WAITING)
        return self.annotate(waiting_count=count_per_outer_row(waiting, per="occurrence"))


class Occurrence(models.Model):
    """One dated session of a series. Moving it just changes starts_at / ends_at."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        CANCELLED = "cancelled", "Cancelled"

    series = models.ForeignKey(ReviewSeries, on_delete=models.CASCADE, related_name="occurrences")
    series_date = models.DateField(help_text="The week's date in the series rule; stays put when the session moves.")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    seats = models.PositiveSmallIntegerField(validators=SEAT_BOUNDS)
    location = models.CharField("room", max_length=200, blank=True, validators=[validate_single_line])
    video_link = models.URLField(max_length=500, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    cancel_reason = models.CharField(max_length=500, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    # Bumped on every change the attendees see; calendar clients use it (RFC 5545 SEQUENCE).
    sequence = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OccurrenceQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["status", "starts_at"])]
        constraints = [
            models.UniqueConstraint(fields=["series", "series_date"], name="occurrence_once_per_series_date"),
            models.CheckConstraint(condition=Q(seats__gt=0), name="occurrence_seats_positive"),
            models.CheckConstraint(condition=Q(seats__lte=MAX_SEATS), name="occurrence_seats_at_most_max"),
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="occurrence_ends_after_start"),
            models.CheckConstraint(
                condition=Q(ends_at__lte=F("starts_at") + timedelta(minutes=MAX_DURATION_MINUTES)),
                name="occurrence_at_most_8_hours",
            ),
            models.CheckConstraint(
                condition=~Q(status="cancelled") | Q(cancelled_at__isnull=False),
                name="occurrence_cancelled_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.series.title} on {timezone.localtime(self.starts_at):%a %d %b %Y %H:%M}"

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    def has_started(self, now: datetime | None = None) -> bool:
        return self.starts_at <= (now or timezone.now())

    @property
    def late_cancel_from(self) -> datetime:
        """From this instant on, cancelling a seat counts as a late cancellation (cancel_booking)."""
        return self.starts_at - timedelta(hours=settings.BOOKING_CANCEL_CUTOFF_HOURS)

    def has_ended(self, now: datetime | None = None) -> bool:
        return self.ends_at <= (now or timezone.now())

    def seat_state(self, viewer_id: int) -> "SeatState | None":
        """This occurrence's seats as one mentee sees them, read now (None if the row is gone).

        The counts are with_seats_left()'s and with_waiting_count()'s, in one plain SQL statement:
        the booking rush asks this on every request, and the ORM's subquery annotations cost ~15 ms
        of CPU to build where the statement costs ~0.5 ms. No lock: a caller that must decide under
        the lock counts again there (services.seats)."""
        booked, waiting, offered = Booking.Status.BOOKED, WaitlistEntry.Status.WAITING, WaitlistEntry.Status.OFFERED
        with connection.cursor() as cursor:
            cursor.execute(
                _seat_state_sql(),
                [booked, booked, viewer_id, offered, waiting, offered, viewer_id, waiting, viewer_id, self.pk],
            )
            row = cursor.fetchone()
        return None if row is None else SeatState(*row)

    @property
    def duration(self) -> timedelta:
        return self.ends_at - self.starts_at

    def video_link_for(self, user: "User | AnonymousUser | None") -> str:
        """The video link if `user` may see it (sessions.rules.see_video_link), otherwise ""."""
        from sessions.rules import see_video_link

        return self.video_link if self.video_link and user is not None and see_video_link(user, self) else ""

    def record_change(self) -> None:
        """Count a change the attendees see: calendars compare SEQUENCE and LAST-MODIFIED (RFC 5545).

        Set here rather than left to auto_now, which bulk_update() does not apply; a caller of
        bulk_update() saves "sequence" and "updated_at".
        """
        self.sequence += 1
        self.updated_at = timezone.now()


class BookingQuerySet(models.QuerySet["Booking"]):
    def booked(self) -> "BookingQuerySet":
        return self.filter(status=Booking.Status.BOOKED)

    def attending(self) -> "BookingQuerySet":
        """Bookings of mentees expected at a session that will take place (reminders use this)."""
        return self.booked().filter(occurrence__status=Occurrence.Status.SCHEDULED)


class Booking(models.Model):
    """A mentee's seat in one occurrence. Cancelling keeps the row; re-booking makes a new one."""

    class Status(models.TextChoices):
        BOOKED = "booked", "Booked"
        CANCELLED = "cancelled", "Cancelled"

    class Source(models.TextChoices):
        SINGLE = "single", "Single session"
        SERIES = "series", "Whole series"
        WAITLIST = "waitlist", "From the waitlist"

    occurrence = models.ForeignKey(Occurrence, on_delete=models.CASCADE, related_name="bookings")
    mentee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="session_bookings")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.BOOKED)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.SINGLE)
    standing_booking = models.ForeignKey(
        "StandingBooking", null=True, blank=True, on_delete=models.SET_NULL, related_name="bookings"
    )
    late_cancel = models.BooleanField(default=False, help_text="Cancelled after the cutoff before start.")
    created_at = models.DateTimeField(default=timezone.now)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    objects = BookingQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["mentee", "status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["occurrence", "mentee"], condition=Q(status="booked"), name="one_active_booking_per_mentee"
            ),
            models.CheckConstraint(
                condition=Q(status="booked", cancelled_at__isnull=True, late_cancel=False)
                | Q(status="cancelled", cancelled_at__isnull=False),
                name="booking_cancel_fields_consistent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mentee} in {self.occurrence} ({self.status})"

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.BOOKED


class StandingBooking(models.Model):
    """A mentee's booking of a whole series: every future occurrence gets its own Booking."""

    series = models.ForeignKey(ReviewSeries, on_delete=models.CASCADE, related_name="standing_bookings")
    mentee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="standing_bookings")
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["series", "mentee"], condition=Q(active=True), name="one_active_standing_booking"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mentee} books every {self.series}"


class WaitlistEntry(models.Model):
    """A mentee waiting for a seat. Position = order of created_at among waiting entries.

    In the program's "offer" waitlist mode a freed seat is held for the first in line: the entry
    is OFFERED until `offer_expires_at`, then accepted (PROMOTED), DECLINED or EXPIRED. An offered
    entry holds its seat (Occurrence.with_seats_left counts it) until it is answered or swept.
    """

    class Status(models.TextChoices):
        WAITING = "waiting", "Waiting"
        OFFERED = "offered", "Offered a seat"
        PROMOTED = "promoted", "Booked from the waitlist"
        DECLINED = "declined", "Declined the offered seat"
        EXPIRED = "expired", "Did not answer the offer in time"
        LEFT = "left", "Left the waitlist"
        CLOSED = "closed", "Closed (session cancelled or started)"

    OPEN_STATUSES = (Status.WAITING, Status.OFFERED)

    occurrence = models.ForeignKey(Occurrence, on_delete=models.CASCADE, related_name="waitlist")
    mentee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="waitlist_entries")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WAITING)
    created_at = models.DateTimeField(default=timezone.now)
    promoted_at = models.DateTimeField(null=True, blank=True)
    left_at = models.DateTimeField(null=True, blank=True)
    offered_at = models.DateTimeField(null=True, blank=True)
    offer_expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name_plural = "waitlist entries"
        constraints = [
            models.UniqueConstraint(
                fields=["occurrence", "mentee"],
                condition=Q(status__in=["waiting", "offered"]),
                name="one_open_entry_per_mentee",
            ),
            models.CheckConstraint(
                condition=~Q(status="promoted") | Q(promoted_at__isnull=False), name="promoted_entry_has_time"
            ),
            models.CheckConstraint(
                condition=~Q(status="offered")
                | Q(offered_at__isnull=False, offer_expires_at__isnull=False, offer_expires_at__gt=F("offered_at")),
                name="offered_entry_has_deadline",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mentee} waiting for {self.occurrence}"


@dataclass(frozen=True)
class SeatState:
    """What Occurrence.seat_state read: the row's seats and status, the seats booked and held by
    offers, the waiting entries, and whether the viewer is booked, offered a seat or waiting."""

    seats: int
    status: str
    booked_count: int
    viewer_booked: bool
    held_count: int
    waiting_count: int
    viewer_offered: bool
    viewer_waiting: bool

    def __post_init__(self) -> None:  # SQL counts: 0/1 to bools (SQLite answers ints)
        for name in ("viewer_booked", "viewer_offered", "viewer_waiting"):
            object.__setattr__(self, name, bool(getattr(self, name)))

    @property
    def seats_left(self) -> int:
        return self.seats - self.booked_count - self.held_count


@cache
def _seat_state_sql() -> str:
    occurrence, booking, entry = Occurrence._meta.db_table, Booking._meta.db_table, WaitlistEntry._meta.db_table

    def count(table: str, *conditions: str) -> str:
        where = " AND ".join(("x.occurrence_id = o.id", *conditions))
        return f"(SELECT COUNT(*) FROM {table} x WHERE {where})"  # noqa: S608 - names from _meta, values are parameters  # nosec B608

    counts = ", ".join(
        [
            count(booking, "x.status = %s"),
            count(booking, "x.status = %s", "x.mentee_id = %s"),
            count(entry, "x.status = %s"),
            count(entry, "x.status = %s"),
            count(entry, "x.status = %s", "x.mentee_id = %s"),
            count(entry, "x.status = %s", "x.mentee_id = %s"),
        ]
    )
    return f"SELECT o.seats, o.status, {counts} FROM {occurrence} o WHERE o.id = %s"  # noqa: S608 - as above  # nosec B608


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
