"""Domain errors of the API: each has a message the calling system's developer can read."""


class ApiError(Exception):
    status = 400

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return self.message


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
