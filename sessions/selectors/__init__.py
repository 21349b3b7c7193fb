"""Reads for the sessions pages, each a fixed number of queries whatever the data size.

The package: `browse` lists upcoming occurrences with their seats (and one card, one page),
`lists` windows My week and My sessions, `seats` is a mentee's seats and the calendar feed,
`reminders` what reminders and session emails read, `attendance` the admins' no-show lists;
every public name is importable from sessions.selectors.
"""

from sessions.selectors.attendance import (
    ATTENDANCE_LIST_LIMIT,
    MENTOR_NO_SHOW_GRACE,
    MenteeNoShows,
    MentorNoShows,
    mentees_no_shows,
    mentors_no_shows,
)
from sessions.selectors.browse import (
    BROWSE_CARD_FIELDS,
    TIMES_OF_DAY,
    browse_card,
    browse_occurrences,
    count_seats,
    occurrences_for_page,
    roster,
    seats_left,
    upcoming_occurrences,
    waitlist,
)
from sessions.selectors.lists import (
    LISTED_OCCURRENCE_FIELDS,
    MAX_WINDOW,
    ROSTER_SHOWN,
    WEEK_OCCURRENCE_FIELDS,
    WEEK_WINDOW_SIZE,
    WINDOW_SIZE,
    MenteeSessions,
    MentorWeek,
    Window,
    mentee_sessions,
    mentee_sessions_changes_at,
    mentor_week,
    mentor_week_changes_at,
    window_of,
)
from sessions.selectors.reminders import (
    attending_bookings,
    booked_sessions_by_mentee,
    reminder_log,
    reminder_status_counts,
)
from sessions.selectors.seats import (
    FEED_PAST_DAYS,
    Seat,
    calendar_occurrences,
    seats_by_mentee,
    seats_of,
)

__all__ = [
    "ATTENDANCE_LIST_LIMIT",
    "BROWSE_CARD_FIELDS",
    "FEED_PAST_DAYS",
    "LISTED_OCCURRENCE_FIELDS",
    "MAX_WINDOW",
    "MENTOR_NO_SHOW_GRACE",
    "MenteeNoShows",
    "MenteeSessions",
    "MentorNoShows",
    "MentorWeek",
    "ROSTER_SHOWN",
    "Seat",
    "TIMES_OF_DAY",
    "WEEK_OCCURRENCE_FIELDS",
    "WEEK_WINDOW_SIZE",
    "WINDOW_SIZE",
    "Window",
    "attending_bookings",
    "booked_sessions_by_mentee",
    "browse_card",
    "browse_occurrences",
    "calendar_occurrences",
    "count_seats",
    "mentee_sessions",
    "mentee_sessions_changes_at",
    "mentees_no_shows",
    "mentor_week",
    "mentor_week_changes_at",
    "mentors_no_shows",
    "occurrences_for_page",
    "reminder_log",
    "reminder_status_counts",
    "roster",
    "seats_by_mentee",
    "seats_left",
    "seats_of",
    "upcoming_occurrences",
    "waitlist",
    "window_of",
]
