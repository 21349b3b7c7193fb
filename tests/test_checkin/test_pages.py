"""Check-in pages: the mentor's screen, the mentee's phone page, and the attendance form it pre-fills."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from checkin import codes
from checkin.models import CheckIn
from checkin.services import check_in
from sessions.services import book_seat
from tests.factories import MenteeFactory, published_series

pytestmark = pytest.mark.django_db


@pytest.fixture
def session():
    occurrence = published_series().occurrences.first()
    booked, absent = MenteeFactory(first_name="Bea"), MenteeFactory(first_name="Abe")
    book_seat(occurrence=occurrence, mentee=booked)
    book_seat(occurrence=occurrence, mentee=absent)
    return occurrence, booked, absent


def test_the_mentors_screen_shows_a_qr_code_with_a_text_alternative_and_the_code(client, session):
    occurrence, _, _ = session
    client.force_login(occurrence.series.mentor)
    at = occurrence.starts_at - timedelta(minutes=10)

    with time_machine.travel(at, tick=False):
        page = client.get(reverse("checkin:present", args=[occurrence.pk])).content.decode()
        code = codes.current_code(occurrence.pk, at)

    assert "<svg" in page and f"with code {code}\">" in page and 'role="img" aria-label="QR code that opens' in page
    assert f"{reverse('checkin:occurrence', args=[occurrence.pk])}?code={code}" in page
    assert f"Code: </span>{code}</p>" in page


def test_before_the_window_the_mentors_screen_says_when_it_opens(client, session):
    occurrence, _, _ = session
    client.force_login(occurrence.series.mentor)

    page = client.get(reverse("checkin:present", args=[occurrence.pk])).content.decode()

    assert "Check-in opens on" in page and "<svg" not in page


def test_before_the_window_the_mentees_page_says_when_it_opens_instead_of_asking_for_a_code(client, session):
    occurrence, booked, _ = session
    client.force_login(booked)

    page = client.get(reverse("checkin:occurrence", args=[occurrence.pk])).content.decode()

    assert "Check-in opens on" in page and "15 minutes before the session starts" in page
    assert 'name="code"' not in page


def test_after_the_session_the_mentees_page_says_check_in_closed(client, session):
    occurrence, booked, _ = session
    client.force_login(booked)

    with time_machine.travel(occurrence.ends_at + timedelta(minutes=1), tick=False):
        page = client.get(reverse("checkin:occurrence", args=[occurrence.pk])).content.decode()

    assert "Check-in closed at" in page and 'name="code"' not in page


def test_the_qr_link_fills_the_code_and_one_tap_checks_the_mentee_in(client, session):
    occurrence, booked, _ = session
    client.force_login(booked)
    at = occurrence.starts_at
    code = codes.current_code(occurrence.pk, at)
    url = reverse("checkin:occurrence", args=[occurrence.pk])

    with time_machine.travel(at, tick=False):
        form = client.get(url, {"code": code}).content.decode()
        done = client.post(url, {"code": code, "confidence": "3"}, follow=True).content.decode()

    assert f'value="{code}"' in form and 'name="viewport"' in form
    assert "You are checked in to" in done and CheckIn.objects.filter(mentee=booked).exists()


def test_an_expired_code_is_shown_on_the_form_and_nothing_changes(client, session):
    occurrence, booked, _ = session
    client.force_login(booked)
    at = occurrence.starts_at + timedelta(minutes=40)
    old = codes.current_code(occurrence.pk, at - timedelta(minutes=30))

    with time_machine.travel(at, tick=False):
        response = client.post(reverse("checkin:occurrence", args=[occurrence.pk]), {"code": old})

    assert response.status_code == 400 and "That code has expired" in response.content.decode()
    assert not CheckIn.objects.exists()


def test_the_attendance_form_is_pre_filled_from_check_ins_and_lists_walk_ins(client, session):
    occurrence, booked, absent = session
    walk_in = MenteeFactory(first_name="Wally")
    at = occurrence.starts_at + timedelta(minutes=1)
    with time_machine.travel(at, tick=False):
        for person in (booked, walk_in):
            check_in(occurrence=occurrence, mentee=person, code=codes.current_code(occurrence.pk, at))
    client.force_login(occurrence.series.mentor)

    with time_machine.travel(occurrence.ends_at, tick=False):
        response = client.get(reverse("sessions:record", args=[occurrence.pk]))

    form = response.context["form"]
    assert form[f"attendance_{booked.pk}"].value() == "attended"
    assert form[f"attendance_{absent.pk}"].value() is None
    assert form["walk_ins"].value() == walk_in.email
    page = response.content.decode()
    assert "Checked in from their phones" in page and "(walk-in)" in page


def test_guessing_codes_is_stopped_after_a_few_tries_and_nothing_is_recorded(
    client, session, settings, start_of_a_rate_window
):
    settings.CHECKIN_ATTEMPT_RATE = "3/5m"
    occurrence, booked, _ = session
    client.force_login(booked)
    url = reverse("checkin:occurrence", args=[occurrence.pk])

    with time_machine.travel(occurrence.starts_at, tick=False):
        for guess in ("000001", "000002", "000003"):
            client.post(url, {"code": guess})
        right = codes.current_code(occurrence.pk, occurrence.starts_at)
        page = client.post(url, {"code": right}).content.decode()

    assert "Too many check-in attempts" in page
    assert not CheckIn.objects.filter(occurrence=occurrence, mentee=booked).exists()
