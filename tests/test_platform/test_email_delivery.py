import pytest
from django.core import mail

from notifications.models import OutboundEmail
from notifications.services import deliver, queue_email
from tests.factories import MenteeFactory

pytestmark = pytest.mark.django_db


def test_queued_email_is_delivered_once_the_transaction_commits(django_capture_on_commit_callbacks):
    mentee = MenteeFactory()

    with django_capture_on_commit_callbacks(execute=True):
        queue_email(to=mentee, kind="test", subject="Hello", body_text="Body")

    assert [m.to for m in mail.outbox] == [[mentee.email]]
    assert OutboundEmail.objects.get().status == OutboundEmail.Status.SENT


def test_an_email_is_never_sent_twice_when_its_task_runs_again(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        email = queue_email(to="someone@school.edu", kind="test", subject="Hi", body_text="Body")

    assert deliver(email.pk) is False
    assert len(mail.outbox) == 1


def test_the_same_dedupe_key_is_queued_only_once():
    first = queue_email(to="a@school.edu", kind="test", subject="Hi", body_text="x", dedupe_key="k1")
    second = queue_email(to="a@school.edu", kind="test", subject="Hi", body_text="x", dedupe_key="k1")

    assert first is not None
    assert second is None
    assert OutboundEmail.objects.count() == 1


def test_a_failing_email_goes_back_to_the_queue_then_is_marked_failed(monkeypatch):
    from notifications import services

    email = queue_email(to="a@school.edu", kind="test", subject="Hi", body_text="x")

    def refuse(self, *args, **kwargs):
        raise OSError("SMTP server refused")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", refuse)
    for attempt in range(1, services.MAX_ATTEMPTS + 1):
        with pytest.raises(OSError):
            deliver(email.pk, now=email.next_attempt_at)  # each attempt when the schedule says
        email.refresh_from_db()
        expected = OutboundEmail.Status.FAILED if attempt == services.MAX_ATTEMPTS else OutboundEmail.Status.QUEUED
        assert email.status == expected
    assert email.attempts == services.MAX_ATTEMPTS
    assert "refused" in email.last_error
