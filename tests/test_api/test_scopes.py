"""A token sees only what its scope allows: education records (bookings, attendance) need their own scope."""

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import AttendanceFactory, BookingFactory, MenteeFactory, published_series

pytestmark = pytest.mark.django_db

READ_URLS = ["api-v1:sessions", "api-v1:occurrences", "api-v1:figures"]


@pytest.fixture
def booked_mentee():
    series = published_series()
    mentee = MenteeFactory()
    occurrence = series.occurrences.first()
    BookingFactory(occurrence=occurrence, mentee=mentee)
    AttendanceFactory(occurrence=occurrence, mentee=mentee)
    return mentee


def _records(client, headers, mentee):
    return [
        client.get(reverse(name), {"email": mentee.email}, headers=headers)
        for name in ("api-v1:student_bookings", "api-v1:student_attendance")
    ]


@pytest.mark.parametrize("access", ["read", "read_write"])
def test_a_read_token_reads_sessions_occurrences_and_figures(client, make_token, access, booked_mentee):
    _, headers = make_token(access=access)

    assert [client.get(reverse(name), headers=headers).status_code for name in READ_URLS] == [200, 200, 200]


@pytest.mark.parametrize("access", ["read", "read_write"])
def test_a_token_without_the_education_records_scope_reads_no_bookings_or_attendance(
    client, make_token, access, booked_mentee
):
    _, headers = make_token(access=access)

    responses = _records(client, headers, booked_mentee)

    assert [r.status_code for r in responses] == [403, 403]
    assert all(booked_mentee.email not in r.content.decode() for r in responses)
    assert "education_records" in responses[0].json()["detail"]


def test_a_token_with_the_education_records_scope_reads_a_students_bookings_and_attendance(
    client, make_token, booked_mentee
):
    _, headers = make_token(education_records=True)

    bookings, attendance = (r.json() for r in _records(client, headers, booked_mentee))

    assert bookings["student"]["email"] == booked_mentee.email
    assert [b["status"] for b in bookings["bookings"]] == ["booked"]
    assert [a["status"] for a in attendance["attendance"]] == ["attended"]


def test_a_students_records_hold_only_that_students_rows(client, make_token, booked_mentee):
    other = MenteeFactory()
    BookingFactory(mentee=other)
    _, headers = make_token(education_records=True)

    bookings = client.get(reverse("api-v1:student_bookings"), {"email": other.email}, headers=headers).json()

    assert len(bookings["bookings"]) == 1
    assert booked_mentee.email not in str(bookings)


def test_an_unknown_students_records_answer_404_not_an_empty_list(client, make_token):
    _, headers = make_token(education_records=True)

    response = client.get(reverse("api-v1:student_bookings"), {"email": "nobody@school.edu"}, headers=headers)

    assert response.status_code == 404


def test_no_token_or_a_signed_in_browser_gets_401_from_every_operation(client, make_token, booked_mentee):
    from tests.factories import ProgramAdminFactory

    client.force_login(ProgramAdminFactory())  # the session cookie is not a credential for the API

    codes = {client.get(reverse(n), {"email": booked_mentee.email}).status_code for n in [*READ_URLS,
             "api-v1:student_bookings", "api-v1:student_attendance"]}  # fmt: skip

    assert codes == {401}


def test_occurrences_show_the_seats_left(client, make_token):
    series = published_series(seats=3)
    occurrence = series.occurrences.order_by("starts_at").first()
    BookingFactory(occurrence=occurrence)
    BookingFactory(occurrence=occurrence, status="cancelled", cancelled_at=timezone.now())
    _, headers = make_token()

    got = client.get(reverse("api-v1:occurrence", kwargs={"occurrence_id": occurrence.pk}), headers=headers).json()

    assert (got["seats"], got["seats_booked"], got["seats_left"]) == (3, 1, 2)
