import pytest

from accounts.services import build_data_export, delete_account
from notifications.models import OutboundEmail
from sessions.models import Booking, Occurrence
from sessions.services import book_seat, join_waitlist
from tests.factories import MenteeFactory, published_series

pytestmark = pytest.mark.django_db


def test_the_data_export_lists_the_mentees_bookings():
    mentee = MenteeFactory()
    book_seat(occurrence=published_series(title="Embryology").occurrences.first(), mentee=mentee)

    export = build_data_export(user=mentee)

    assert [b["session"] for b in export["review_sessions"]["bookings"]] == ["Embryology"]


def test_deleting_a_mentee_releases_their_future_seat_to_the_waitlist():
    occurrence = published_series(seats=1).occurrences.first()
    leaving, waiting = MenteeFactory(), MenteeFactory()
    book_seat(occurrence=occurrence, mentee=leaving)
    join_waitlist(occurrence=occurrence, mentee=waiting)

    delete_account(user=leaving)

    assert Booking.objects.booked().get(occurrence=occurrence).mentee == waiting


def test_deleting_a_mentor_cancels_their_future_sessions_and_tells_the_booked_mentees():
    series = published_series()
    mentee = MenteeFactory()
    book_seat(occurrence=series.occurrences.first(), mentee=mentee)

    delete_account(user=series.mentor)

    assert not Occurrence.objects.upcoming().filter(series=series).exists()
    assert OutboundEmail.objects.filter(recipient=mentee, kind="session_cancelled").exists()
