"""Domain errors of the API: each has a message the calling system's developer can read."""

from core.errors import ApplicationError


class ApiError(ApplicationError):
    """An ApplicationError the API answers with `status` (api.v1's handlers); a page shows its message."""

    status = 400


class InvalidInput(ApiError):
    """The request's values are well-formed but make no sense (end before start, a year 9999)."""

    status = 422


class ScopeMissing(ApiError):
    """The token is valid but its scope does not cover this operation."""

    status = 403


class RateLimited(ApiError):
    status = 429

    def __init__(self, message: str, *, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after
