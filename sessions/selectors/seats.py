"""A mentee's seats as their calendar sees them, and the calendar feed's occurrences."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Max, Q, QuerySet

from sessions.models import (
    Booking,
    Occurrence,
)
from sessions.selectors.browse import _now

if TYPE_CHECKING:
    from accounts.models import User


# A feed lists what starts from this many days ago on, and everything ahead (README, "Calendar feed").
FEED_PAST_DAYS = 90


@dataclass(frozen=True)
class Seat:
    """A mentee's seat in one occurrence as their calendar sees it.

    `revision` counts the seat's changes (booked 0, cancelled 1, booked again 2, ...), derived from
    the Booking rows that are kept on cancel; added to the occurrence's own sequence it gives a
    SEQUENCE that never goes down. `changed_at` is the last of those changes.
    """

    revision: int
    cancelled: bool
    changed_at: datetime


def seats_of(*, mentee: "User", occurrences: QuerySet[Occurrence] | None = None, since: datetime | None = None) -> dict[int, Seat]:
    """The mentee's seats by occurrence id (one query), in `occurrences` or starting from `since` on."""
    bookings = Booking.objects.filter(mentee=mentee)
    if occurrences is not None:
        bookings = bookings.filter(occurrence__in=occurrences)
    if since is not None:
        bookings = bookings.filter(occurrence__starts_at__gte=since)
    return {row["occurrence_id"]: _seat(row) for row in _seat_rows(bookings, "occurrence_id")}


def seats_by_mentee(*, occurrence_ids: Iterable[int], mentee_ids: Iterable[int]) -> dict[tuple[int, int], Seat]:
    """Seats of many mentees at once, by (occurrence id, mentee id): seats_of() for a batch, one query."""
    bookings = Booking.objects.filter(occurrence_id__in=set(occurrence_ids), mentee_id__in=set(mentee_ids))
    rows = _seat_rows(bookings, "occurrence_id", "mentee_id")
    return {(row["occurrence_id"], row["mentee_id"]): _seat(row) for row in rows}


def _seat_rows(bookings: QuerySet[Booking], *per: str) -> QuerySet[Booking, dict[str, Any]]:
    """What _seat() reads, one row per value of the `per` columns: bookings made and cancelled, and
    when last booked and last cancelled."""
    return (
        bookings.order_by()
        .values(*per)
        .annotate(
            made=Count("pk"),
            cancelled=Count("pk", filter=Q(status=Booking.Status.CANCELLED)),
            last_booked=Max("created_at"),
            last_cancelled=Max("cancelled_at"),
        )
    )


def _seat(row: dict[str, Any]) -> Seat:
    # Each booking row is one "booked" change (the first is revision 0), each cancelled row one more.
    return Seat(
        revision=row["made"] + row["cancelled"] - 1,
        cancelled=row["cancelled"] == row["made"],
        changed_at=max(row["last_booked"], row["last_cancelled"] or row["last_booked"]),
    )


def calendar_occurrences(*, user: "User", now: datetime | None = None) -> tuple[list[Occurrence], dict[int, Seat]]:
    """Everything for a person's calendar feed: sessions they run and sessions they booked or
    cancelled a seat in, starting from FEED_PAST_DAYS ago on (all future ones), and their seats."""
    since = _now(now) - timedelta(days=FEED_PAST_DAYS)
    seats = seats_of(mentee=user, since=since)
    occurrences = list(
        Occurrence.objects.filter(starts_at__gte=since)
        .filter(Q(series__mentor=user) | Q(pk__in=list(seats)))
        .select_related("series", "series__subject", "series__mentor")
        .order_by("starts_at")
    )
    return occurrences, seats
