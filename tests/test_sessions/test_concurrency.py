"""The last seats under real contention: PostgreSQL, one connection per thread, all at once."""

import threading

import pytest
from django.db import connections

from sessions.errors import AlreadyBooked, SessionFull
from sessions.models import Booking, WaitlistEntry
from sessions.services import book_seat, join_waitlist
from tests.factories import MenteeFactory, published_series

pytestmark = pytest.mark.service

THREADS = 12


def _race(target, arguments) -> list:
    """Run target(arg) for every argument in its own thread, all released at once.

    Returns each thread's outcome in the order of `arguments`: the value returned or the exception
    raised (the tests assert each one, so a crash is never mistaken for a refusal).
    """
    barrier = threading.Barrier(len(arguments))
    outcomes: dict[int, object] = {}
    lock = threading.Lock()

    def run(index, arg):
        try:
            barrier.wait()
            result = target(arg)
        except Exception as error:  # noqa: BLE001 - every outcome is collected and asserted
            result = error
        finally:
            connections.close_all()
        with lock:
            outcomes[index] = result

    threads = [threading.Thread(target=run, args=(i, arg)) for i, arg in enumerate(arguments)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a thread did not finish within 60 s"
    return [outcomes[i] for i in range(len(arguments))]


def _kinds(outcomes: list) -> list[str]:
    return [type(outcome).__name__ for outcome in outcomes]


def test_many_mentees_booking_the_last_seats_at_once_fill_exactly_the_seats(postgres):
    occurrence = published_series(seats=3).occurrences.first()
    mentees = [MenteeFactory() for _ in range(THREADS)]

    outcomes = _race(lambda mentee: book_seat(occurrence=occurrence, mentee=mentee), mentees)

    assert sorted(_kinds(outcomes)) == ["Booking"] * 3 + ["SessionFull"] * (THREADS - 3)
    winners = {o.mentee_id for o in outcomes if isinstance(o, Booking)}
    assert set(Booking.objects.booked().filter(occurrence=occurrence).values_list("mentee_id", flat=True)) == winners
    assert all(str(o) == "This session is full. Join the waitlist to get the next free seat."
               for o in outcomes if isinstance(o, SessionFull))  # fmt: skip


def test_one_mentee_double_clicking_book_gets_one_seat(postgres):
    occurrence = published_series(seats=5).occurrences.first()
    mentee = MenteeFactory()

    outcomes = _race(lambda _: book_seat(occurrence=occurrence, mentee=mentee), range(6))

    assert sorted(_kinds(outcomes)) == ["AlreadyBooked"] * 5 + ["Booking"]
    (seat,) = [o for o in outcomes if isinstance(o, Booking)]
    assert list(Booking.objects.booked().filter(occurrence=occurrence)) == [seat]
    assert all(str(o) == "You already have a seat in this session." for o in outcomes if isinstance(o, AlreadyBooked))


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

    outcomes = _race(act, range(3))

    # The holder's cancellation goes through; the two late bookers never see the freed seat, because
    # the cancellation hands it to the first mentee on the waitlist under the same lock.
    assert _kinds(outcomes) == ["Booking", "SessionFull", "SessionFull"]
    assert outcomes[0].pk == booking.pk and outcomes[0].status == Booking.Status.CANCELLED
    assert list(Booking.objects.booked().filter(occurrence=occurrence).values_list("mentee", flat=True)) == [waiting[0].pk]
    still_waiting = occurrence.waitlist.filter(status=WaitlistEntry.Status.WAITING).values_list("mentee", flat=True)
    assert list(still_waiting) == [waiting[1].pk]
