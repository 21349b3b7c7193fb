"""Waitlist offers under real contention (PostgreSQL, one connection per thread, all at once):
a freed seat is offered once, accepted or expired once, and two beat sweeps expire it once."""

import datetime as _dt

import pytest
from django.utils import timezone

from notifications.models import OutboundEmail
from sessions.errors import OfferNotOpen
from sessions.models import Booking, WaitlistEntry
from sessions.services import (
    accept_offer,
    book_seat,
    cancel_booking,
    expire_waitlist_offers,
    join_waitlist,
    seats_taken,
)
from tests.factories import MenteeFactory, published_series
from tests.factories_program import set_rules
from tests.test_sessions.test_concurrency import _kinds, _race

pytestmark = pytest.mark.service

OFFERED = WaitlistEntry.Status.OFFERED


def _full_with_queue(seats: int, waiting: int):
    set_rules(waitlist_mode="offer", offer_hold_hours=4)
    occurrence = published_series(seats=seats).occurrences.order_by("starts_at").first()
    bookings = [book_seat(occurrence=occurrence, mentee=MenteeFactory()) for _ in range(seats)]
    queue = [MenteeFactory() for _ in range(waiting)]
    for mentee in queue:
        join_waitlist(occurrence=occurrence, mentee=mentee)
    return occurrence, bookings, queue


def test_seats_freed_at_once_are_each_offered_to_one_mentee_in_order(postgres):
    occurrence, bookings, queue = _full_with_queue(seats=4, waiting=7)

    outcomes = _race(lambda b: cancel_booking(booking=b, by=b.mentee), bookings)

    assert _kinds(outcomes) == ["Booking"] * 4
    offered = list(WaitlistEntry.objects.filter(occurrence=occurrence, status=OFFERED).values_list("mentee", flat=True))
    assert sorted(offered) == sorted(m.pk for m in queue[:4])
    assert OutboundEmail.objects.filter(kind="waitlist_offer").count() == 4
    assert seats_taken(occurrence) == 4


def test_an_accept_racing_the_expiry_gives_the_seat_exactly_once(postgres):
    occurrence, (booking,), (first, second) = _full_with_queue(seats=1, waiting=2)
    freed_at = timezone.now() - _dt.timedelta(hours=4)
    cancel_booking(booking=booking, by=booking.mentee, now=freed_at)
    entry = WaitlistEntry.objects.get(mentee=first)
    deadline = entry.offer_expires_at

    def act(which: str):
        if which == "accept":
            return accept_offer(entry=entry, by=first, now=deadline - _dt.timedelta(seconds=1))
        return expire_waitlist_offers(now=deadline + _dt.timedelta(seconds=1))

    outcomes = _race(act, ["accept", "expire"])

    held_by = set(Booking.objects.booked().filter(occurrence=occurrence).values_list("mentee", flat=True))
    held_by |= set(WaitlistEntry.objects.filter(occurrence=occurrence, status=OFFERED).values_list("mentee", flat=True))
    if isinstance(outcomes[0], Booking):  # the accept came first: nothing was left to expire
        assert (held_by, outcomes[1]) == ({first.pk}, 0)
    else:  # the sweep came first: the accept is refused and the seat offered to the next
        assert isinstance(outcomes[0], OfferNotOpen)
        assert (held_by, outcomes[1]) == ({second.pk}, 1)
    assert seats_taken(occurrence) == 1


def test_two_sweeps_at_once_expire_and_reoffer_each_seat_once(postgres):
    occurrences = []
    for _ in range(3):
        occurrence, (booking,), _ = _full_with_queue(seats=1, waiting=2)
        cancel_booking(booking=booking, by=booking.mentee, now=timezone.now() - _dt.timedelta(hours=5))
        occurrences.append(occurrence)

    outcomes = _race(lambda _: expire_waitlist_offers(), range(2))

    assert sum(outcomes) == 3
    for occurrence in occurrences:
        statuses = sorted(occurrence.waitlist.values_list("status", flat=True))
        assert statuses == [WaitlistEntry.Status.EXPIRED, OFFERED]
    assert OutboundEmail.objects.filter(kind="waitlist_offer").count() == 6


def test_a_double_clicked_accept_books_one_seat(postgres):
    occurrence, (booking,), (first,) = _full_with_queue(seats=1, waiting=1)
    cancel_booking(booking=booking, by=booking.mentee)
    entry = WaitlistEntry.objects.get(mentee=first)

    outcomes = _race(lambda _: accept_offer(entry=entry, by=first), range(4))

    assert sorted(_kinds(outcomes)) == ["Booking", "OfferNotOpen", "OfferNotOpen", "OfferNotOpen"]
    assert Booking.objects.booked().filter(occurrence=occurrence).count() == 1
