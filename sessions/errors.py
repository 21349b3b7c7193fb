"""Domain errors of review sessions. Each carries a message a user can read; views show it on the form."""


class SessionError(Exception):
    """A rule of the program refused the action. `field` names the form field it belongs to, if any."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return self.message


class InvalidSchedule(SessionError):
    """The series or occurrence times make no sense (ends before it starts, past, DST gap...)."""


class Overlap(SessionError):
    """The action would put one person in two sessions at once."""


class NotAllowed(SessionError):
    """The person may not do this (not the series' mentor, not a mentee)."""


class NotEligible(SessionError):
    """The mentee may not book this series (class year, matched mentees only)."""


class NotBookable(SessionError):
    """The session is cancelled, past or already started."""


class SessionFull(SessionError):
    """No seat left; the waitlist is open."""


class AlreadyBooked(SessionError):
    """The mentee already holds this seat or waitlist place."""


class TooLate(SessionError):
    """The session already started or the edit window has closed."""


class NotAttended(SessionError):
    """Only mentees who attended may rate a session."""
