"""Failures: retried with backoff, then marked failed; a dead worker never causes a duplicate."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from notifications import services
from notifications.models import OutboundEmail, Reminder
from notifications.services import claim_email, deliver, prepare_reminder_email, requeue_stalled_emails
from tests.factories import BookingFactory, OccurrenceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def reminder_email(dispatch):
    booking = BookingFactory(occurrence=OccurrenceFactory(starts_at=timezone.now() + timedelta(minutes=50)))
    dispatch(send=False)
    reminder = Reminder.objects.get(recipient=booking.mentee, kind="1h")
    return prepare_reminder_email(reminder_id=reminder.pk)


def test_a_reminder_that_keeps_failing_is_marked_failed_with_the_error(reminder_email, monkeypatch):
    def refuse(self, *args, **kwargs):
        raise OSError("SMTP server refused")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", refuse)
    for _ in range(services.MAX_ATTEMPTS - 1):
        with pytest.raises(OSError):
            deliver(reminder_email.pk)
        assert Reminder.objects.get(email=reminder_email).status == "pending"
    with pytest.raises(OSError):
        deliver(reminder_email.pk)

    reminder = Reminder.objects.get(email=reminder_email)
    assert reminder.status == "failed"
    assert "SMTP server refused" in reminder.reason


def test_retries_back_off_from_30_seconds_to_at_most_15_minutes():
    assert [services.retry_delay(n) for n in range(1, 8)] == [30, 60, 120, 240, 480, 900, 900]


def test_an_email_claimed_by_a_worker_that_died_before_sending_is_sent_by_the_next_pass(reminder_email):
    assert claim_email(reminder_email.pk) is not None  # the worker dies here, before the hand-off
    later = timezone.now() + services.stale_claim_after() + timedelta(seconds=1)

    assert claim_email(reminder_email.pk) is None  # not while the claim is fresh
    assert requeue_stalled_emails(now=later) == 1
    OutboundEmail.objects.filter(pk=reminder_email.pk).update(
        claimed_at=timezone.now() - services.stale_claim_after() - timedelta(seconds=1)
    )
    assert deliver(reminder_email.pk) is True

    assert len(mail.outbox) == 1
    assert Reminder.objects.get(email=reminder_email).status == "sent"


def test_an_email_handed_to_the_mail_server_by_a_worker_that_died_is_marked_failed_not_resent(reminder_email):
    claimed = claim_email(reminder_email.pk)
    OutboundEmail.objects.filter(pk=claimed.pk).update(handed_off_at=timezone.now())  # dies mid-send
    later = timezone.now() + services.stale_claim_after() + timedelta(seconds=1)

    assert requeue_stalled_emails(now=later) == 0
    assert deliver(reminder_email.pk) is False

    reminder = Reminder.objects.get(email=reminder_email)
    assert reminder.status == "failed"
    assert "not resent" in reminder.reason
    assert mail.outbox == []


def test_a_queued_email_whose_task_was_lost_is_published_again(reminder_email, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        requeued = requeue_stalled_emails(now=timezone.now() + services.REQUEUE_AFTER + timedelta(minutes=1))

    assert requeued == 1
    assert len(mail.outbox) == 1


def test_a_reminder_whose_first_send_fails_is_retried_and_sent(dispatch, monkeypatch):
    from django.core.mail import EmailMultiAlternatives

    booking = BookingFactory(occurrence=OccurrenceFactory(starts_at=timezone.now() + timedelta(minutes=50)))
    real_send = EmailMultiAlternatives.send
    calls = []

    def flaky(self, *args, **kwargs):
        calls.append(self.to)
        if len(calls) == 1:
            raise OSError("connection reset")
        return real_send(self, *args, **kwargs)

    monkeypatch.setattr(EmailMultiAlternatives, "send", flaky)
    dispatch()

    assert set(Reminder.objects.filter(kind="1h").values_list("status", flat=True)) == {"sent"}
    assert sorted(m.to[0] for m in mail.outbox) == sorted([booking.mentee.email, booking.occurrence.series.mentor.email])
    assert OutboundEmail.objects.filter(attempts=2, status="sent").count() == 1  # the one that failed first
