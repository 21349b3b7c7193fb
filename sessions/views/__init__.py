"""Pages of review sessions: parse input, check permission, call one service or selector, render.

The package: `booking` the mentees' browsing, booking and My sessions, `occurrence` one session's
page, its .ics and the calendar feed, `publishing` the mentors' series and occurrences and My week,
`records` attendance, notes and ratings after the session, `reminders` the admins' reminder log,
`common` what they share; every view is importable from sessions.views (sessions/urls.py).
"""

from sessions.views.booking import (
    BROWSE_PAGE_SIZE,
    MenteeAction,
    book,
    book_series,
    browse,
    cancel_booking,
    confirm_cancel_booking,
    end_standing_booking,
    join_waitlist,
    leave_waitlist,
    my_sessions,
)
from sessions.views.occurrence import (
    calendar_feed,
    occurrence_detail,
    occurrence_ics,
    reset_calendar_token,
)
from sessions.views.publishing import (
    my_week,
    occurrence_cancel,
    occurrence_edit,
    series_cancel,
    series_detail,
    series_edit,
    series_new,
)
from sessions.views.records import (
    rate,
    record,
)
from sessions.views.reminders import (
    REMINDERS_PER_PAGE,
    reminder_log,
)

__all__ = [
    "BROWSE_PAGE_SIZE",
    "MenteeAction",
    "REMINDERS_PER_PAGE",
    "book",
    "book_series",
    "browse",
    "calendar_feed",
    "cancel_booking",
    "confirm_cancel_booking",
    "end_standing_booking",
    "join_waitlist",
    "leave_waitlist",
    "my_sessions",
    "my_week",
    "occurrence_cancel",
    "occurrence_detail",
    "occurrence_edit",
    "occurrence_ics",
    "rate",
    "record",
    "reminder_log",
    "reset_calendar_token",
    "series_cancel",
    "series_detail",
    "series_edit",
    "series_new",
]
