"""Domain errors of the program's calendar and rules (ApplicationErrors, core.errors)."""

from core.errors import ApplicationError


class InvalidRules(ApplicationError):
    """A rule's value makes no sense (a hold of 0 hours, a limit of 10 000)."""


class NotProgramAdmin(ApplicationError):
    """Only program admins change the program's rules."""


class InvalidCalendar(ApplicationError):
    """A term, holiday or exam that cannot be saved as given (overlap, dates out of order, outside every term)."""


class NotICalendar(ApplicationError):
    """An uploaded file that is not an iCalendar file (or has nothing the calendar can use)."""


class ImportAlreadyConfirmed(ApplicationError):
    """A calendar import confirmed twice."""


class NoRecipients(ApplicationError):
    """An announcement whose audience is empty: nothing is saved or sent."""


class AnnouncementNotAllowed(ApplicationError):
    """An announcement the sender may not send (a mentor writing to someone else's series)."""


class InvalidAnnouncement(ApplicationError):
    """An announcement draft that cannot be saved as given (a value the model refuses)."""


class AlreadySent(ApplicationError):
    """An announcement already sent: it is never sent twice."""
