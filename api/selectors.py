from datetime import datetime
from typing import TYPE_CHECKING, TypedDict, cast

from django.db.models import QuerySet

from api.models import ApiToken

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    from accounts.models import User
    from sessions.models import Attendance, Booking, Occurrence, ReviewSeries

    class _SeatCounts(TypedDict):
        booked_count: int
        seats_left: int
        waiting_count: int

    # An occurrence from api_occurrences(): its seats counted in the same query.
    CountedOccurrence = WithAnnotations[Occurrence, _SeatCounts]


def tokens_for_page() -> QuerySet[ApiToken]:
    """Active tokens first (newest first), then the revoked ones."""
    return ApiToken.objects.select_related("created_by", "revoked_by").order_by("revoked_at", "-created_at", "-pk")


def _given(**lookups: object) -> dict[str, object]:
    """The lookups the caller gave a value for (not None): a list endpoint's optional filters."""
    return {lookup: value for lookup, value in lookups.items() if value is not None}


def api_series(
    *, subject_id: int | None = None, mentor_id: int | None = None, status: str | None = None
) -> "QuerySet[ReviewSeries]":
    """Series, oldest first; each filter applies when given."""
    from sessions.models import ReviewSeries

    return (
        ReviewSeries.objects.select_related("subject", "mentor")
        .filter(**_given(subject_id=subject_id, mentor_id=mentor_id, status=status))
        .order_by("pk")
    )


def api_occurrences(
    *, starts_from: datetime | None = None, starts_until: datetime | None = None, subject_id: int | None = None,
    series_id: int | None = None, mentor_id: int | None = None,
) -> "QuerySet[CountedOccurrence]":  # fmt: skip
    """Occurrences with `booked_count`, `seats_left` and `waiting_count`, counted in the same query."""
    from sessions.models import Occurrence

    qs = (
        Occurrence.objects.select_related("series", "series__subject", "series__mentor")
        .with_seats_left()
        .with_waiting_count()
        .filter(
            **_given(
                starts_at__gte=starts_from,
                starts_at__lt=starts_until,
                series__subject_id=subject_id,
                series_id=series_id,
                series__mentor_id=mentor_id,
            )
        )
    )
    # with_seats_left() and with_waiting_count() add the annotations, which the stubs cannot see.
    return cast("QuerySet[CountedOccurrence]", qs.order_by("starts_at", "pk"))


def student_bookings(student: "User") -> "QuerySet[Booking]":
    from sessions.models import Booking

    return (
        Booking.objects.filter(mentee=student)
        .select_related("occurrence", "occurrence__series", "occurrence__series__subject")
        .order_by("-occurrence__starts_at", "-pk")
    )


def student_attendance(student: "User") -> "QuerySet[Attendance]":
    from sessions.models import Attendance

    return (
        Attendance.objects.filter(mentee=student)
        .select_related("occurrence", "occurrence__series", "occurrence__series__subject")
        .order_by("-occurrence__starts_at", "-pk")
    )
