"""What every way of taking a seat shares: eligibility, the program's rules, the seat count.

Held seats: in the "offer" waitlist mode an OFFERED waitlist entry holds a seat for its mentee,
so a seat counts as taken when it is booked or offered to someone else.
"""

from datetime import datetime
from typing import TYPE_CHECKING

from django.db.models import Q

from mentorship.selectors import active_mentee_ids_for
from program.models import ProgramRules
from sessions.errors import (
    AlreadyBooked,
    NotBookable,
    NotEligibleToBook,
    Overlap,
    SessionFull,
)
from sessions.models import (
    Booking,
    Occurrence,
    ReviewSeries,
    StandingBooking,
    WaitlistEntry,
)
from sessions.services.attendance_rules import check_booking_rules
from sessions.services.common import _describe

if TYPE_CHECKING:
    from accounts.models import User

FULL_MESSAGE = "This session is full. Join the waitlist to get the next free seat."


def check_eligible(*, series: ReviewSeries, mentee: "User") -> None:
    """Raise NotEligibleToBook unless `mentee` may book this series (role, class year, matched-only)."""
    if series.mentor_id == mentee.pk:
        raise NotEligibleToBook("You run this session; you cannot book a seat in it.")
    if not mentee.is_mentee:
        raise NotEligibleToBook("Only mentees can book sessions.")
    years = series.allowed_class_years
    if years and mentee.class_year not in years:
        allowed = ", ".join(f"MS{y}" for y in years)
        raise NotEligibleToBook(f"This series is open to {allowed} students only.")
    if series.matched_mentees_only and mentee.pk not in active_mentee_ids_for(series.mentor):
        raise NotEligibleToBook("This series is open to the mentor's matched mentees only.")


def _check_bookable(occurrence: Occurrence, now: datetime) -> None:
    if occurrence.is_cancelled or occurrence.series.status != ReviewSeries.Status.ACTIVE:
        raise NotBookable("This session is cancelled.")
    if occurrence.has_started(now):
        raise NotBookable("This session has already started or is over.")


def _mentee_clash(mentee: "User", occurrence: Occurrence) -> Occurrence | None:
    """A scheduled session the mentee booked or runs that overlaps `occurrence`."""
    return (
        Occurrence.objects.scheduled()
        .filter(starts_at__lt=occurrence.ends_at, ends_at__gt=occurrence.starts_at)
        .filter(Q(bookings__mentee=mentee, bookings__status=Booking.Status.BOOKED) | Q(series__mentor=mentee))
        .exclude(pk=occurrence.pk)
        .select_related("series")
        .first()
    )


def seats_taken(occurrence: Occurrence, *, for_mentee: "User | None" = None) -> int:
    """Booked seats plus seats held by offers (except one held for `for_mentee`). Call under the
    occurrence's row lock."""
    held = occurrence.waitlist.filter(status=WaitlistEntry.Status.OFFERED)
    if for_mentee is not None:
        held = held.exclude(mentee=for_mentee)
    return occurrence.bookings.booked().count() + held.count()


def check_can_take_seat(
    occurrence: Occurrence,
    mentee: "User",
    *,
    now: datetime,
    rules: ProgramRules | None = None,
    count_seats: bool = True,
) -> None:
    """Raise the reason the mentee cannot take a seat now: not bookable, not eligible, booked
    already, full (unless `count_seats` is off: an offer's own check), the program's rules, a clash.
    The caller holds the occurrence's and the mentee's row locks."""
    _check_bookable(occurrence, now)
    check_eligible(series=occurrence.series, mentee=mentee)
    if occurrence.bookings.booked().filter(mentee=mentee).exists():
        raise AlreadyBooked("You already have a seat in this session.")
    if count_seats and seats_taken(occurrence, for_mentee=mentee) >= occurrence.seats:
        raise SessionFull(FULL_MESSAGE)
    check_booking_rules(occurrence=occurrence, mentee=mentee, rules=rules)
    clash = _mentee_clash(mentee, occurrence)
    if clash:
        raise Overlap(f"You already have a session at that time: {_describe(clash)}.")


def _book_locked(
    occurrence: Occurrence,
    mentee: "User",
    *,
    now: datetime,
    source: str,
    standing: StandingBooking | None = None,
    rules: ProgramRules | None = None,
) -> Booking:
    """Book a seat; the caller holds the lock on the occurrence row (and the mentee's).

    A seat the waitlist offered to this mentee is theirs to take; the offer is then accepted."""
    check_can_take_seat(occurrence, mentee, now=now, rules=rules)
    booking = Booking.objects.create(
        occurrence=occurrence, mentee=mentee, source=source, standing_booking=standing, created_at=now
    )
    mine = WaitlistEntry.objects.filter(occurrence=occurrence, mentee=mentee)
    mine.filter(status=WaitlistEntry.Status.WAITING).update(status=WaitlistEntry.Status.LEFT, left_at=now)
    mine.filter(status=WaitlistEntry.Status.OFFERED).update(status=WaitlistEntry.Status.PROMOTED, promoted_at=now)
    return booking


def _refuse_if_plainly_full(occurrence: Occurrence, mentee: "User") -> None:
    """Unlocked pre-check: when a popular session fills, the crowd behind it is refused without
    queueing for its row lock. Only a definite "full" is decided here; the locked path decides the rest."""
    state = occurrence.seat_state(mentee.pk)
    if (
        state
        and state.status == Occurrence.Status.SCHEDULED
        and state.seats_left <= 0
        and not state.viewer_booked
        and not state.viewer_offered
    ):
        raise SessionFull(FULL_MESSAGE)


def _waitlist_locked(occurrence: Occurrence, mentee: "User", *, now: datetime) -> WaitlistEntry:
    existing = occurrence.waitlist.filter(mentee=mentee, status__in=WaitlistEntry.OPEN_STATUSES).first()
    return existing or WaitlistEntry.objects.create(occurrence=occurrence, mentee=mentee, created_at=now)
