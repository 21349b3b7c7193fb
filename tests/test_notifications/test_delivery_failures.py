"""Failures: retried with backoff, then marked failed; a dead worker never causes a duplicate."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from notifications import services
from notifications.models import OutboundEmail
from notifications.services import claim_email, deliver, requeue_after_reconnect, requeue_stalled_emails
from notifications.services.delivery import _hand_off
from sessions import reminder_emails, reminders
from sessions.models import Reminder
from sessions.reminder_emails import prepare_reminder_email
from tests.factories import BookingFactory, MenteeFactory, OccurrenceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def reminder_email(dispatch):
    booking = BookingFactory(occurrence=OccurrenceFactory(starts_at=timezone.now() + timedelta(minutes=50)))
    dispatch(send=False)
    reminder = Reminder.objects.get(recipient=booking.mentee, kind="1h")
    return prepare_reminder_email(reminder_id=reminder.pk)


def refuse(self, *args, **kwargs):
    raise OSError("SMTP server refused")


def attempt_when_due(email_id: int) -> bool:
    """Run the delivery attempt the task would run at the row's `next_attempt_at`."""
    due = OutboundEmail.objects.get(pk=email_id).next_attempt_at
    return deliver(email_id, now=due)


def test_a_reminder_the_mail_server_keeps_refusing_is_retried_until_its_session_starts_then_skipped(
    reminder_email, monkeypatch
):
    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", refuse)
    for _ in range(services.MAX_ATTEMPTS + 3):  # well past the give-up count of other emails
        with pytest.raises(OSError):
            attempt_when_due(reminder_email.pk)
        assert Reminder.objects.get(email=reminder_email).status == "pending"
        assert OutboundEmail.objects.get(pk=reminder_email.pk).status == "queued"

    starts_at = reminder_email.reminder.occurrence.starts_at
    assert deliver(reminder_email.pk, now=starts_at + timedelta(seconds=1)) is False

    reminder = Reminder.objects.get(email=reminder_email)
    assert reminder.status == "skipped"
    assert "already started" in reminder.reason
    assert "SMTP server refused" in reminder.reason
    assert mail.outbox == []


def test_an_email_that_is_not_a_session_reminder_is_marked_failed_after_the_last_attempt(monkeypatch):
    email = services.queue_email(to="a@school.edu", kind="booking_confirmed", subject="Hi", body_text="x")
    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", refuse)
    for _ in range(services.MAX_ATTEMPTS - 1):
        with pytest.raises(OSError):
            attempt_when_due(email.pk)
        assert OutboundEmail.objects.get(pk=email.pk).status == "queued"
    with pytest.raises(OSError):
        attempt_when_due(email.pk)

    email.refresh_from_db()
    assert email.status == "failed"
    assert email.attempts == services.MAX_ATTEMPTS
    assert "SMTP server refused" in email.last_error


def test_a_failure_before_the_hand_off_ends_failed_after_the_retries_and_the_sweep_leaves_it(
    reminder_email, monkeypatch, django_capture_on_commit_callbacks
):
    def broken_message(email):
        raise ValueError("attachment has no content")

    monkeypatch.setattr(services.delivery, "_build_message", broken_message)
    for _ in range(services.MAX_ATTEMPTS):
        with pytest.raises(ValueError):
            attempt_when_due(reminder_email.pk)

    email = OutboundEmail.objects.get(pk=reminder_email.pk)
    assert (email.status, email.attempts) == ("failed", services.MAX_ATTEMPTS)
    reminder = Reminder.objects.get(email=reminder_email)
    assert reminder.status == "failed"
    assert "attachment has no content" in reminder.reason
    with django_capture_on_commit_callbacks(execute=True):
        assert requeue_stalled_emails(now=timezone.now() + timedelta(days=1)) == 0
    assert OutboundEmail.objects.get(pk=reminder_email.pk).status == "failed"


def test_a_reminder_whose_email_cannot_be_built_is_marked_failed_and_not_published_again(dispatch, monkeypatch):
    booking = BookingFactory(occurrence=OccurrenceFactory(starts_at=timezone.now() + timedelta(minutes=50)))

    def broken_calendar(*occurrences, **options):
        raise ValueError("no calendar for this session")

    monkeypatch.setattr(reminder_emails, "ics_attachment", broken_calendar)
    dispatch()

    reminder = Reminder.objects.get(recipient=booking.mentee, kind="1h")
    assert reminder.status == "failed"
    assert "no calendar for this session" in reminder.reason
    assert reminder.email is None
    later = timezone.now() + reminders.REQUEUE_AFTER + timedelta(minutes=1)
    assert dispatch(later).enqueued == 0
    assert requeue_after_reconnect(connected_at=later, now=later) == 0
    assert reminders.republish_after_reconnect(connected_at=later, now=later) == 0
    assert mail.outbox == []


def test_each_retry_is_recorded_for_the_time_the_schedule_gives(reminder_email, monkeypatch):
    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", refuse)
    waits = []
    for attempt in range(1, 8):
        failed_at = timezone.now()
        with pytest.raises(OSError):
            attempt_when_due(reminder_email.pk)
        email = OutboundEmail.objects.get(pk=reminder_email.pk)
        assert email.attempts == attempt
        waits.append(int((email.next_attempt_at - failed_at).total_seconds()))

    # After the first try: 30 s, 1, 2, 4, 8 min, then every 15 min.
    assert waits == [30, 60, 120, 240, 480, 900, 900]


def test_a_retry_message_arriving_before_its_time_does_nothing(reminder_email, monkeypatch):
    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", refuse)
    with pytest.raises(OSError):
        deliver(reminder_email.pk)
    monkeypatch.undo()

    assert deliver(reminder_email.pk) is False  # a duplicate message, 30 s early
    assert OutboundEmail.objects.get(pk=reminder_email.pk).attempts == 1
    assert attempt_when_due(reminder_email.pk) is True
    assert len(mail.outbox) == 1


def test_retries_back_off_from_30_seconds_to_at_most_15_minutes():
    assert [services.retry_delay(n) for n in range(1, 8)] == [30, 60, 120, 240, 480, 900, 900]


def test_an_email_claimed_by_a_worker_that_died_before_sending_is_sent_by_the_next_pass(reminder_email):
    assert claim_email(reminder_email.pk) is not None  # the worker dies here, before the hand-off
    later = timezone.now() + services.stale_claim_after() + timedelta(seconds=1)

    assert claim_email(reminder_email.pk) is None  # not while the claim is fresh
    assert requeue_stalled_emails(now=later) == 1
    assert deliver(reminder_email.pk, now=later) is True

    assert len(mail.outbox) == 1
    assert Reminder.objects.get(email=reminder_email).status == "sent"


def test_an_email_handed_to_the_mail_server_by_a_worker_that_died_may_have_been_sent_and_is_not_resent(
    reminder_email,
):
    claimed = claim_email(reminder_email.pk)
    OutboundEmail.objects.filter(pk=claimed.pk).update(handed_off_at=timezone.now())  # dies mid-send
    later = timezone.now() + services.stale_claim_after() + timedelta(seconds=1)

    assert requeue_stalled_emails(now=later) == 0
    assert deliver(reminder_email.pk, now=later) is False
    requeue_after_reconnect(connected_at=later, now=later)  # a worker's return leaves it alone too
    assert deliver(reminder_email.pk, now=later) is False

    assert OutboundEmail.objects.get(pk=reminder_email.pk).status == "uncertain"
    reminder = Reminder.objects.get(email=reminder_email)
    assert reminder.status == "uncertain"
    assert reminder.get_status_display() == "May have been sent"
    assert "may have accepted it" in reminder.reason
    assert mail.outbox == []


def test_a_queued_email_whose_task_was_lost_is_published_again(reminder_email, django_capture_on_commit_callbacks):
    # Its task message was published (and lost) longer than REQUEUE_AFTER ago.
    OutboundEmail.objects.filter(pk=reminder_email.pk).update(
        next_attempt_at=timezone.now() - services.REQUEUE_AFTER - timedelta(minutes=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        requeued = requeue_stalled_emails()

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
    (retried,) = OutboundEmail.objects.filter(status="queued")
    attempt_when_due(retried.pk)  # what the retry's task message does when its time comes

    assert set(Reminder.objects.filter(kind="1h").values_list("status", flat=True)) == {"sent"}
    assert sorted(m.to[0] for m in mail.outbox) == sorted([booking.mentee.email, booking.occurrence.series.mentor.email])
    assert OutboundEmail.objects.filter(attempts=2, status="sent").count() == 1  # the one that failed first


@pytest.mark.parametrize("apart", [timedelta(seconds=1), timedelta(0)], ids=["a second apart", "in the same microsecond"])
def test_hand_offs_of_two_different_claims_left_by_dead_workers_both_may_have_been_sent(apart):
    now = timezone.now()
    first, second = (
        services.queue_claimed_emails([services.EmailDraft(to=MenteeFactory(), kind="test", subject="Hi", body_text="Hi")])[0]
        for _ in range(2)
    )
    OutboundEmail.objects.filter(pk=first.pk).update(claimed_at=now - apart, handed_off_at=now)
    OutboundEmail.objects.filter(pk=second.pk).update(claimed_at=now, handed_off_at=now)
    later = now + services.stale_claim_after() + timedelta(seconds=1)

    requeue_stalled_emails(now=later)

    # A later hand-off tells that the one before was sent only within one worker's claim.
    assert set(OutboundEmail.objects.values_list("status", flat=True)) == {"uncertain"}


def test_a_worker_whose_released_claim_was_taken_again_at_the_same_instant_does_not_send(reminder_email):
    now = timezone.now()
    first = claim_email(reminder_email.pk, now=now)  # this worker then stalls before its hand-off
    requeue_after_reconnect(connected_at=now + timedelta(microseconds=1), now=now)  # released as abandoned
    second = claim_email(reminder_email.pk, now=now)  # another worker takes it, its clock at the same instant

    assert first.claimed_at == second.claimed_at
    with services.mail_connection() as connection:
        assert _hand_off(first, connection=connection) is False
        assert _hand_off(second, connection=connection) is True
    assert len(mail.outbox) == 1


def test_a_batch_claimed_before_claims_carried_a_token_is_still_told_by_its_claim_time():
    now = timezone.now()
    first, second = services.queue_claimed_emails(
        [services.EmailDraft(to=MenteeFactory(), kind="test", subject="Hi", body_text="Hi") for _ in range(2)]
    )
    OutboundEmail.objects.filter(pk__in=[first.pk, second.pk]).update(claim=None, claimed_at=now, handed_off_at=now)

    requeue_stalled_emails(now=now + services.stale_claim_after() + timedelta(seconds=1))

    # The worker handed the second over only once the first's send had returned.
    assert dict(OutboundEmail.objects.values_list("pk", "status")) == {first.pk: "sent", second.pk: "uncertain"}


def test_a_failed_attempt_releases_its_claim_token(reminder_email, monkeypatch):
    from django.core.mail import EmailMultiAlternatives

    monkeypatch.setattr(EmailMultiAlternatives, "send", refuse)
    with pytest.raises(OSError):
        deliver(reminder_email.pk)

    assert OutboundEmail.objects.filter(pk=reminder_email.pk, status="queued", claim=None).exists()
