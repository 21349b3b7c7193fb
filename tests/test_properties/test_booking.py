"""Booking services in random interleavings: several mentees book, cancel, queue and leave the
waitlist of one small occurrence, and after every step the database agrees with a simple model."""

import pytest
from django.db import transaction
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test

from sessions import services
from sessions.errors import AlreadyBooked, NotAllowed, NothingToUndo, SeatsLeft, SessionFull
from sessions.models import Booking, Occurrence, WaitlistEntry
from tests.factories import MenteeFactory, OccurrenceFactory
from tests.test_properties.support import FEW

pytestmark = pytest.mark.django_db

MENTEES = 4
mentee_index = st.integers(min_value=0, max_value=MENTEES - 1)


class OneOccurrenceBooking(RuleBasedStateMachine):
    """Model: the ordered set of booked mentees and the ordered waitlist of one occurrence."""

    def __init__(self):
        super().__init__()
        # Each run works in its own savepoint, rolled back in teardown, so runs never share rows.
        self._atomic = transaction.atomic()
        self._atomic.__enter__()
        self.booked: list[int] = []
        self.waiting: list[int] = []

    @initialize(seats=st.integers(min_value=1, max_value=3))
    def make_occurrence(self, seats):
        self.occurrence = OccurrenceFactory(seats=seats, series__seats=seats)
        self.seats = seats
        self.mentees = [MenteeFactory() for _ in range(MENTEES)]

    def teardown(self):
        transaction.set_rollback(True)
        self._atomic.__exit__(None, None, None)

    def _promote_in_model(self):
        while self.waiting and len(self.booked) < self.seats:
            self.booked.append(self.waiting.pop(0))

    def _row_of(self, model, i, **filters):
        """Mentee i's booking or waitlist place at the occurrence (with these filters), or None."""
        return model.objects.filter(occurrence=self.occurrence, mentee=self.mentees[i], **filters).first()

    @rule(i=mentee_index)
    def book(self, i):
        try:
            services.book_seat(occurrence=self.occurrence, mentee=self.mentees[i])
        except AlreadyBooked:
            assert i in self.booked
        except SessionFull:
            assert i not in self.booked and len(self.booked) >= self.seats
        else:
            assert i not in self.booked and len(self.booked) < self.seats
            self.booked.append(i)
            if i in self.waiting:  # a seat taken directly leaves the waitlist
                self.waiting.remove(i)

    @rule(i=mentee_index)
    def join_waitlist(self, i):
        try:
            services.join_waitlist(occurrence=self.occurrence, mentee=self.mentees[i])
        except AlreadyBooked:
            assert i in self.booked or i in self.waiting
        except SeatsLeft:
            assert len(self.booked) < self.seats
        else:
            assert i not in self.booked and i not in self.waiting and len(self.booked) >= self.seats
            self.waiting.append(i)

    @rule(i=mentee_index)
    def cancel(self, i):
        booking = self._row_of(Booking, i, status=Booking.Status.BOOKED)
        if booking is None:
            assert i not in self.booked
            return
        services.cancel_booking(booking=booking, by=self.mentees[i])
        self.booked.remove(i)
        self._promote_in_model()

    @rule(i=mentee_index, j=mentee_index)
    def cancel_someone_elses_booking_is_refused(self, i, j):
        booking = self._row_of(Booking, i)
        if booking is None or i == j:
            return
        with pytest.raises(NotAllowed):
            services.cancel_booking(booking=booking, by=self.mentees[j])

    @rule(i=mentee_index)
    def cancel_an_already_cancelled_booking_is_refused(self, i):
        booking = self._row_of(Booking, i, status=Booking.Status.CANCELLED)
        if booking is not None:
            with pytest.raises(NothingToUndo):
                services.cancel_booking(booking=booking, by=self.mentees[i])

    @rule(i=mentee_index)
    def leave_waitlist(self, i):
        entry = self._row_of(WaitlistEntry, i, status=WaitlistEntry.Status.WAITING)
        if entry is None:
            assert i not in self.waiting
            return
        services.leave_waitlist(entry=entry, by=self.mentees[i])
        self.waiting.remove(i)

    @rule()
    def promote(self):
        # Free seats and waiting mentees never coexist, so promotion has nothing to do.
        assert services.promote_waitlist(occurrence=self.occurrence) == []

    @invariant()
    def database_matches_the_model(self):
        if not hasattr(self, "occurrence"):
            return
        ids = [m.pk for m in self.mentees]
        booked = list(
            Booking.objects.booked().filter(occurrence=self.occurrence).order_by("pk").values_list("mentee_id", flat=True)
        )
        assert len(booked) <= self.seats
        assert len(booked) == len(set(booked)), "a mentee is booked twice"
        assert sorted(booked) == sorted(ids[i] for i in self.booked)
        waiting = list(
            WaitlistEntry.objects.filter(occurrence=self.occurrence, status=WaitlistEntry.Status.WAITING)
            .order_by("created_at", "pk")
            .values_list("mentee_id", flat=True)
        )
        assert waiting == [ids[i] for i in self.waiting], "waitlist order differs from joining order"
        assert not (set(booked) & set(waiting)), "a booked mentee is still waiting"
        # Cancelled bookings are never counted in the seats shown to mentees.
        seats_left = Occurrence.objects.with_seats_left().get(pk=self.occurrence.pk).seats_left
        assert seats_left == self.seats - len(self.booked)


def test_random_interleavings_of_booking_cancelling_and_waitlisting_keep_the_seat_invariants():
    run_state_machine_as_test(OneOccurrenceBooking, settings=settings(FEW, max_examples=20, stateful_step_count=15))
