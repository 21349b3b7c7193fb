"""Reminders are sent a batch at a time (sessions.reminder_emails): the same rules, fewer round trips."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from notifications import services as outbox
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


def test_a_larger_batch_adds_only_each_emails_hand_off(dispatch, django_assert_max_num_queries):
    first = session_with_mentees(3)
    with django_assert_max_num_queries(100) as small:
        send_reminder_batch(pending_reminder_ids(dispatch))
    Booking.objects.filter(pk__in=[b.pk for b in first]).delete()
    Reminder.objects.all().delete()
    OutboundEmail.objects.all().delete()
    mail.outbox.clear()
    session_with_mentees(30)

    ids = pending_reminder_ids(dispatch)
    # The batch's reads are shared (the dispatch pass is in both); per email only its hand-off
    # stamp, and the settling goes SETTLE_EVERY (10) at a time.
    with django_assert_max_num_queries(len(small.captured_queries) + 27 + 3 * 5):
        assert send_reminder_batch(ids) == 30


class WorkerKilled(BaseException):
    """What kill -9 looks like from inside the batch: nothing after it runs."""


def test_a_worker_killed_mid_batch_leaves_only_the_email_in_flight_may_have_been_sent(dispatch, monkeypatch, settings):
    session_with_mentees(6)
    ids = pending_reminder_ids(dispatch)
    sends = []

    def send_then_die_on_the_fourth(self, fail_silently=False):
        sends.append(self.to[0])
        if len(sends) == 4:
            raise WorkerKilled  # the mail server has it; the worker dies before settling it
        return 1

    monkeypatch.setattr("django.core.mail.EmailMessage.send", send_then_die_on_the_fourth)
    with pytest.raises(WorkerKilled):
        send_reminder_batch(ids)
    later = timezone.now() + timedelta(seconds=settings.EMAIL_STALE_CLAIM_SECONDS + 1)
    outbox.requeue_stalled_emails(now=later)  # beat's sweep, once the claim is stale

    status = dict(OutboundEmail.objects.values_list("to_address", "status"))
    assert [status[to] for to in sends] == ["sent", "sent", "sent", "uncertain"]
    assert Reminder.objects.filter(kind="1h", status="sent").count() == 3
    assert Reminder.objects.filter(kind="1h", status="uncertain").count() == 1
    assert len(sends) == 4  # nothing was sent again
