"""Every write review sessions allow: publish, edit, cancel, book, waitlist, attend, note, rate.

A package by concern (publishing, booking, records; common helpers), re-exporting every name so
callers keep `from sessions import services`. Each service owns its transaction. Whatever reads
seats and then writes a booking locks the occurrence row first (core.locking), so on PostgreSQL
two mentees can never take the same last seat; lock order is occurrences before the mentee's
user row (core.locking.LOCK_ORDER). Services raise sessions.errors (ApplicationError) subclasses.
The modules' private helpers (`_lock_occurrence`, ...) are theirs: import them from the module.
"""

from sessions.services.attendance_rules import (  # noqa: F401
    NoShowCount,
    check_booking_rules,
    clear_no_shows,
    count_no_shows,
    program_contact,
    warn_if_near_no_show_limit,
)
from sessions.services.booking import (  # noqa: F401
    SeriesBookingResult,
    book_seat,
    book_series,
    cancel_booking,
    end_standing_booking,
)
from sessions.services.common import (  # noqa: F401
    OPTIONAL_KINDS,
    default_class_years,
)
from sessions.services.publishing import (  # noqa: F401
    cancel_occurrence,
    cancel_occurrences,
    cancel_series_from,
    edit_occurrence,
    edit_series_from,
    publish_series,
)
from sessions.services.records import (  # noqa: F401
    notes_editable_until,
    rate_occurrence,
    record_attendance,
    record_session,
    regenerate_calendar_token,
    save_outcome_note,
)
from sessions.services.seats import (  # noqa: F401
    _book_locked,
    _check_bookable,
    _mentee_clash,
    _refuse_if_plainly_full,
    _waitlist_locked,
    check_can_take_seat,
    check_eligible,
    seats_taken,
)
from sessions.services.waitlist import (  # noqa: F401
    accept_offer,
    decline_offer,
    expire_waitlist_offers,
    join_waitlist,
    leave_waitlist,
    offer_deadline,
    promote_waitlist,
)
