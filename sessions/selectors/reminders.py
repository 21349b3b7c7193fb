"""Who is told what: the attending bookings reminders iterate over, the admins' reminder log, each
mentee's changed sessions for one email."""

from datetime import datetime
from typing import TYPE_CHECKING

from django.db.models import Count, QuerySet

from sessions.models import (
    Booking,
    Occurrence,
    Reminder,
)

if TYPE_CHECKING:
    from accounts.models import User


def attending_bookings(*, starts_from: datetime, starts_until: datetime) -> QuerySet[Booking]:
    """Active bookings of scheduled occurrences starting in [starts_from, starts_until), with the
    mentee, occurrence, series, subject and mentor joined: what reminders and reports iterate over."""
    return (
        Booking.objects.attending()
        .filter(occurrence__starts_at__gte=starts_from, occurrence__starts_at__lt=starts_until)
        .select_related("mentee", "occurrence", "occurrence__series", "occurrence__series__subject", "occurrence__series__mentor")
        .order_by("occurrence__starts_at", "pk")
    )


def reminder_log(*, status: str | None = None) -> QuerySet[Reminder]:
    """Reminders newest-due first, with what the log page shows joined in."""
    reminders = Reminder.objects.select_related(
        "recipient", "occurrence__series__subject", "email"
    ).order_by("-due_at", "-pk")
    if status:
        reminders = reminders.filter(status=status)
    return reminders


def reminder_status_counts() -> dict[str, int]:
    counts = dict(Reminder.objects.order_by().values_list("status").annotate(n=Count("pk")))
    return {value: counts.get(value, 0) for value, _ in Reminder.Status.choices}


def booked_sessions_by_mentee(occurrence_ids: list[int]) -> list[tuple["User", list[Occurrence]]]:
    """Each mentee with a seat in any of these occurrences, with those occurrences in time order
    (one email per mentee, listing every session of theirs that changed)."""
    by_mentee: dict[int, tuple[User, list[Occurrence]]] = {}
    bookings = Booking.objects.booked().filter(occurrence_id__in=occurrence_ids).select_related(
        "mentee", "occurrence__series__subject", "occurrence__series__mentor"
    )
    for booking in bookings.order_by("occurrence__starts_at", "pk"):
        by_mentee.setdefault(booking.mentee_id, (booking.mentee, []))[1].append(booking.occurrence)
    return list(by_mentee.values())
