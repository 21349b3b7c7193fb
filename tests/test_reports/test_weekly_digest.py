"""Program admins get last week's digest once, on Monday morning in the program's time zone."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from reports.digest import send_weekly_digests
from tests.factories import BookingFactory, MenteeFactory, OccurrenceFactory, ProgramAdminFactory

pytestmark = pytest.mark.django_db

CHICAGO = ZoneInfo("America/Chicago")
MONDAY_MORNING = datetime(2026, 11, 30, 7, 30, tzinfo=CHICAGO)


def test_no_digest_before_monday_seven_in_the_program_zone():
    ProgramAdminFactory()

    assert send_weekly_digests(now=MONDAY_MORNING.replace(hour=6)) == 0


def test_each_admin_gets_the_digest_once_a_week(django_capture_on_commit_callbacks):
    admin = ProgramAdminFactory()
    ProgramAdminFactory(email_opt_out=True)

    with django_capture_on_commit_callbacks(execute=True):
        first = send_weekly_digests(now=MONDAY_MORNING)
        again = send_weekly_digests(now=MONDAY_MORNING + timedelta(hours=5))

    assert (first, again) == (1, 0)
    assert [m.to for m in mail.outbox] == [[admin.email]]


def test_the_digest_counts_last_weeks_sessions_bookings_no_shows_and_waitlists(django_capture_on_commit_callbacks):
    from sessions.models import Attendance, WaitlistEntry

    ProgramAdminFactory()
    last_week = datetime(2026, 11, 24, 18, 0, tzinfo=CHICAGO)
    occurrence = OccurrenceFactory(starts_at=last_week)
    booking = BookingFactory(occurrence=occurrence, created_at=last_week - timedelta(days=1))
    Attendance.objects.create(occurrence=occurrence, mentee=booking.mentee, status="no_show")
    WaitlistEntry.objects.create(occurrence=occurrence, mentee=MenteeFactory(), created_at=last_week)
    OccurrenceFactory(starts_at=last_week - timedelta(days=8))  # the week before: not counted

    with django_capture_on_commit_callbacks(execute=True):
        send_weekly_digests(now=MONDAY_MORNING)

    (message,) = mail.outbox
    assert message.subject == "Weekly digest: 23 Nov to 29 Nov 2026"
    assert "Sessions held: 1 (cancelled: 0)" in message.body
    assert "Bookings made: 1" in message.body
    assert "1 no-shows" in message.body
    assert "Waitlist joins: 1 (still waiting: 1)" in message.body
