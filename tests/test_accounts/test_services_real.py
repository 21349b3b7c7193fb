"""Service tier: allauth's mails reach a real Celery worker; decisions hold under concurrency."""

import threading

import pytest
from django.db import connection
from django.urls import reverse

from accounts.models import MentorApplication
from accounts.services import AccountError, approve_mentor_application, decline_mentor_application
from tests.factories import MentorApplicationFactory, ProgramAdminFactory, SubjectFactory

pytestmark = pytest.mark.service


def test_the_verification_mail_of_a_sign_up_is_delivered_by_a_real_worker(celery_worker, client):
    client.post(reverse("account_signup"), {
        "email": "worker@school.edu", "password1": "a-long-and-unusual-passphrase",
        "password2": "a-long-and-unusual-passphrase",
    })

    mails = celery_worker.wait_for_mails(1)
    assert mails[0]["To"] == "worker@school.edu"
    assert "Please Confirm Your Email Address" in mails[0]["Subject"]


def test_two_admins_deciding_at_once_give_exactly_one_decision(postgres):
    application = MentorApplicationFactory(subjects=[SubjectFactory()])
    first, second = ProgramAdminFactory(), ProgramAdminFactory()
    outcomes = []
    barrier = threading.Barrier(2)

    def decide(action):
        try:
            barrier.wait()
            action()
            outcomes.append("ok")
        except AccountError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=decide, args=(lambda: approve_mentor_application(application=application, admin=first),)),
        threading.Thread(target=decide, args=(lambda: decline_mentor_application(
            application=application, admin=second, message="No"),)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert sorted(outcomes) == ["ok", "refused"]
    application.refresh_from_db()
    assert application.status != MentorApplication.Status.PENDING
