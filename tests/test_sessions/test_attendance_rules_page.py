"""The admins' attendance rules page: mentees at or near the no-show limit, mentors' sessions
not held, and the Clear action (with a note, logged)."""

import datetime as _dt

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AccessEvent
from program.models import NoShowClearance
from sessions.models import Attendance
from tests.factories import BookingFactory, MenteeFactory, MentorFactory, OccurrenceFactory
from tests.factories_program import missed, past_session, set_rules, term_around_today

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def term():
    return term_around_today()


def test_the_page_lists_mentees_at_and_near_the_limit_and_logs_the_read(admin_client):
    set_rules(no_show_limit=2)
    at_limit, near, excused_only = MenteeFactory(), MenteeFactory(), MenteeFactory()
    missed(at_limit, days_ago=5)
    missed(at_limit, days_ago=4)
    missed(near, days_ago=4)
    missed(excused_only, status=Attendance.Status.EXCUSED)

    page = admin_client.get(reverse("sessions:attendance_rules")).content.decode()

    assert page.index(at_limit.email) < page.index(near.email)
    assert "At the limit: bookings refused" in page
    assert "One short of the limit (warned)" in page
    assert excused_only.email not in page
    assert AccessEvent.objects.filter(actor=admin_client.admin, action="attendance.no_shows.read").exists()


def test_a_mentors_past_session_with_bookings_and_no_attendance_counts_as_not_held(admin_client):
    mentor, punctual = MentorFactory(), MentorFactory()
    skipped = past_session(days_ago=3)
    skipped.series.mentor = mentor
    skipped.series.save()
    BookingFactory(occurrence=skipped)
    held = missed(MenteeFactory(), days_ago=3)  # attendance recorded: held
    held.occurrence.series.mentor = punctual
    held.occurrence.series.save()
    cancelled = OccurrenceFactory(
        series=skipped.series, starts_at=timezone.now() - _dt.timedelta(days=2), status="cancelled", cancelled_at=timezone.now()
    )
    BookingFactory(occurrence=cancelled)

    page = admin_client.get(reverse("sessions:attendance_rules")).content.decode()

    assert f"{mentor.display_name} ({mentor.email}): <strong>1</strong> session," in page
    assert punctual.email not in page


def test_clearing_with_a_note_lifts_the_block_and_shows_who_cleared_it(admin_client):
    set_rules(no_show_limit=1)
    mentee = MenteeFactory()
    missed(mentee)

    response = admin_client.post(reverse("sessions:clear_no_shows", args=[mentee.pk]), {"note": "Doctor's note seen."})

    assert response.status_code == 302
    clearance = NoShowClearance.objects.get(mentee=mentee)
    assert (clearance.cleared_by, clearance.note) == (admin_client.admin, "Doctor's note seen.")
    page = admin_client.get(reverse("sessions:attendance_rules")).content.decode()
    assert "Doctor&#x27;s note seen." in page
    assert "At the limit" not in page


def test_clearing_without_a_note_is_refused_on_the_page_and_nothing_is_saved(admin_client):
    mentee = MenteeFactory()
    missed(mentee)

    response = admin_client.post(reverse("sessions:clear_no_shows", args=[mentee.pk]), {"note": "   "})

    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert not NoShowClearance.objects.exists()


def test_clearing_a_mentee_with_nothing_to_clear_says_so(admin_client):
    mentee = MenteeFactory()

    response = admin_client.post(reverse("sessions:clear_no_shows", args=[mentee.pk]), {"note": "just in case"})

    assert response.status_code == 400
    assert "has no no-shows to clear" in response.content.decode()


def test_clearing_an_unknown_mentee_is_a_404(admin_client):
    assert admin_client.get(reverse("sessions:clear_no_shows", args=[999999])).status_code == 404


def test_a_mentee_refused_for_no_shows_sees_why_on_the_page(client):
    from tests.factories import published_series

    set_rules(no_show_limit=1)
    mentee = MenteeFactory()
    missed(mentee)
    occurrence = published_series().occurrences.order_by("starts_at").first()
    client.force_login(mentee)

    response = client.post(reverse("sessions:book", args=[occurrence.pk]), follow=True)

    assert "Please contact the program office at" in response.content.decode()


def test_the_page_costs_the_same_queries_with_few_or_many_mentees_and_mentors(admin_client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    set_rules(no_show_limit=2, late_cancellation_counts_as_no_show=True)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert admin_client.get(reverse("sessions:attendance_rules")).status_code == 200
        return len(captured)

    missed(MenteeFactory())
    BookingFactory(occurrence=past_session())
    few = queries()
    for _ in range(8):
        mentee = MenteeFactory()
        missed(mentee, days_ago=5)
        missed(mentee, days_ago=4)
        BookingFactory(occurrence=past_session())
    many = queries()

    assert many == few


def test_the_session_page_shows_the_offer_and_its_deadline(client):
    from sessions.models import WaitlistEntry
    from sessions.services import book_seat, cancel_booking, join_waitlist
    from tests.factories import published_series

    set_rules(waitlist_mode="offer")
    occurrence = published_series(seats=1).occurrences.order_by("starts_at").first()
    holder, waiting = MenteeFactory(), MenteeFactory()
    booking = book_seat(occurrence=occurrence, mentee=holder)
    join_waitlist(occurrence=occurrence, mentee=waiting)
    cancel_booking(booking=booking, by=holder)
    deadline = timezone.localtime(WaitlistEntry.objects.get(mentee=waiting).offer_expires_at)
    client.force_login(waiting)

    page = client.get(reverse("sessions:occurrence", args=[occurrence.pk])).content.decode()

    assert f"A seat is held for you until {deadline:%a %-d %b, %H:%M} ({deadline.tzname()})" in page
