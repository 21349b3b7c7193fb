"""Domain errors of review sessions: precisely named ApplicationErrors (core.errors), each with a
message a user can read; views show it on the form or as a message (core.views)."""

from core.errors import ApplicationError


class SessionError(ApplicationError):
    """A rule of review sessions refused the action."""


class InvalidSchedule(SessionError):
    """The series or occurrence times make no sense (ends before it starts, past, DST gap...)."""


class Overlap(SessionError):
    """The action would put one person in two sessions at once."""


class NotAllowed(SessionError):
    """The person may not do this (not the series' mentor, not a mentee)."""


class NotEligibleToBook(SessionError):
    """The mentee may not book this series (class year, matched mentees only)."""


class NotBookable(SessionError):
    """The session or series is cancelled, past or already started."""


class SeatsLeft(SessionError):
    """A mentee asked for the waitlist while seats are free: they should book one."""


class NothingToUndo(SessionError):
    """The booking or waitlist place was already cancelled or left."""


class AlreadyRated(SessionError):
    """The mentee has rated this session already."""


class SessionFull(SessionError):
    """No seat left; the waitlist is open."""


class AlreadyBooked(SessionError):
    """The mentee already holds this seat or waitlist place."""


class TooLate(SessionError):
    """The session already started or the edit window has closed."""


class NotAttended(SessionError):
    """Only mentees who attended may rate a session."""


class NoShowLimitReached(SessionError):
    """The mentee reached the program's no-show limit this term; a program admin must clear it."""


class WeeklyCapReached(SessionError):
    """The mentee already booked the program's weekly cap of sessions that week."""


class OfferNotOpen(SessionError):
    """The waitlist offer was already answered, expired, or passed to the next in line."""
