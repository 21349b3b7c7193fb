"""Reminders are sent a batch at a time (sessions.reminder_emails): the same rules, fewer round trips."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from notifications.models import OutboundEmail
from sessions.models import Booking, Reminder
from sessions.reminder_emails import send_reminder_batch
from tests.factories import BookingFactory, MenteeFactory, MentorFactory, OccurrenceFactory, ReviewSeriesFactory

pytestmark = pytest.mark.django_db


def session_with_mentees(count):
    series = ReviewSeriesFactory(mentor=MentorFactory(email_opt_out=True), seats=50)
    occurrence = OccurrenceFactory(series=series, seats=50, starts_at=timezone.now() + timedelta(minutes=50))
    return [BookingFactory(occurrence=occurrence, mentee=MenteeFactory()) for _ in range(count)]


def pending_reminder_ids(dispatch):
    dispatch(send=False)
    return list(Reminder.objects.filter(status="pending").order_by("pk").values_list("pk", flat=True))


def test_a_batch_emails_each_booked_mentee_once_and_skips_a_seat_cancelled_since_the_dispatch(dispatch):
    bookings = session_with_mentees(4)
    ids = pending_reminder_ids(dispatch)
    Booking.objects.filter(pk=bookings[0].pk).update(status=Booking.Status.CANCELLED, cancelled_at=timezone.now())

    assert send_reminder_batch(ids) == 3
    assert send_reminder_batch(ids) == 0  # a second run of the same task sends nothing

    assert sorted(m.to[0] for m in mail.outbox) == sorted(b.mentee.email for b in bookings[1:])
    skipped = Reminder.objects.get(recipient=bookings[0].mentee, kind="1h")
    assert skipped.status == "skipped" and skipped.reason == "The booking was cancelled."
    assert set(Reminder.objects.filter(kind="1h").exclude(pk=skipped.pk).values_list("status", flat=True)) == {"sent"}
    assert OutboundEmail.objects.filter(status="sent", attempts=1).count() == 3


def test_each_mentee_of_a_batch_gets_their_own_calendar_file(dispatch):
    bookings = session_with_mentees(2)
    send_reminder_batch(pending_reminder_ids(dispatch))

    for booking in bookings:
        (message,) = [m for m in mail.outbox if m.to == [booking.mentee.email]]
        (part,) = message.attachments
        ics = part.get_payload(decode=True).decode()
        assert f"occurrence-{booking.occurrence.pk}@" in ics and "BEGIN:VTIMEZONE" in ics


def test_a_larger_batch_takes_no_more_queries(dispatch, django_assert_max_num_queries):
    first = session_with_mentees(3)
    with django_assert_max_num_queries(100) as small:
        send_reminder_batch(pending_reminder_ids(dispatch))
    Booking.objects.filter(pk__in=[b.pk for b in first]).delete()
    Reminder.objects.all().delete()
    OutboundEmail.objects.all().delete()
    mail.outbox.clear()
    session_with_mentees(30)

    ids = pending_reminder_ids(dispatch)
    # Per email only its hand-off; settling goes ten at a time (the dispatch pass is in both).
    with django_assert_max_num_queries(len(small.captured_queries) + 30 + 3):
        assert send_reminder_batch(ids) == 30
