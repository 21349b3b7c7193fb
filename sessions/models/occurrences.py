"""Dated occurrences and their seats: bookings (single and standing), waitlist entries and the
seat state the booking rush reads in one statement.

Times: `Occurrence.starts_at` / `ends_at` are aware UTC datetimes. A cancelled occurrence keeps
its bookings (status "booked") so the mentee's calendar can show the cancellation; "who is
expected" is `Booking.objects.attending()` (booked, occurrence scheduled)."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import connection, models
from django.db.models import F, OuterRef, Q
from django.utils import timezone

from core.queries import count_per_outer_row
from core.text import validate_single_line
from sessions.models.series import MAX_DURATION_MINUTES, MAX_SEATS, SEAT_BOUNDS, ReviewSeries

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User


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
