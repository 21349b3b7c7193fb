"""What the teaching record and the readiness rules refuse, each with a message for the person asking."""

from core.errors import ApplicationError


class EndorsementRefused(ApplicationError):
    """An endorsement was refused as asked (for example a note too long)."""


class NothingToEndorse(EndorsementRefused):
    """The term has no held session of the mentor's: there are no figures to freeze."""


class AlreadyEndorsed(EndorsementRefused):
    """This term of the mentor's record is endorsed already."""


class CertificateProblem(ApplicationError):
    """A certificate cannot be issued or revoked as asked."""


class InvalidExperienceText(ApplicationError):
    """The experience text is empty or longer than the application system allows."""


class InvalidRequirement(ApplicationError):
    """A readiness requirement or completion was refused (a duplicate name, a future date, ...)."""


class NotReadyToPublish(ApplicationError):
    """The mentor has a readiness requirement missing or expired."""
