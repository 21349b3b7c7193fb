"""Booking seats, whole series and standing bookings, cancelling, and the waitlist (mentees)."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse

from core import locking
from mentorship.selectors import active_mentee_ids_for
from sessions.errors import (
    AlreadyBooked,
    NotAllowed,
    NotBookable,
    NotEligibleToBook,
    NothingToUndo,
    Overlap,
    SeatsLeft,
    SessionError,
    SessionFull,
    TooLate,
)
from sessions.models import (
    Booking,
    Occurrence,
    ReviewSeries,
    StandingBooking,
    WaitlistEntry,
)
from sessions.services.common import (
    _describe,
    _email_context,
    _ics_attachment,
    _lock_occurrence,
    _lock_user,
    _now,
    _occurrences_with_series,
    _send_email,
)

if TYPE_CHECKING:
    from accounts.models import User


# ---------------------------------------------------------------------------
# Booking (mentees)
# ---------------------------------------------------------------------------
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


def _book_locked(
    occurrence: Occurrence,
    mentee: "User",
    *,
    now: datetime,
    source: str,
    standing: StandingBooking | None = None,
) -> Booking:
    """Book a seat; the caller holds the lock on the occurrence row (and the mentee's)."""
    _check_bookable(occurrence, now)
    check_eligible(series=occurrence.series, mentee=mentee)
    if occurrence.bookings.booked().filter(mentee=mentee).exists():
        raise AlreadyBooked("You already have a seat in this session.")
    if occurrence.bookings.booked().count() >= occurrence.seats:
        raise SessionFull("This session is full. Join the waitlist to get the next free seat.")
    clash = _mentee_clash(mentee, occurrence)
    if clash:
        raise Overlap(f"You already have a session at that time: {_describe(clash)}.")
    booking = Booking.objects.create(
        occurrence=occurrence, mentee=mentee, source=source, standing_booking=standing, created_at=now
    )
    WaitlistEntry.objects.filter(occurrence=occurrence, mentee=mentee, status=WaitlistEntry.Status.WAITING).update(
        status=WaitlistEntry.Status.LEFT, left_at=now
    )
    return booking


def _refuse_if_plainly_full(occurrence: Occurrence, mentee: "User") -> None:
    """Unlocked pre-check: when a popular session fills, the crowd behind it is refused without
    queueing for its row lock. Only a definite "full" is decided here; the locked path decides the rest."""
    state = (
        Occurrence.objects.filter(pk=occurrence.pk, status=Occurrence.Status.SCHEDULED)
        .with_seats_left()
        .annotate(mine=Exists(Booking.objects.booked().filter(occurrence=OuterRef("pk"), mentee=mentee)))
        .values("seats_left", "mine")
        .first()
    )
    if state and state["seats_left"] <= 0 and not state["mine"]:
        raise SessionFull("This session is full. Join the waitlist to get the next free seat.")


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
        _send_email(
            to=mentee,
            kind="booking_confirmed",
            template="sessions/email/booking_confirmed",
            context=_email_context(occurrence, mentee=mentee, booking=booking),
            attachments=_ics_attachment([occurrence], mentee),
        )
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
        standing = StandingBooking.objects.create(series=series, mentee=mentee, created_at=now)
        result = SeriesBookingResult(standing=standing)
        for occ in sorted(occurrences, key=lambda o: o.starts_at):
            try:
                with transaction.atomic():
                    result.booked.append(
                        _book_locked(occ, mentee, now=now, source=Booking.Source.SERIES, standing=standing)
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
                "waitlisted": [w.occurrence.starts_at for w in result.waitlisted],
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
        _send_email(
            to=booking.mentee,
            kind="booking_cancelled",
            template="sessions/email/booking_cancelled",
            context=_email_context(occurrence, mentee=booking.mentee, booking=booking),
            attachments=_ics_attachment([occurrence], booking.mentee),
        )
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


def _waitlist_locked(occurrence: Occurrence, mentee: "User", *, now: datetime) -> WaitlistEntry:
    existing = occurrence.waitlist.filter(mentee=mentee, status=WaitlistEntry.Status.WAITING).first()
    return existing or WaitlistEntry.objects.create(occurrence=occurrence, mentee=mentee, created_at=now)


def join_waitlist(*, occurrence: Occurrence, mentee: "User", now: datetime | None = None) -> WaitlistEntry:
    """Queue for a full session; the first waitlisted mentee gets the next free seat automatically."""
    now = _now(now)
    with transaction.atomic():
        occurrence = _lock_occurrence(occurrence.pk)
        _check_bookable(occurrence, now)
        check_eligible(series=occurrence.series, mentee=mentee)
        if occurrence.bookings.booked().filter(mentee=mentee).exists():
            raise AlreadyBooked("You already have a seat in this session.")
        if occurrence.waitlist.filter(mentee=mentee, status=WaitlistEntry.Status.WAITING).exists():
            raise AlreadyBooked("You are already on the waitlist.")
        if occurrence.bookings.booked().count() < occurrence.seats:
            raise SeatsLeft("There are seats left: book one instead.")
        return _waitlist_locked(occurrence, mentee, now=now)


def leave_waitlist(*, entry: WaitlistEntry, by: "User", now: datetime | None = None) -> WaitlistEntry:
    now = _now(now)
    if entry.mentee_id != by.pk:
        raise NotAllowed("You can only leave your own waitlist places.")
    updated = WaitlistEntry.objects.filter(pk=entry.pk, status=WaitlistEntry.Status.WAITING).update(
        status=WaitlistEntry.Status.LEFT, left_at=now
    )
    if not updated:
        raise NothingToUndo("You are no longer on this waitlist.")
    entry.refresh_from_db()
    return entry


def promote_waitlist(*, occurrence: Occurrence, now: datetime | None = None) -> list[Booking]:
    """Give free seats to waitlisted mentees in the order they joined, emailing each.

    A waiting mentee who cannot take the seat now (a clash, no longer eligible) is passed over and
    keeps their place. Nothing happens once the session started or was cancelled.
    """
    now = _now(now)
    promoted: list[Booking] = []
    with transaction.atomic():
        occurrence = _lock_occurrence(occurrence.pk)
        if occurrence.is_cancelled or occurrence.has_started(now):
            return promoted
        free = occurrence.seats - occurrence.bookings.booked().count()
        if free <= 0:
            return promoted
        for entry in occurrence.waitlist.filter(status=WaitlistEntry.Status.WAITING).select_related("mentee"):
            if free <= 0:
                break
            try:
                with transaction.atomic():
                    mentee = _lock_user(entry.mentee_id)
                    booking = _book_locked(occurrence, mentee, now=now, source=Booking.Source.WAITLIST)
            except SessionError:
                continue
            WaitlistEntry.objects.filter(pk=entry.pk).update(status=WaitlistEntry.Status.PROMOTED, promoted_at=now)
            _send_email(
                to=mentee,
                kind="waitlist_promoted",
                template="sessions/email/waitlist_promoted",
                context=_email_context(occurrence, mentee=mentee, booking=booking),
                attachments=_ics_attachment([occurrence], mentee),
            )
            promoted.append(booking)
            free -= 1
    return promoted
