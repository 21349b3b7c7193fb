"""Emails queued many at once (roster invitations): bulk rows, delivered in batches, a failure retried alone."""

import pytest
from django.core import mail

from notifications.models import OutboundEmail
from notifications.services import queue_many_emails
from notifications.tasks import deliver_emails
from tests.factories import MenteeFactory

pytestmark = pytest.mark.django_db


def test_emails_queued_many_at_once_are_all_delivered_after_commit(django_capture_on_commit_callbacks):
    people = MenteeFactory.create_batch(3)

    with django_capture_on_commit_callbacks(execute=True):
        queue_many_emails(kind="roster_invitation", messages=[(p, "Welcome", "Hello", "") for p in people])

    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in people)
    assert set(OutboundEmail.objects.values_list("status", flat=True)) == {"sent"}


def test_a_failing_email_in_a_batch_is_retried_alone_and_the_others_are_sent(monkeypatch):
    ann, ben = MenteeFactory(email="ann@school.edu"), MenteeFactory(email="ben@school.edu")
    ids = queue_many_emails(kind="roster_invitation", messages=[(ann, "Welcome", "Hi", ""), (ben, "Welcome", "Hi", "")])
    retried = []
    monkeypatch.setattr("notifications.tasks.deliver_email.apply_async", lambda args, eta: retried.append(args[0]))
    real_send = mail.EmailMultiAlternatives.send

    def refuse_ann(self, *args, **kwargs):
        if self.to == ["ann@school.edu"]:
            raise OSError("SMTP server refused")
        return real_send(self, *args, **kwargs)

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", refuse_ann)
    deliver_emails(ids)

    assert [m.to for m in mail.outbox] == [["ben@school.edu"]]
    assert retried == [ids[0]]
    assert OutboundEmail.objects.get(pk=ids[0]).status == "queued"
