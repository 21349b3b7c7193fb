"""Domain errors of the session survey: ApplicationErrors (core.errors) with a message a user can read."""

from core.errors import ApplicationError


class FeedbackError(ApplicationError):
    """A rule of the survey refused the action."""


class SurveyClosed(FeedbackError):
    """The survey cannot be answered or edited now (not attended, too late, cancelled)."""


class InvalidAnswer(FeedbackError):
    """An answer or a question is not well formed (a score outside 1-5, an empty question)."""


class ConfidenceClosed(FeedbackError):
    """Confidence before the session can only be given by a booked mentee before it ends."""
