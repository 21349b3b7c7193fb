"""Weekly review sessions: a mentor's series, its dated occurrences, seats, waitlists and outcomes.

Times: `Occurrence.starts_at` / `ends_at` are aware UTC datetimes. The series keeps the local
wall-clock rule (weekday + local start time + time zone) from which occurrences are generated,
so 18:00 stays 18:00 on both sides of a daylight-saving change.

A cancelled occurrence keeps its bookings (status "booked") so the mentee's calendar can show
the cancellation; "who is expected" is `Booking.objects.attending()` (booked, occurrence scheduled).

The package: `series` the weekly rule and the term's bounds, `occurrences` the dated sessions and
their seats (bookings, standing bookings, waitlist entries), `records` attendance, outcome notes
and ratings, `reminders` the reminder rows; every model and name is importable from sessions.models.
"""

from sessions.models.occurrences import (
    Booking,
    BookingQuerySet,
    Occurrence,
    OccurrenceQuerySet,
    SeatState,
    StandingBooking,
    WaitlistEntry,
)
from sessions.models.records import (
    Attendance,
    NoteRevision,
    OutcomeNote,
    Rating,
)
from sessions.models.reminders import (
    Reminder,
)
from sessions.models.series import (
    DURATION_BOUNDS,
    MAX_DURATION_MINUTES,
    MAX_SEATS,
    MAX_SERIES_DAYS,
    PLANNING_HORIZON,
    SEAT_BOUNDS,
    WEEKDAYS,
    ReviewSeries,
    default_time_zone,
)

__all__ = [
    "Attendance",
    "Booking",
    "BookingQuerySet",
    "DURATION_BOUNDS",
    "MAX_DURATION_MINUTES",
    "MAX_SEATS",
    "MAX_SERIES_DAYS",
    "NoteRevision",
    "Occurrence",
    "OccurrenceQuerySet",
    "OutcomeNote",
    "PLANNING_HORIZON",
    "Rating",
    "Reminder",
    "ReviewSeries",
    "SEAT_BOUNDS",
    "SeatState",
    "StandingBooking",
    "WEEKDAYS",
    "WaitlistEntry",
    "default_time_zone",
]
