"""A holiday added later: its page lists the sessions already published on its days and offers to
cancel them, and the booked mentees get the sessions app's own cancellation email."""

from datetime import date

import pytest
from django.urls import reverse

from notifications.models import OutboundEmail
from program.models import Holiday
from sessions.models import Occurrence
from tests.factories import BookingFactory, MenteeFactory, published_series

pytestmark = pytest.mark.django_db


@pytest.fixture
def tuesdays():
    return published_series(title="Upper limb", first_date=date(2027, 3, 2), last_date=date(2027, 3, 30))


def test_adding_a_holiday_lists_the_sessions_on_its_days(admin_client, tuesdays):
    response = admin_client.post(reverse("program:holiday_new"),
                                 {"name": "Spring break", "first_day": "2027-03-15", "last_day": "2027-03-19"},
                                 follow=True)  # fmt: skip

    page = response.content.decode()
    assert "1 scheduled session falls on these days" in page
    assert "Upper limb" in page


def test_cancelling_the_sessions_on_a_holiday_emails_their_booked_mentees(admin_client, tuesdays):
    holiday = Holiday.objects.create(name="Spring break", first_day=date(2027, 3, 15), last_day=date(2027, 3, 19))
    on_holiday = tuesdays.occurrences.get(series_date=date(2027, 3, 16))
    mentee = MenteeFactory()
    BookingFactory(occurrence=on_holiday, mentee=mentee)

    response = admin_client.post(reverse("program:holiday_sessions", args=[holiday.pk]),
                                 {"reason": "Spring break: no sessions.", "occurrences": [on_holiday.pk]}, follow=True)

    on_holiday.refresh_from_db()
    assert on_holiday.status == Occurrence.Status.CANCELLED
    assert "Cancelled 1 sessions" in response.content.decode()
    email = OutboundEmail.objects.get(recipient=mentee, kind="session_cancelled")
    assert "Spring break: no sessions." in email.body_text
    assert tuesdays.occurrences.filter(status=Occurrence.Status.SCHEDULED).count() == 4


def test_sessions_the_admin_unticks_are_kept(admin_client, tuesdays):
    holiday = Holiday.objects.create(name="Spring break", first_day=date(2027, 3, 15), last_day=date(2027, 3, 19))

    response = admin_client.post(reverse("program:holiday_sessions", args=[holiday.pk]), {"reason": "Break"})

    assert response.status_code == 400
    assert tuesdays.occurrences.filter(status=Occurrence.Status.CANCELLED).count() == 0


def test_a_session_not_on_the_holiday_cannot_be_cancelled_through_it(admin_client, tuesdays):
    holiday = Holiday.objects.create(name="Spring break", first_day=date(2027, 3, 15), last_day=date(2027, 3, 19))
    other = tuesdays.occurrences.get(series_date=date(2027, 3, 9))

    admin_client.post(reverse("program:holiday_sessions", args=[holiday.pk]), {"reason": "Break", "occurrences": [other.pk]})

    other.refresh_from_db()
    assert other.status == Occurrence.Status.SCHEDULED
