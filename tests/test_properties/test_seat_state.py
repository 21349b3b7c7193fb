"""Occurrence.seat_state (one plain SQL statement, asked on every booking request) counts exactly
what the ORM annotations of the browse page count, whatever mix of bookings and waitlist entries."""

import datetime as dt

import pytest
from django.db.models import Exists, OuterRef
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from sessions import selectors
from sessions.models import Booking, Occurrence, WaitlistEntry
from tests.factories import MenteeFactory, OccurrenceFactory
from tests.test_properties.support import FEW, rolled_back

pytestmark = pytest.mark.django_db

MENTEES = 4
BOOKING = st.sampled_from(["none", "booked", "cancelled"])
ENTRY = st.sampled_from(["none", *WaitlistEntry.Status.values])
ROWS = st.lists(st.tuples(BOOKING, ENTRY), min_size=MENTEES, max_size=MENTEES)


def _give(occurrence: Occurrence, mentee, booking: str, entry: str) -> None:
    now = timezone.now()
    if booking == "booked":
        Booking.objects.create(occurrence=occurrence, mentee=mentee)
    elif booking == "cancelled":
        Booking.objects.create(occurrence=occurrence, mentee=mentee, status=Booking.Status.CANCELLED, cancelled_at=now)
    if entry != "none":
        WaitlistEntry.objects.create(
            occurrence=occurrence,
            mentee=mentee,
            status=entry,
            promoted_at=now,
            offered_at=now,
            offer_expires_at=now + dt.timedelta(hours=1),
        )


@FEW
@given(rows=ROWS, other_rows=ROWS, seats=st.integers(min_value=1, max_value=3))
def test_seat_state_counts_what_the_browse_annotations_count(rows, other_rows, seats):
    with rolled_back():
        occurrence, other = OccurrenceFactory(seats=seats), OccurrenceFactory()
        mentees = [MenteeFactory() for _ in range(MENTEES)]
        for mentee, (booking, entry), (other_booking, other_entry) in zip(mentees, rows, other_rows, strict=True):
            _give(occurrence, mentee, booking, entry)
            _give(other, mentee, other_booking, other_entry)  # another session's rows never count

        for viewer in mentees:
            annotated = (
                selectors.upcoming_occurrences(viewer=viewer)
                .annotate(
                    viewer_offered=Exists(
                        WaitlistEntry.objects.filter(
                            occurrence=OuterRef("pk"), mentee=viewer, status=WaitlistEntry.Status.OFFERED
                        )
                    )
                )
                .get(pk=occurrence.pk)
            )
            state = occurrence.seat_state(viewer.pk)

            assert state is not None
            assert (state.seats, state.status) == (annotated.seats, annotated.status)
            assert (state.booked_count, state.held_count, state.seats_left, state.waiting_count) == (
                annotated.booked_count,
                annotated.held_count,
                annotated.seats_left,
                annotated.waiting_count,
            )
            assert (state.viewer_booked, state.viewer_waiting, state.viewer_offered) == (
                annotated.viewer_booked,
                annotated.viewer_waiting,
                annotated.viewer_offered,
            )


def test_seat_state_of_a_deleted_occurrence_is_none():
    occurrence = OccurrenceFactory()
    viewer = MenteeFactory()
    Occurrence.objects.filter(pk=occurrence.pk).delete()

    assert occurrence.seat_state(viewer.pk) is None
