"""Service tier: reminders delivered by a real Celery worker on Redis and PostgreSQL (not eager)."""

import threading
import time
from datetime import timedelta

import pytest
from django.db import connections
from django.utils import timezone

from notifications.models import OutboundEmail
from sessions.models import Reminder
from sessions.reminders import dispatch_due_reminders
from tests.factories import BookingFactory, MenteeFactory, MentorFactory, OccurrenceFactory, ReviewSeriesFactory
from tests.support.worker import eventually

pytestmark = pytest.mark.service


def booked_session(starts_in, **mentee):
    """A session whose mentor wants no email, so each mail here is the mentee's."""
    series = ReviewSeriesFactory(mentor=MentorFactory(email_opt_out=True))
    occurrence = OccurrenceFactory(series=series, starts_at=timezone.now() + starts_in)
    return BookingFactory(occurrence=occurrence, mentee=MenteeFactory(**mentee))


def settle_and_count(worker) -> int:
    """Mails the worker sent, counted once it has run every message published so far."""
    worker.drain()
    return len(worker.mails())


def test_a_mentee_booked_into_a_session_starting_soon_gets_the_reminder_by_mail(celery_worker):
    booking = booked_session(timedelta(minutes=45))

    dispatch_due_reminders()

    (message,) = celery_worker.wait_for_mails(1)
    assert message["To"] == booking.mentee.email
    assert message["Subject"].startswith(f"Reminder: {booking.occurrence.series.title} in 1 hour")
    parts = {part.get_content_type() for part in message.walk()}
    assert {"text/plain", "text/html", "text/calendar"} <= parts
    assert eventually(lambda: Reminder.objects.filter(recipient=booking.mentee, kind="1h", status="sent").exists())
    reminder = Reminder.objects.get(recipient=booking.mentee, kind="1h")
    assert reminder.email.status == OutboundEmail.Status.SENT


def test_two_dispatchers_running_at_once_send_one_mail(celery_worker):
    booking = booked_session(timedelta(minutes=45))
    now = timezone.now()
    start = threading.Barrier(2)
    errors = []

    def run():
        try:
            start.wait()
            dispatch_due_reminders(now=now)
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    celery_worker.wait_for_mails(1)
    assert settle_and_count(celery_worker) == 1
    assert OutboundEmail.objects.filter(recipient=booking.mentee).count() == 1


def test_reminders_that_fall_due_while_the_worker_is_down_are_delivered_once_when_it_is_back(celery_worker, settings):
    # The passes below run minutes ahead of the clock: with the usual 2 minutes their sweep would
    # take the worker's claim of the mail it is sending right now for a dead worker's.
    settings.EMAIL_STALE_CLAIM_SECONDS = 3600
    celery_worker.stop()
    # Due now: the dispatcher (run by beat on another worker) publishes its task into Redis.
    early = booked_session(timedelta(minutes=45))
    dispatch_due_reminders()
    # Not due yet: it falls due while no worker runs.
    late = booked_session(timedelta(minutes=62), reminder_offsets_hours=[1])
    assert Reminder.objects.filter(recipient=late.mentee).count() == 0
    assert celery_worker.mails() == []  # the worker is stopped: nothing can have been sent

    celery_worker.start()
    dispatch_due_reminders(now=timezone.now() + timedelta(minutes=3))  # beat's first run once time has passed

    mails = celery_worker.wait_for_mails(2)
    assert sorted(m["To"] for m in mails) == sorted([early.mentee.email, late.mentee.email])
    dispatch_due_reminders(now=timezone.now() + timedelta(minutes=4))
    assert settle_and_count(celery_worker) == 2
    assert eventually(lambda: set(Reminder.objects.filter(kind="1h").values_list("status", flat=True)) == {"sent"})


def wait_until(condition, timeout=30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.2)


def test_reminders_left_by_a_killed_worker_are_delivered_at_most_once_soon_after_a_restart(celery_worker, settings):
    # Claims older than a second count as abandoned (production: EMAIL_STALE_CLAIM_SECONDS=120).
    settings.EMAIL_STALE_CLAIM_SECONDS = 1
    celery_worker.env["EMAIL_STALE_CLAIM_SECONDS"] = "1"
    bookings = [booked_session(timedelta(minutes=45)) for _ in range(5)]
    celery_worker.stop()
    celery_worker.start()
    dispatch_due_reminders()
    celery_worker.wait_for_mails(1)
    celery_worker.stop(kill=True)  # kill -9 with tasks still queued or in flight

    celery_worker.start()
    back = time.monotonic()
    # On its return the worker republishes what the killed one lost (no REQUEUE_AFTER wait);
    # beat's passes, every minute (here: as fast as the test polls), settle uncertain hand-offs.
    reminders = Reminder.objects.filter(kind="1h", recipient__in=[b.mentee for b in bookings])

    def settled() -> bool:
        dispatch_due_reminders()  # beat's pass, with the real clock
        return not reminders.filter(status="pending").exists()

    wait_until(settled, timeout=45)
    assert time.monotonic() - back < 60

    celery_worker.drain()
    recipients = [m["To"] for m in celery_worker.mails()]
    assert len(recipients) == len(set(recipients)), "a reminder was mailed twice"
    sent = set(reminders.filter(status="sent").values_list("recipient__email", flat=True))
    assert sent <= set(recipients)
    # Only a worker killed between handing a mail to the server and recording it leaves one
    # reminder "may have been sent" (not resent), never duplicated.
    uncertain = reminders.filter(status="uncertain").count()
    assert len(sent) + uncertain == 5
    assert uncertain <= 1
