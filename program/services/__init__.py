"""Every write of the program app: the academic calendar, its iCalendar import, announcements, the rules.

A package by concern; callers use `from program import services`."""

from program.services.announcements import (  # noqa: F401
    recipients_for,
    save_announcement_draft,
    send_announcement,
)
from program.services.calendar import (  # noqa: F401
    cancel_sessions_on_holiday,
    check_exam,
    check_term,
    delete_exam,
    delete_holiday,
    delete_term,
    lock_calendar,
    save_exam,
    save_holiday,
    save_term,
)
from program.services.ical_import import (  # noqa: F401
    CalendarPlan,
    PlannedEvent,
    confirm_calendar_import,
    plan_import,
    upload_calendar,
)
from program.services.rules import update_rules  # noqa: F401
