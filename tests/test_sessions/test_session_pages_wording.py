"""My sessions and the session page: cancelling asks first and says whether it is late; a past
session no longer counts seats left; each notes part says who sees it; skip dates have pickers."""

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone

from sessions.models import Booking, Occurrence
from sessions.services import book_seat, save_outcome_note
from tests.factories import MenteeFactory, published_series

pytestmark = pytest.mark.django_db


def _booked(starts_in: timedelta):
    series = published_series()
    occurrence = series.occurrences.order_by("starts_at").first()
    mentee = MenteeFactory()
    booking = book_seat(occurrence=occurrence, mentee=mentee)
    start = timezone.now() + starts_in  # moved after booking: a past session cannot be booked
    Occurrence.objects.filter(pk=occurrence.pk).update(starts_at=start, ends_at=start + timedelta(hours=1))
    booking.refresh_from_db()
    return booking, mentee


def test_cancel_on_my_sessions_is_a_link_to_a_confirm_step_not_an_immediate_post(client):
    booking, mentee = _booked(timedelta(days=2))
    client.force_login(mentee)

    page = client.get("/sessions/mine/").content.decode()

    assert f'href="/sessions/bookings/{booking.pk}/cancel/confirm/?next=/sessions/mine/"' in page
    assert f'action="/sessions/bookings/{booking.pk}/cancel/"' not in page


def test_the_confirm_step_cancels_nothing_and_says_until_when_it_is_not_late(client):
    booking, mentee = _booked(timedelta(days=2))
    client.force_login(mentee)

    page = client.get(f"/sessions/bookings/{booking.pk}/cancel/confirm/").content.decode()

    assert "Yes, cancel my seat" in page
    assert "without it counting as late until" in page
    assert "late cancellation" not in page
    booking.refresh_from_db()
    assert booking.status == Booking.Status.BOOKED


def test_the_confirm_step_warns_that_a_cancellation_inside_the_cutoff_is_late(client, settings):
    settings.BOOKING_CANCEL_CUTOFF_HOURS = 2
    booking, mentee = _booked(timedelta(minutes=90))
    client.force_login(mentee)

    page = client.get(f"/sessions/bookings/{booking.pk}/cancel/confirm/").content.decode()
    client.post(f"/sessions/bookings/{booking.pk}/cancel/", {"next": "/sessions/mine/"})

    assert "This is a late cancellation." in page
    assert "Cancel anyway (late)" in page
    booking.refresh_from_db()
    assert booking.late_cancel  # the page told the truth: the service counted it late too


def test_a_past_session_shows_how_many_booked_not_seats_left(client):
    booking, mentee = _booked(-timedelta(hours=3))
    client.force_login(mentee)

    page = client.get(f"/sessions/o/{booking.occurrence_id}/").content.decode()

    assert "1 of 6 seats" in page
    assert " left" not in re.sub(r"<[^>]+>", " ", page.split('id="main"')[1])


def test_each_notes_part_says_who_sees_it_on_the_record_form_and_the_session_page(client):
    booking, _ = _booked(-timedelta(hours=3))
    occurrence = booking.occurrence
    mentor = occurrence.series.mentor
    save_outcome_note(occurrence=occurrence, by=mentor, topics="Heart sounds", private_notes="Struggles",
                      follow_ups="", note_to_attendees="Read chapter 4")
    client.force_login(mentor)

    form = client.get(f"/sessions/o/{occurrence.pk}/record/").content.decode()
    page = client.get(f"/sessions/o/{occurrence.pk}/").content.decode()

    assert "Outcome notes — only you and program admins" in form
    assert "Note to attendees — shared with attendees" in form
    assert "Up to 8,000 characters." in form
    assert "only the mentor and program admins" in page
    assert "shared with attendees" in page


def test_skip_dates_offer_a_date_picker_and_example_dates_in_the_coming_weeks(client):
    from tests.factories import MentorFactory

    client.force_login(MentorFactory())

    page = client.get("/sessions/new/").content.decode()

    area = re.search(r"<textarea[^>]*name=\"skip_dates\"[^>]*>", page).group(0)
    assert "data-date-adder" in area
    examples = [date.fromisoformat(d) for d in re.findall(r"\d{4}-\d{2}-\d{2}", re.search(r'placeholder="([^"]*)"', area).group(1))]
    assert len(examples) == 2 and all(d > timezone.localdate() for d in examples)
