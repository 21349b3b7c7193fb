"""Service tier: a real Celery worker process on Redis and PostgreSQL delivers the mail."""

import pytest

from notifications.models import OutboundEmail
from notifications.services import queue_email
from tests.factories import MenteeFactory
from tests.support.worker import eventually

pytestmark = pytest.mark.service


def test_a_real_worker_delivers_a_queued_email_exactly_once(celery_worker):
    mentee = MenteeFactory()

    email = queue_email(to=mentee, kind="test", subject="Your session", body_text="See you at 18:00")

    mails = celery_worker.wait_for_mails(1)
    assert mails[0]["To"] == mentee.email
    assert mails[0]["Subject"] == "Your session"
    assert eventually(lambda: OutboundEmail.objects.filter(pk=email.pk, status=OutboundEmail.Status.SENT).exists())


def test_mail_queued_while_the_worker_is_down_is_delivered_when_it_is_back(celery_worker):
    celery_worker.stop()

    queue_email(to="late@school.edu", kind="test", subject="Queued while down", body_text="x")
    assert celery_worker.mails() == []

    celery_worker.start()
    mails = celery_worker.wait_for_mails(1)
    assert [m["Subject"] for m in mails] == ["Queued while down"]
