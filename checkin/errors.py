"""Domain errors of check-in: ApplicationErrors (core.errors) with a message a mentee can read."""

from core.errors import ApplicationError


class CheckInRefused(ApplicationError):
    """Check-in refused; nothing was recorded."""


class OutsideWindow(CheckInRefused):
    """Too early (more than 15 minutes before the start), after the end, or a cancelled session."""


class WrongCode(CheckInRefused):
    """The code is not this session's: mistyped, or another session's."""


class CodeExpired(CheckInRefused):
    """The code was this session's, some minutes ago."""


class AlreadyCheckedIn(CheckInRefused):
    """The mentee has checked in to this session already."""


class NoSeatForWalkIn(CheckInRefused):
    """A mentee without a booking found every seat taken."""
