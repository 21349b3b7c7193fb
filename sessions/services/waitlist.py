"""The waitlist of a full session: joining, leaving, and who gets a freed seat.

The program chooses how a freed seat reaches the first in line (ProgramRules.waitlist_mode):
- "auto_book": they are booked at once and emailed (the original behaviour);
- "offer": the seat is held for them until a deadline (see `offer_deadline`); they accept or
  decline from My sessions or the email's link. A declined or expired offer passes to the next.

Every change to who holds a seat runs under the occurrence's row lock, so a seat is never
offered or booked twice; the expiry sweep (Celery beat) claims each offer with a conditional
update, so two sweeps at once expire and re-offer it once.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse

from program.models import ProgramRules
from sessions.errors import (
    AlreadyBooked,
    NotAllowed,
    NothingToUndo,
    OfferNotOpen,
    SeatsLeft,
    SessionError,
)
from sessions.models import Booking, Occurrence, WaitlistEntry
from sessions.services.attendance_rules import check_booking_rules
from sessions.services.common import (
    _email_booking,
    _email_context,
    _lock_occurrence,
    _lock_user,
    _now,
    _send_email,
)
from sessions.services.seats import (
    _book_locked,
    _check_bookable,
    _waitlist_locked,
    check_can_take_seat,
    check_eligible,
    seats_taken,
)

if TYPE_CHECKING:
    from accounts.models import User

EXPIRY_BATCH = 500


def join_waitlist(*, occurrence: Occurrence, mentee: "User", now: datetime | None = None) -> WaitlistEntry:
    """Queue for a full session; the first in line gets (or is offered) the next free seat.

    Raises what booking would (the program's no-show limit and weekly cap included), SeatsLeft
    when a seat is free, AlreadyBooked when the mentee has a seat or a place already."""
    now = _now(now)
    with transaction.atomic():
        occurrence = _lock_occurrence(occurrence.pk)
        _check_bookable(occurrence, now)
        check_eligible(series=occurrence.series, mentee=mentee)
        if occurrence.bookings.booked().filter(mentee=mentee).exists():
            raise AlreadyBooked("You already have a seat in this session.")
        mine = occurrence.waitlist.filter(mentee=mentee, status__in=WaitlistEntry.OPEN_STATUSES).first()
        if mine and mine.status == WaitlistEntry.Status.OFFERED:
            raise AlreadyBooked("A seat is offered to you: accept it on My sessions.")
        if mine:
            raise AlreadyBooked("You are already on the waitlist.")
        if seats_taken(occurrence) < occurrence.seats:
            raise SeatsLeft("There are seats left: book one instead.")
        _lock_user(mentee.pk)
        check_booking_rules(occurrence=occurrence, mentee=mentee)
        entry = _waitlist_locked(occurrence, mentee, now=now)
        _send_email(
            to=mentee,
            kind="waitlist_joined",
            template="sessions/email/waitlist_joined",
            context=_email_context(occurrence, mentee=mentee, entry=entry, position=waitlist_position(entry)),
        )
        return entry


def waitlist_position(entry: WaitlistEntry) -> int:
    """1 for the first waiting mentee: the order they joined in (as My sessions shows it)."""
    ahead = WaitlistEntry.objects.filter(occurrence_id=entry.occurrence_id, status=WaitlistEntry.Status.WAITING).filter(
        Q(created_at__lt=entry.created_at) | Q(created_at=entry.created_at, pk__lt=entry.pk)
    )
    return ahead.count() + 1


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


def offer_deadline(occurrence: Occurrence, now: datetime, hold_hours: int) -> datetime:
    """When an offer made now runs out: after the hold period, but never later than
    WAITLIST_OFFER_CLOSES_MINUTES before the start; a seat freed later than that is still held
    for WAITLIST_OFFER_MIN_MINUTES, and never past the start."""
    closes = occurrence.starts_at - timedelta(minutes=settings.WAITLIST_OFFER_CLOSES_MINUTES)
    deadline = min(now + timedelta(hours=hold_hours), closes)
    shortest = min(now + timedelta(minutes=settings.WAITLIST_OFFER_MIN_MINUTES), occurrence.starts_at)
    return max(deadline, shortest)


def promote_waitlist(*, occurrence: Occurrence, now: datetime | None = None) -> list[Booking]:
    """Give free seats to waitlisted mentees in the order they joined, emailing each: booked at
    once ("auto_book", returned), or offered until a deadline ("offer", returns []).

    A waiting mentee who cannot take the seat now (a clash, no longer eligible, the program's
    no-show limit or weekly cap) is passed over and keeps their place. Nothing happens once the
    session started or was cancelled.
    """
    now = _now(now)
    promoted: list[Booking] = []
    with transaction.atomic():
        occurrence = _lock_occurrence(occurrence.pk)
        if occurrence.is_cancelled or occurrence.has_started(now):
            return promoted
        free = occurrence.seats - seats_taken(occurrence)
        if free <= 0:
            return promoted
        rules = ProgramRules.current()
        if rules.waitlist_mode == ProgramRules.WaitlistMode.OFFER:
            _offer_seats(occurrence, free, rules=rules, now=now)
            return promoted
        for entry in occurrence.waitlist.filter(status=WaitlistEntry.Status.WAITING).select_related("mentee"):
            if free <= 0:
                break
            try:
                with transaction.atomic():
                    mentee = _lock_user(entry.mentee_id)
                    booking = _book_locked(occurrence, mentee, now=now, source=Booking.Source.WAITLIST, rules=rules)
            except SessionError:
                continue
            WaitlistEntry.objects.filter(pk=entry.pk).update(status=WaitlistEntry.Status.PROMOTED, promoted_at=now)
            _email_booking("waitlist_promoted", booking, occurrence, mentee)
            promoted.append(booking)
            free -= 1
    return promoted


def _offer_seats(occurrence: Occurrence, free: int, *, rules: ProgramRules, now: datetime) -> list[WaitlistEntry]:
    """Hold `free` seats for the first waiting mentees who could take them (occurrence locked)."""
    deadline = offer_deadline(occurrence, now, rules.offer_hold_hours)
    offered: list[WaitlistEntry] = []
    for entry in occurrence.waitlist.filter(status=WaitlistEntry.Status.WAITING).select_related("mentee"):
        if len(offered) >= free:
            break
        try:
            with transaction.atomic():
                mentee = _lock_user(entry.mentee_id)
                check_can_take_seat(occurrence, mentee, now=now, rules=rules, count_seats=False)
        except SessionError:
            continue
        won = WaitlistEntry.objects.filter(pk=entry.pk, status=WaitlistEntry.Status.WAITING).update(
            status=WaitlistEntry.Status.OFFERED, offered_at=now, offer_expires_at=deadline
        )
        if not won:  # left the waitlist a moment ago
            continue
        entry.refresh_from_db()
        _send_email(
            to=mentee,
            kind="waitlist_offer",
            template="sessions/email/waitlist_offer",
            context=_email_context(
                occurrence,
                mentee=mentee,
                entry=entry,
                deadline=deadline,
                offer_url=settings.SITE_URL + reverse("sessions:offer", args=[entry.pk]),
            ),
        )
        offered.append(entry)
    return offered


def _open_offer(entry_id: int, by: "User") -> WaitlistEntry:
    """The entry, re-read under its occurrence's lock (every offer change holds that lock)."""
    entry = WaitlistEntry.objects.get(pk=entry_id)
    if entry.mentee_id != by.pk:
        raise NotAllowed("This offer is for someone else.")
    if entry.status == WaitlistEntry.Status.PROMOTED:
        raise OfferNotOpen("You accepted this seat already: it is on My sessions.")
    if entry.status != WaitlistEntry.Status.OFFERED:
        raise OfferNotOpen(f"This offer is no longer open ({entry.get_status_display().lower()}).")
    return entry


@contextmanager
def _locked_offer(entry: WaitlistEntry, by: "User") -> Iterator[tuple[Occurrence, WaitlistEntry]]:
    """In one transaction: the offer's occurrence locked, and the entry re-read under that lock.
    Someone else's offer is refused before anything is locked."""
    if entry.mentee_id != by.pk:
        raise NotAllowed("This offer is for someone else.")
    with transaction.atomic():
        occurrence = _lock_occurrence(entry.occurrence_id)
        yield occurrence, _open_offer(entry.pk, by)


def accept_offer(*, entry: WaitlistEntry, by: "User", now: datetime | None = None) -> Booking:
    """The mentee takes the seat held for them. Refused (OfferNotOpen) once the deadline passed:
    the seat then goes to the next in line. Otherwise refused as any booking would be."""
    now = _now(now)
    with _locked_offer(entry, by) as (occurrence, entry):
        expired = entry.offer_expires_at is not None and entry.offer_expires_at <= now
        if not expired:
            mentee = _lock_user(by.pk)
            booking = _book_locked(occurrence, mentee, now=now, source=Booking.Source.WAITLIST)
            _email_booking("waitlist_promoted", booking, occurrence, mentee)
            return booking
    _expire_offer(entry.pk, now=now)
    raise OfferNotOpen("This offer has expired: the seat was passed to the next person on the waitlist.")


def decline_offer(*, entry: WaitlistEntry, by: "User", now: datetime | None = None) -> WaitlistEntry:
    """The mentee does not want the seat: it is offered to the next in line at once."""
    now = _now(now)
    with _locked_offer(entry, by) as (occurrence, entry):
        WaitlistEntry.objects.filter(pk=entry.pk, status=WaitlistEntry.Status.OFFERED).update(
            status=WaitlistEntry.Status.DECLINED, left_at=now
        )
        promote_waitlist(occurrence=occurrence, now=now)
    entry.refresh_from_db()
    return entry


def _expire_offer(entry_id: int, *, now: datetime) -> bool:
    """Claim one due offer (conditional update under the occurrence lock) and pass its seat on."""
    with transaction.atomic():
        occurrence_id = WaitlistEntry.objects.filter(pk=entry_id).values_list("occurrence_id", flat=True).first()
        if occurrence_id is None:
            return False
        occurrence = _lock_occurrence(occurrence_id)
        won = WaitlistEntry.objects.filter(
            pk=entry_id, status=WaitlistEntry.Status.OFFERED, offer_expires_at__lte=now
        ).update(status=WaitlistEntry.Status.EXPIRED, left_at=now)
        if won:
            promote_waitlist(occurrence=occurrence, now=now)
        return bool(won)


def expire_waitlist_offers(*, now: datetime | None = None) -> int:
    """Run by Celery beat every minute: expire the offers past their deadline and offer each
    seat to the next in line. Safe to run twice at once: each offer is claimed by one run.
    Returns how many offers this run expired."""
    now = _now(now)
    due = WaitlistEntry.objects.filter(status=WaitlistEntry.Status.OFFERED, offer_expires_at__lte=now)
    ids = list(due.order_by("offer_expires_at", "pk").values_list("pk", flat=True)[:EXPIRY_BATCH])
    return sum(_expire_offer(pk, now=now) for pk in ids)
