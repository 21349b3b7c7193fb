"""Service tier: a real worker sending through a real SMTP server that refuses for a while."""

from datetime import timedelta

import pytest
from django.utils import timezone

from notifications import services
from notifications.models import OutboundEmail
from notifications.services import requeue_stalled_emails
from sessions.models import Reminder
from sessions.reminders import dispatch_due_reminders
from tests.factories import (
    BookingFactory,
    MenteeFactory,
    MentorFactory,
    OccurrenceFactory,
    ProgramAdminFactory,
    ReviewSeriesFactory,
)
from tests.support.worker import eventually

pytestmark = pytest.mark.service


def booked_session(starts_in):
    """A session whose mentor wants no email, so each mail here is the mentee's."""
    series = ReviewSeriesFactory(mentor=MentorFactory(email_opt_out=True))
    occurrence = OccurrenceFactory(series=series, starts_at=timezone.now() + starts_in)
    return BookingFactory(occurrence=occurrence, mentee=MenteeFactory())


def test_a_reminder_refused_longer_than_other_emails_are_tried_is_retried_on_schedule_and_delivered(
    smtp_worker, smtp_server
):
    refusals = services.MAX_ATTEMPTS + 1  # more tries than any other email gets
    smtp_server.refuse = refusals
    booking = booked_session(timedelta(minutes=50))

    dispatch_due_reminders()

    (message,) = smtp_server.wait_for_messages(1, timeout=60)
    assert message["To"] == booking.mentee.email
    reminder = eventually(lambda: Reminder.objects.filter(recipient=booking.mentee, status="sent").first())
    assert reminder is not None
    assert reminder.email.attempts == refusals + 1
    # Each wait is the documented one (compressed): 1 s, then 2 s (the cap).
    expected = [services.retry_delay(n) for n in range(1, refusals + 1)]
    waits = smtp_server.gaps()
    assert len(waits) == len(expected)
    for wait, planned in zip(waits, expected, strict=True):
        assert planned - 0.05 <= wait <= planned + 0.8, (waits, expected)


def test_a_reminder_the_mail_server_refuses_until_its_session_starts_is_skipped_with_the_error(
    smtp_worker, smtp_server
):
    smtp_server.refuse = 10_000
    booking = booked_session(timedelta(seconds=4))

    dispatch_due_reminders()

    reminder = eventually(
        lambda: Reminder.objects.filter(recipient=booking.mentee, kind="1h").exclude(status="pending").first(),
        timeout=30,
    )
    assert reminder is not None
    assert reminder.status == "skipped"
    assert "already started" in reminder.reason
    assert "421" in reminder.reason
    assert reminder.email.attempts >= 3  # tried again and again until the start
    assert smtp_server.messages() == []


def test_a_worker_killed_while_handing_a_reminder_to_the_mail_server_leaves_it_may_have_been_sent(
    smtp_worker, smtp_server, client
):
    smtp_server.hold = True  # the server keeps its answer to the message until released
    booking = booked_session(timedelta(minutes=50))
    dispatch_due_reminders()
    smtp_server.wait_for_messages(1)  # the server has the reminder ...
    smtp_worker.stop(kill=True)  # ... and the worker dies before it hears "250"
    smtp_server.hold = False
    smtp_server.release.set()
    email = OutboundEmail.objects.get(recipient=booking.mentee)
    assert email.status == "sending" and email.handed_off_at is not None

    # Beat's pass once the hand-off is older than EMAIL_STALE_CLAIM_SECONDS.
    requeue_stalled_emails(now=timezone.now() + services.stale_claim_after() + timedelta(seconds=1))

    reminder = Reminder.objects.get(recipient=booking.mentee, kind="1h")
    assert reminder.status == "uncertain"
    client.force_login(ProgramAdminFactory())
    page = client.get("/sessions/reminders/?status=uncertain").content.decode()
    assert booking.mentee.email in page
    assert "May have been sent" in page
    # Not resent: the restarted worker runs its sweep and everything queued, and sends nothing.
    smtp_worker.start()
    smtp_worker.drain()
    assert len(smtp_server.messages()) == 1
    assert Reminder.objects.get(pk=reminder.pk).status == "uncertain"
