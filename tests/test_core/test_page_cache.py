"""Kept pages (core.page_cache): a page's content is kept until committed data under it changes,
until time alone changes it, and never across people or CSRF tokens.

These tests commit for real (transactional_db), as requests and workers do: inside one open
transaction with writes, a connection neither reads nor keeps kept content.
"""

from datetime import datetime, time, timedelta

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User
from core import page_cache
from notifications.models import OutboundEmail
from sessions import selectors
from sessions.models import ReviewSeries
from sessions.services import book_seat, cancel_booking
from tests.factories import BookingFactory, MenteeFactory, MentorFactory, OccurrenceFactory, published_series

pytestmark = pytest.mark.usefixtures("transactional_db")


def _tomorrow_at(hour: int) -> datetime:
    """A fixed local time well before midnight, so the next midnight is never the sooner change."""
    return timezone.make_aware(datetime.combine(timezone.localdate() + timedelta(days=1), time(hour)))


def _signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _page(client: Client, path: str = "/sessions/") -> str:
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


def test_a_second_visit_is_served_from_the_kept_content_with_fewer_queries():
    published_series(seats=4)
    client = _signed_in(MenteeFactory())
    _page(client)  # kept now
    with CaptureQueriesContext(connection) as first:
        _page(client, "/sessions/?page=1&x=1")  # another query string: not kept yet
    with CaptureQueriesContext(connection) as again:
        _page(client, "/sessions/?page=1&x=1")

    assert len(again) < len(first)


def test_a_seat_booked_by_someone_else_shows_on_a_kept_page_at_once():
    occurrence = published_series(seats=5).occurrences.first()
    client = _signed_in(MenteeFactory())
    assert "5 of 5 seats left" in _page(client)

    book_seat(occurrence=occurrence, mentee=MenteeFactory())

    assert "4 of 5 seats left" in _page(client)


def test_the_viewers_own_cancellation_shows_on_my_sessions_at_once():
    occurrence = published_series(title="Cardiac cycle").occurrences.first()
    mentee = MenteeFactory()
    booking = book_seat(occurrence=occurrence, mentee=mentee)
    client = _signed_in(mentee)
    assert "Cancel my seat in Cardiac cycle" in _page(client, "/sessions/mine/")

    cancel_booking(booking=booking, by=mentee)

    assert "Cancel my seat in Cardiac cycle" not in _page(client, "/sessions/mine/")


def test_a_write_outside_a_transaction_shows_at_once():
    series = published_series(title="Renal physiology")
    client = _signed_in(MenteeFactory())
    assert "Renal physiology" in _page(client)

    ReviewSeries.objects.filter(pk=series.pk).update(title="Renal and acid-base")  # autocommit

    assert "Renal and acid-base" in _page(client)


def test_the_version_moves_when_a_transaction_commits_not_before():
    occurrence = published_series().occurrences.first()
    before = page_cache.data_version()
    with transaction.atomic():
        book_seat(occurrence=occurrence, mentee=MenteeFactory())
        assert page_cache.data_version() == before  # nobody else can read the booking yet

    assert page_cache.data_version() != before


def test_a_rolled_back_write_leaves_kept_pages_kept():
    occurrence = published_series().occurrences.first()
    before = page_cache.data_version()
    with pytest.raises(RuntimeError), transaction.atomic():
        book_seat(occurrence=occurrence, mentee=MenteeFactory())
        raise RuntimeError("the request failed")

    assert page_cache.data_version() == before


def test_writes_to_the_outbox_do_not_move_the_version():
    mentee = MenteeFactory()
    before = page_cache.data_version()

    OutboundEmail.objects.create(kind="test", recipient=mentee, to_address=mentee.email, subject="Hello", body_text="Hi")
    page_cache.settle_due_bumps()

    assert page_cache.data_version() == before


def test_another_person_never_sees_the_first_persons_kept_page():
    occurrence = published_series(seats=3).occurrences.first()
    booked = MenteeFactory()
    book_seat(occurrence=occurrence, mentee=booked)
    assert "You are booked" in _page(_signed_in(booked))

    assert "You are booked" not in _page(_signed_in(MenteeFactory()))


def test_each_session_of_the_same_person_gets_its_own_csrf_token_and_can_book():
    occurrence = published_series(seats=3).occurrences.first()
    mentee = MenteeFactory()
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    for client in (first, second):
        client.force_login(mentee)
    _page(first)  # kept with a slot, filled with the first session's token

    page = _page(second)
    token = page.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    response = second.post(f"/sessions/o/{occurrence.pk}/book/", {"csrfmiddlewaretoken": token})

    assert response.status_code in (200, 302)
    assert mentee.session_bookings.booked().filter(occurrence=occurrence).exists()
    assert page_cache.CSRF_SLOT not in page


def test_the_menu_follows_a_role_change_at_once():
    person = MenteeFactory()
    client = _signed_in(person)
    assert "My week" not in _page(client)

    User.objects.filter(pk=person.pk).update(is_mentor=True)

    assert "My week" in _page(client)


def test_my_sessions_changes_with_time_when_the_first_booked_session_starts():
    mentee = MenteeFactory()
    now = _tomorrow_at(9)
    soon = BookingFactory(mentee=mentee, occurrence=OccurrenceFactory(starts_at=now + timedelta(hours=3))).occurrence
    BookingFactory(mentee=mentee, occurrence=OccurrenceFactory(starts_at=now + timedelta(hours=5)))

    assert selectors.mentee_sessions_changes_at(mentee, now=now) == soon.starts_at


def test_my_week_changes_with_time_when_a_session_comes_within_the_week():
    mentor = MentorFactory()
    now = _tomorrow_at(9)
    later = OccurrenceFactory(series__mentor=mentor, starts_at=now + timedelta(days=7, hours=2))

    assert selectors.mentor_week_changes_at(mentor, now=now) == later.starts_at - timedelta(days=7)


def test_my_week_changes_with_time_at_midnight_when_nothing_comes_sooner():
    now = _tomorrow_at(9)

    assert selectors.mentor_week_changes_at(MentorFactory(), now=now) == _tomorrow_at(0) + timedelta(days=1)
