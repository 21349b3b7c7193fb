"""Out-of-range input (issue 11, item 11): numbers and dates a careless or hostile user types get a
message on the form, all at once and keeping what was typed, never a 500; the database refuses
what the forms would never let through."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from sessions.models import MAX_DURATION_MINUTES, MAX_SEATS, Occurrence, ReviewSeries
from tests.factories import MentorFactory, SubjectFactory, published_series, series_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def mentor_client(client):
    client.raise_request_exception = False  # a server error must show as the 500 the user would get
    mentor = MentorFactory()
    client.force_login(mentor)
    client.mentor = mentor
    return client


def test_a_series_ending_on_9999_12_31_is_refused_with_a_message(mentor_client):
    response = mentor_client.post(reverse("sessions:series_new"), series_form_data(
        SubjectFactory(), first_date="9999-12-30", last_date="9999-12-31"))

    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "two years ahead" in errors["first_date"][0] and "two years ahead" in errors["last_date"][0]
    assert not ReviewSeries.objects.exists()


def test_every_out_of_range_number_and_date_of_a_series_is_shown_at_once_and_what_was_typed_is_kept(mentor_client):
    far = (timezone.localdate() + timedelta(days=800)).isoformat()
    response = mentor_client.post(reverse("sessions:series_new"), series_form_data(
        SubjectFactory(), duration_minutes="100000000000000", seats="32768", last_date=far))

    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors["duration_minutes"] == [f"The duration must be between 1 and {MAX_DURATION_MINUTES} minutes (8 hours)."]
    assert form.errors["seats"] == [f"A session can have at most {MAX_SEATS} seats."]
    assert "two years ahead" in form.errors["last_date"][0]
    assert form["duration_minutes"].value() == "100000000000000" and form["last_date"].value() == far
    assert not ReviewSeries.objects.exists()


def test_a_series_of_more_than_a_year_is_refused(mentor_client):
    first = timezone.localdate() + timedelta(days=3)
    response = mentor_client.post(reverse("sessions:series_new"), series_form_data(
        SubjectFactory(), first_date=first.isoformat(), last_date=(first + timedelta(days=400)).isoformat()))

    assert response.status_code == 400
    assert response.context["form"].errors["last_date"] == ["A series can run for at most a year; publish a new one next term."]


def test_editing_a_session_to_last_10_to_the_14_minutes_is_refused_with_a_message(mentor_client):
    occurrence = published_series(mentor=mentor_client.mentor).occurrences.first()
    local = timezone.localtime(occurrence.starts_at)
    post = {"date": local.date().isoformat(), "start_time": "18:00", "duration_minutes": str(10**14), "seats": "6",
            "location": "Room 101"}

    response = mentor_client.post(reverse("sessions:occurrence_edit", args=[occurrence.pk]), post)

    assert response.status_code == 400
    assert "8 hours" in response.context["form"].errors["duration_minutes"][0]
    occurrence.refresh_from_db()
    assert occurrence.duration == timedelta(minutes=90)


def test_moving_a_session_to_9999_12_31_23_30_is_refused_with_a_message(mentor_client):
    occurrence = published_series(mentor=mentor_client.mentor).occurrences.first()
    post = {"date": "9999-12-31", "start_time": "23:30", "duration_minutes": "90", "seats": "6", "location": "Room 101"}

    response = mentor_client.post(reverse("sessions:occurrence_edit", args=[occurrence.pk]), post)

    assert response.status_code == 400
    assert "two years ahead" in response.context["form"].errors["date"][0]
    assert Occurrence.objects.get(pk=occurrence.pk).starts_at == occurrence.starts_at


def test_the_service_refuses_a_move_beyond_two_years_even_without_the_form():
    from sessions.errors import InvalidSchedule
    from sessions.services import edit_occurrence

    occurrence = published_series().occurrences.first()
    with pytest.raises(InvalidSchedule, match="two years ahead"):
        edit_occurrence(occurrence=occurrence, editor=occurrence.series.mentor,
                        starts_at=occurrence.starts_at + timedelta(days=3 * 366))
    with pytest.raises(InvalidSchedule, match="8 hours"):
        edit_occurrence(occurrence=occurrence, editor=occurrence.series.mentor, duration_minutes=10**14)


@pytest.mark.parametrize(
    "change",
    [
        {"duration_minutes": MAX_DURATION_MINUTES + 1},
        {"seats": MAX_SEATS + 1},
        {"last_date_days": 400},
    ],
    ids=["duration", "seats", "span"],
)
def test_the_database_refuses_a_series_out_of_bounds(change):
    series = published_series()
    values = dict(change)
    if "last_date_days" in values:
        values = {"last_date": series.first_date + timedelta(days=values.pop("last_date_days"))}
    with pytest.raises(IntegrityError), transaction.atomic():
        ReviewSeries.objects.filter(pk=series.pk).update(**values)


def test_the_database_refuses_an_occurrence_longer_than_8_hours_or_with_too_many_seats():
    occurrence = published_series().occurrences.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Occurrence.objects.filter(pk=occurrence.pk).update(ends_at=occurrence.starts_at + timedelta(hours=9))
    with pytest.raises(IntegrityError), transaction.atomic():
        Occurrence.objects.filter(pk=occurrence.pk).update(seats=MAX_SEATS + 1)


def test_negative_seats_and_a_bad_skip_date_are_both_reported_on_the_page_at_once(mentor_client):
    response = mentor_client.post(reverse("sessions:series_new"), series_form_data(
        SubjectFactory(), seats="-3", skip_dates="2026-13-45"))

    assert response.status_code == 400
    page = response.content.decode()
    assert "A session needs at least one seat." in page
    assert "is not a date (use YYYY-MM-DD)." in page
    assert not ReviewSeries.objects.exists()
