"""What browsing shows: upcoming occurrences with their seats, one card, one occurrence's page with
its roster and waitlist."""

from collections.abc import Sequence
from datetime import datetime, time
from typing import TYPE_CHECKING

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from sessions.models import (
    Booking,
    Occurrence,
    ReviewSeries,
    WaitlistEntry,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User
    from sessions.models import OccurrenceQuerySet
    from subjects.models import Subject


TIMES_OF_DAY = {
    "morning": (time(0, 0), time(12, 0)),
    "afternoon": (time(12, 0), time(17, 0)),
    "evening": (time(17, 0), time(23, 59, 59)),
}


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


def seats_left(occurrence: Occurrence) -> int:
    """Seats left in one occurrence (use the `seats_left` annotation for lists)."""
    if hasattr(occurrence, "seats_left"):
        return occurrence.seats_left
    held = occurrence.waitlist.filter(status=WaitlistEntry.Status.OFFERED).count()  # offered to the first in line
    return occurrence.seats - occurrence.bookings.booked().count() - held


def upcoming_occurrences(
    *,
    viewer: "User | AnonymousUser | None" = None,
    subject: "Subject | None" = None,
    mentor: "User | None" = None,
    weekday: int | None = None,
    time_of_day: str | None = None,
    with_seats: bool = False,
    now: datetime | None = None,
) -> QuerySet[Occurrence]:
    """Scheduled future occurrences for browsing, with `seats_left`, `waiting_count` and, for a
    viewer, `viewer_booked` / `viewer_waiting`, all computed in the one query."""
    qs = browse_occurrences(
        subject=subject, mentor=mentor, weekday=weekday, time_of_day=time_of_day, with_seats=with_seats, now=now,
        for_card_actions=True,
    ).with_waiting_count()  # fmt: skip
    if viewer is not None and viewer.is_authenticated:
        qs = qs.annotate(
            viewer_booked=Exists(
                Booking.objects.booked().filter(occurrence=OuterRef("pk"), mentee=viewer)
            ),
            viewer_waiting=Exists(
                WaitlistEntry.objects.filter(
                    occurrence=OuterRef("pk"), mentee=viewer, status=WaitlistEntry.Status.WAITING
                )
            ),
        )
    return qs.with_seats_left() if not with_seats else qs


# What a browse card shows (sessions/_occurrence_card.html): the rest of these rows (the series'
# description, the mentor's profile and its JSON fields) is not read for the page.
BROWSE_CARD_FIELDS = (
    "series", "starts_at", "ends_at", "seats", "location", "status",
    "series__title", "series__subject", "series__mentor", "series__subject__name",
    "series__mentor__first_name", "series__mentor__last_name", "series__mentor__email",
)  # fmt: skip


def browse_occurrences(
    *,
    subject: "Subject | None" = None,
    mentor: "User | None" = None,
    weekday: int | None = None,
    time_of_day: str | None = None,
    with_seats: bool = False,
    now: datetime | None = None,
    for_card_actions: bool = False,
) -> "OccurrenceQuerySet":
    """The browse filters over scheduled future occurrences of active series, in time order, with
    series, subject and mentor joined but no counts (unless `with_seats` filters on them): the page
    counts the seats of its own rows with count_seats(), which costs far less than the annotations.
    Only the columns a card shows are read, unless `for_card_actions` (the full rows)."""
    qs = (
        Occurrence.objects.upcoming(_now(now))
        .filter(series__status=ReviewSeries.Status.ACTIVE)
        .select_related("series", "series__subject", "series__mentor")
    )
    if not for_card_actions:
        qs = qs.only(*BROWSE_CARD_FIELDS)
    if subject:
        qs = qs.filter(series__subject=subject)
    if mentor:
        qs = qs.filter(series__mentor=mentor)
    if weekday is not None:
        qs = qs.filter(series__weekday=weekday)
    if time_of_day in TIMES_OF_DAY:
        start, end = TIMES_OF_DAY[time_of_day]
        qs = qs.filter(series__start_time__gte=start, series__start_time__lt=end)
    if with_seats:
        qs = qs.with_seats_left().filter(seats_left__gt=0)  # type: ignore[misc]  # with_seats_left()'s annotation, unseen by the plugin
    return qs.order_by("starts_at", "pk")


def count_seats(occurrences: Sequence[Occurrence], *, viewer: "User | None" = None) -> Sequence[Occurrence]:
    """Set on each occurrence what upcoming_occurrences() annotates (`booked_count`, `held_count`,
    `seats_left`, `waiting_count`, and with a viewer `viewer_booked`, `viewer_waiting`), in two
    grouped queries for all of them: for a page of rows already fetched, far cheaper to build than
    the per-row subqueries."""
    ids = [occurrence.pk for occurrence in occurrences]
    viewer_id = viewer.pk if viewer is not None else None
    booked = {
        row["occurrence_id"]: row
        for row in Booking.objects.booked()
        .filter(occurrence_id__in=ids)
        .order_by()
        .values("occurrence_id")
        .annotate(n=Count("pk"), mine=Count("pk", filter=Q(mentee_id=viewer_id)))
    }
    offered, waiting = WaitlistEntry.Status.OFFERED, WaitlistEntry.Status.WAITING
    waits = {
        row["occurrence_id"]: row
        for row in WaitlistEntry.objects.filter(occurrence_id__in=ids, status__in=[offered, waiting])
        .order_by()
        .values("occurrence_id")
        .annotate(
            held=Count("pk", filter=Q(status=offered)),
            waiting=Count("pk", filter=Q(status=waiting)),
            mine=Count("pk", filter=Q(status=waiting, mentee_id=viewer_id)),
        )
    }
    no_bookings, no_waits = {"n": 0, "mine": 0}, {"held": 0, "waiting": 0, "mine": 0}
    for occurrence in occurrences:
        seats, line = booked.get(occurrence.pk, no_bookings), waits.get(occurrence.pk, no_waits)
        counted = {
            "booked_count": seats["n"],
            "held_count": line["held"],
            "seats_left": occurrence.seats - seats["n"] - line["held"],
            "waiting_count": line["waiting"],
            "viewer_booked": bool(seats["mine"]),
            "viewer_waiting": bool(line["mine"]),
        }
        for name, value in counted.items():  # the names the annotations of with_seats_left() & co. give
            setattr(occurrence, name, value)
    return occurrences
def browse_card(occurrence: Occurrence, *, viewer: "User", now: datetime | None = None) -> Occurrence | None:
    """`occurrence` (fetched with its series, subject and mentor) with what upcoming_occurrences()
    annotates for `viewer` (`seats_left`, `waiting_count`, `viewer_booked`, `viewer_waiting`), or None
    when browse would not list it (cancelled, started, series cancelled, gone). One plain query
    (Occurrence.seat_state) instead of the annotated one: the card a booking rush answers with."""
    state = occurrence.seat_state(viewer.pk)
    if (
        state is None
        or state.status != Occurrence.Status.SCHEDULED
        or occurrence.series.status != ReviewSeries.Status.ACTIVE
        or occurrence.has_started(_now(now))
    ):
        return None
    occurrence.seats, occurrence.status = state.seats, state.status
    for name in ("booked_count", "held_count", "seats_left", "waiting_count", "viewer_booked", "viewer_waiting"):
        setattr(occurrence, name, getattr(state, name))
    return occurrence


def occurrences_for_page() -> QuerySet[Occurrence]:
    """Occurrences with what their page shows (series, subject, mentor, `seats_left`); views fetch
    one with get_object_or_404, so a missing id is a 404."""
    return Occurrence.objects.select_related("series", "series__subject", "series__mentor").with_seats_left()


def roster(occurrence: Occurrence) -> list[Booking]:
    return list(occurrence.bookings.booked().select_related("mentee").order_by("created_at", "pk"))


def waitlist(occurrence: Occurrence) -> list[WaitlistEntry]:
    return list(occurrence.waitlist.filter(status=WaitlistEntry.Status.WAITING).select_related("mentee"))
