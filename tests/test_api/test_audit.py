"""Every request made with a token is in the audit log under the token's name; reads of a student's
records name the student."""

import pytest
from django.urls import reverse

from audit.models import AccessEvent
from tests.factories import BookingFactory, MenteeFactory, ProgramAdminFactory

pytestmark = pytest.mark.django_db


def test_each_request_with_a_token_is_logged_with_the_tokens_name(client, make_token):
    _, headers = make_token(name="Room booking system")

    client.get(reverse("api-v1:sessions"), headers=headers)
    client.get(reverse("api-v1:occurrences"), headers=headers)

    events = list(AccessEvent.objects.order_by("pk").values_list("api_token", "action", "path"))
    assert events == [
        ("Room booking system", "api.sessions", "/api/v1/sessions"),
        ("Room booking system", "api.occurrences", "/api/v1/occurrences"),
    ]


def test_a_read_of_a_students_bookings_is_logged_against_that_student(client, make_token):
    mentee = MenteeFactory()
    BookingFactory(mentee=mentee)
    _, headers = make_token(name="Advising", education_records=True)

    client.get(reverse("api-v1:student_bookings"), {"email": mentee.email}, headers=headers)

    event = AccessEvent.objects.get()
    assert (event.api_token, event.action, event.student) == ("Advising", "api.bookings.read", mentee)


def test_a_refused_request_is_logged_with_its_status(client, make_token):
    mentee = MenteeFactory()
    _, headers = make_token(name="Room booking system")

    client.get(reverse("api-v1:student_attendance"), {"email": mentee.email}, headers=headers)

    assert list(AccessEvent.objects.values_list("api_token", "action")) == [
        ("Room booking system", "api.student_attendance (403)")
    ]


def test_the_access_log_page_names_the_token(client, make_token):
    _, headers = make_token(name="Advising", education_records=True)
    client.get(reverse("api-v1:sessions"), headers=headers)
    client.force_login(ProgramAdminFactory())

    page = client.get(reverse("audit:access_log")).content.decode()

    assert "API token “Advising”" in page


def test_no_cache_may_keep_a_students_records_from_the_api(client, make_token):
    mentee = MenteeFactory()
    _, headers = make_token(education_records=True)

    response = client.get(reverse("api-v1:student_attendance"), {"email": mentee.email}, headers=headers)

    assert {"private", "no-store"} <= {part.strip() for part in response["Cache-Control"].split(",")}
