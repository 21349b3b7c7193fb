"""The last seats under real contention: PostgreSQL, one connection per thread, all at once."""

import threading

import pytest
from django.db import connections

from sessions.errors import SessionFull
from sessions.models import Booking
from sessions.services import book_seat, join_waitlist
from tests.factories import MenteeFactory, published_series

pytestmark = pytest.mark.service

THREADS = 12


def _race(target, arguments):
    barrier = threading.Barrier(len(arguments))
    outcomes: list = []
    lock = threading.Lock()

    def run(arg):
        try:
            barrier.wait()
            result = target(arg)
        except Exception as error:  # noqa: BLE001 - every outcome is collected and asserted
            result = error
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=run, args=(arg,)) for arg in arguments]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def test_many_mentees_booking_the_last_seats_at_once_fill_exactly_the_seats(postgres):
    occurrence = published_series(seats=3).occurrences.first()
    mentees = [MenteeFactory() for _ in range(THREADS)]

    outcomes = _race(lambda mentee: book_seat(occurrence=occurrence, mentee=mentee), mentees)

    assert sum(isinstance(o, Booking) for o in outcomes) == 3
    assert sum(isinstance(o, SessionFull) for o in outcomes) == THREADS - 3
    assert Booking.objects.booked().filter(occurrence=occurrence).count() == 3


def test_one_mentee_double_clicking_book_gets_one_seat(postgres):
    occurrence = published_series(seats=5).occurrences.first()
    mentee = MenteeFactory()

    _race(lambda _: book_seat(occurrence=occurrence, mentee=mentee), range(6))

    assert Booking.objects.booked().filter(occurrence=occurrence, mentee=mentee).count() == 1


def test_waitlist_joins_racing_a_cancellation_never_overfill(postgres):
    occurrence = published_series(seats=1).occurrences.first()
    holder = MenteeFactory()
    booking = book_seat(occurrence=occurrence, mentee=holder)
    waiting = [MenteeFactory() for _ in range(4)]
    for mentee in waiting[:2]:
        join_waitlist(occurrence=occurrence, mentee=mentee)
    from sessions.services import cancel_booking

    def act(i):
        if i == 0:
            return cancel_booking(booking=booking, by=holder)
        return book_seat(occurrence=occurrence, mentee=waiting[1 + i])

    _race(act, range(3))

    assert Booking.objects.booked().filter(occurrence=occurrence).count() == 1
