"""Checking in at a session with the code the mentor shows.

Who may check in, and the seat rule for walk-ins (the platform's decision, docs/checkin.md):
- a mentee with a seat booked always may (within the window, with the right code);
- an eligible mentee without a booking (a walk-in: role, class year and matched-only rules as for
  booking, sessions.services.check_eligible) may while a seat is free. Before the start a seat is
  free when booked seats plus walk-ins checked in are fewer than the seats; from the start on, seats
  of booked mentees who have not checked in are released, so only those checked in count.
A walk-in gets no Booking: the mentor confirms them as a walk-in on the attendance form.
"""

from datetime import datetime
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from checkin import codes
from checkin.errors import AlreadyCheckedIn, CodeExpired, NoSeatForWalkIn, OutsideWindow, WrongCode
from checkin.models import OPENS_BEFORE, CheckIn, window_of
from core import locking
from feedback.models import ConfidenceBefore
from feedback.services import give_confidence_before
from sessions.models import Booking, Occurrence
from sessions.services import check_eligible

if TYPE_CHECKING:
    from accounts.models import User


def _local(moment: datetime) -> str:
    local = timezone.localtime(moment)
    return f"{local:%H:%M} ({local.tzname()})"


def check_window(occurrence: Occurrence, now: datetime) -> None:
    """Raise OutsideWindow unless check-in to `occurrence` is open at `now` (15 minutes before to the end)."""
    if occurrence.is_cancelled:
        raise OutsideWindow("This session was cancelled; there is nothing to check in to.")
    opens, closes = window_of(occurrence.starts_at, occurrence.ends_at)
    if now < opens:
        raise OutsideWindow(f"Check-in opens at {_local(opens)}, 15 minutes before the session starts.")
    if now > closes:
        raise OutsideWindow(f"This session ended at {_local(closes)}; check-in is closed.")


def _other_session_with(code: str, occurrence: Occurrence, now: datetime) -> Occurrence | None:
    """A session open for check-in now whose current code is `code` (a mentee on the wrong page)."""
    for other in open_occurrences(now).exclude(pk=occurrence.pk):
        if codes.is_current(other.pk, code, now):
            return other
    return None


def check_code(occurrence: Occurrence, code: str, now: datetime) -> None:
    """Raise WrongCode / CodeExpired unless `code` is this session's code now (or a window ago)."""
    code = codes.normalise(code)
    if len(code) != codes.DIGITS:
        raise WrongCode(f"Type the {codes.DIGITS}-digit code on the mentor's screen.", field="code")
    if codes.is_current(occurrence.pk, code, now):
        return
    if codes.was_valid_earlier(occurrence.pk, code, now):
        raise CodeExpired("That code has expired; type the one on the mentor's screen now.", field="code")
    other = _other_session_with(code, occurrence, now)
    if other is not None:
        raise WrongCode(f"That code is for another session ({other.series.title}); check in on its page.", field="code")
    raise WrongCode("That is not this session's code. Check the number on the mentor's screen.", field="code")


def open_occurrences(now: datetime) -> "QuerySet[Occurrence]":
    """Scheduled sessions whose check-in window contains `now`."""
    return (
        Occurrence.objects.scheduled()
        .filter(starts_at__lte=now + OPENS_BEFORE, ends_at__gte=now)
        .select_related("series")
        .order_by("starts_at", "pk")
    )


def check_in(
    *,
    occurrence: Occurrence,
    mentee: "User",
    code: str,
    confidence: int | None = None,
    now: datetime | None = None,
) -> CheckIn:
    """Check `mentee` in to `occurrence` with the code shown by the mentor; a walk-in if not booked.

    Refused (nothing recorded) outside the window, with a wrong or expired code, twice, or a
    walk-in without a free seat. `confidence` (1-5, optional) is kept as confidence before the
    session when the mentee gave none when booking."""
    now = now or timezone.now()
    with transaction.atomic():
        # The occurrence row lock serialises walk-ins competing for the last free seat.
        occurrence = locking.lock(Occurrence.objects.select_related("series"), occurrence.pk)
        check_window(occurrence, now)
        check_code(occurrence, code, now)
        earlier = CheckIn.objects.filter(occurrence=occurrence, mentee=mentee).first()
        if earlier is not None:
            raise AlreadyCheckedIn(f"You checked in at {_local(earlier.checked_in_at)}; you are on the list.")
        booked = Booking.objects.booked().filter(occurrence=occurrence, mentee=mentee).exists()
        if not booked:
            check_eligible(series=occurrence.series, mentee=mentee)
            walk_ins = CheckIn.objects.filter(occurrence=occurrence, walk_in=True).count()
            if occurrence.has_started(now):
                taken = CheckIn.objects.filter(occurrence=occurrence).count()
            else:
                taken = Booking.objects.booked().filter(occurrence=occurrence).count() + walk_ins
            if taken >= occurrence.seats:
                raise NoSeatForWalkIn(
                    "Every seat is taken and you have no booking. Ask the mentor; once the session "
                    "starts, seats of booked mentees who have not come are freed."
                )
        try:
            with transaction.atomic():
                record = CheckIn.objects.create(occurrence=occurrence, mentee=mentee, checked_in_at=now, walk_in=not booked)
        except IntegrityError:
            raise AlreadyCheckedIn("You are checked in already.") from None
        if confidence is not None and not ConfidenceBefore.objects.filter(occurrence=occurrence, mentee=mentee).exists():
            give_confidence_before(
                occurrence=occurrence, mentee=mentee, score=confidence, source=ConfidenceBefore.Source.CHECK_IN, now=now
            )
    return record


def check_in_by_code(*, mentee: "User", code: str, confidence: int | None = None, now: datetime | None = None) -> CheckIn:
    """Check in with only the code typed (no session page open): the open session whose code it is."""
    now = now or timezone.now()
    digits = codes.normalise(code)
    if len(digits) != codes.DIGITS:
        raise WrongCode(f"Type the {codes.DIGITS}-digit code on the mentor's screen.", field="code")
    matches = [o for o in open_occurrences(now) if codes.is_current(o.pk, digits, now)]
    if not matches:
        raise WrongCode(
            "No session open for check-in has that code: it may have expired, or the session is not "
            "open yet (from 15 minutes before its start). Type the code on the mentor's screen now.",
            field="code",
        )
    return check_in(occurrence=matches[0], mentee=mentee, code=digits, confidence=confidence, now=now)
