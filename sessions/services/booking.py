"""Booking seats, whole series and standing bookings, and cancelling (mentees).

The checks every way of taking a seat shares are in sessions.services.seats; who gets a freed
seat (the waitlist) in sessions.services.waitlist.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from core import locking
from program.models import ProgramRules
from sessions.errors import (
    AlreadyBooked,
    NotAllowed,
    NotBookable,
    NothingToUndo,
    SessionError,
    SessionFull,
    TooLate,
    WeeklyCapReached,
)
from sessions.models import (
    Booking,
    Occurrence,
    ReviewSeries,
    StandingBooking,
    WaitlistEntry,
)
from sessions.services.attendance_rules import _local_day as _program_day
from sessions.services.attendance_rules import check_booking_rules, warn_if_near_no_show_limit
from sessions.services.common import (
    _email_booking,
    _lock_occurrence,
    _lock_user,
    _now,
    _occurrences_with_series,
    _send_email,
)
from sessions.services.seats import _book_locked, _refuse_if_plainly_full, _waitlist_locked, check_eligible
from sessions.services.waitlist import promote_waitlist, waitlist_position

if TYPE_CHECKING:
    from accounts.models import User


# ---------------------------------------------------------------------------
# Booking (mentees)
# ---------------------------------------------------------------------------
def book_seat(*, occurrence: Occurrence, mentee: "User", now: datetime | None = None) -> Booking:
    """Book one seat in one occurrence and email a confirmation (with an .ics).

    Raises NotBookable (cancelled, started), NotEligibleToBook, AlreadyBooked, SessionFull (offer the
    waitlist) or Overlap. Safe under concurrency: the occurrence row is locked while seats are counted.
    """
    now = _now(now)
    _refuse_if_plainly_full(occurrence, mentee)
    with transaction.atomic():
        occurrence = _lock_occurrence(occurrence.pk)
        _lock_user(mentee.pk)
        booking = _book_locked(occurrence, mentee, now=now, source=Booking.Source.SINGLE)
        _email_booking("booking_confirmed", booking, occurrence, mentee)
    return booking


@dataclass
class SeriesBookingResult:
    standing: StandingBooking
    booked: list[Booking] = field(default_factory=list)
    waitlisted: list[WaitlistEntry] = field(default_factory=list)
    skipped: list[tuple[Occurrence, str]] = field(default_factory=list)


def book_series(*, series: ReviewSeries, mentee: "User", now: datetime | None = None) -> SeriesBookingResult:
    """A standing booking: a seat in every future occurrence, each counted against its own seats.

    Full occurrences put the mentee on their waitlist; overlapping ones are skipped with a reason.
    One summary email. Raises NotEligibleToBook / NotBookable / AlreadyBooked before anything is saved.
    """
    now = _now(now)
    with transaction.atomic():
        occurrences = locking.lock_rows(_occurrences_with_series().filter(series=series).upcoming(now))
        _lock_user(mentee.pk)
        series = ReviewSeries.objects.get(pk=series.pk)
        if series.status != ReviewSeries.Status.ACTIVE:
            raise NotBookable("This series is cancelled.")
        check_eligible(series=series, mentee=mentee)
        if not occurrences:
            raise NotBookable("This series has no upcoming sessions.")
        if StandingBooking.objects.filter(series=series, mentee=mentee, active=True).exists():
            raise AlreadyBooked("You already booked the whole series.")
        rules = ProgramRules.current()
        first = min(occurrences, key=lambda o: o.starts_at)
        try:  # refused for no-shows: nothing is saved (a week over the cap is skipped, below)
            check_booking_rules(occurrence=first, mentee=mentee, rules=rules)
        except SessionError as error:
            if not isinstance(error, WeeklyCapReached):
                raise
        standing = StandingBooking.objects.create(series=series, mentee=mentee, created_at=now)
        result = SeriesBookingResult(standing=standing)
        for occ in sorted(occurrences, key=lambda o: o.starts_at):
            try:
                with transaction.atomic():
                    result.booked.append(
                        _book_locked(
                            occ, mentee, now=now, source=Booking.Source.SERIES, standing=standing, rules=rules
                        )
                    )
            except AlreadyBooked:
                Booking.objects.booked().filter(occurrence=occ, mentee=mentee).update(standing_booking=standing)
            except SessionFull:
                result.waitlisted.append(_waitlist_locked(occ, mentee, now=now))
            except SessionError as error:
                result.skipped.append((occ, error.message))
        _send_email(
            to=mentee,
            kind="series_booked",
            template="sessions/email/series_booked",
            context={
                "series": series,
                "mentee": mentee,
                "booked": [b.occurrence.starts_at for b in result.booked],
                "waitlisted": [(w.occurrence.starts_at, waitlist_position(w)) for w in result.waitlisted],
                "skipped": [(o.starts_at, why) for o, why in result.skipped],
                "url": settings.SITE_URL + reverse("sessions:mine"),
            },
        )
    return result


def cancel_booking(*, booking: Booking, by: "User", now: datetime | None = None) -> Booking:
    """Cancel a seat. After the cutoff (settings.BOOKING_CANCEL_CUTOFF_HOURS before start) it is
    recorded as a late cancellation; once the session started it cannot be cancelled. The freed seat
    goes to the first waitlisted mentee. The mentee gets a confirmation email."""
    now = _now(now)
    if booking.mentee_id != by.pk:
        raise NotAllowed("You can only cancel your own bookings.")
    with transaction.atomic():
        occurrence = _lock_occurrence(booking.occurrence_id)
        booking = locking.lock(Booking.objects.all(), booking.pk)
        if not booking.is_active:
            raise NothingToUndo("This booking is already cancelled.")
        if occurrence.has_started(now):
            raise TooLate("This session has already started; it can no longer be cancelled.")
        cutoff = occurrence.starts_at - timedelta(hours=settings.BOOKING_CANCEL_CUTOFF_HOURS)
        booking.status = Booking.Status.CANCELLED
        booking.cancelled_at = now
        booking.late_cancel = now > cutoff
        booking.save(update_fields=["status", "cancelled_at", "late_cancel"])
        _email_booking("booking_cancelled", booking, occurrence, booking.mentee)
        if booking.late_cancel:
            warn_if_near_no_show_limit(mentee=booking.mentee, day=_program_day(occurrence.starts_at), now=now)
        if not occurrence.is_cancelled:
            promote_waitlist(occurrence=occurrence, now=now)
    return booking


def end_standing_booking(*, standing: StandingBooking, by: "User", now: datetime | None = None) -> list[Booking]:
    """Stop booking the whole series: cancels its future bookings (each by cancel_booking's rules)."""
    now = _now(now)
    if standing.mentee_id != by.pk:
        raise NotAllowed("You can only change your own bookings.")
    with transaction.atomic():
        StandingBooking.objects.filter(pk=standing.pk, active=True).update(active=False, ended_at=now)
        future = list(
            standing.bookings.booked().filter(occurrence__starts_at__gt=now).order_by("occurrence_id")
        )
        return [cancel_booking(booking=b, by=by, now=now) for b in future]
