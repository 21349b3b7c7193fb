"""Domain errors of the program's calendar and rules (ApplicationErrors, core.errors)."""

from core.errors import ApplicationError


class InvalidRules(ApplicationError):
    """A rule's value makes no sense (a hold of 0 hours, a limit of 10 000)."""


class NotProgramAdmin(ApplicationError):
    """Only program admins change the program's rules."""
