"""In development every mail lands in var/mail/ as its own file, named so a person finds the one
they want among the seeding's reminders: time, kind, recipient and subject."""

import email

import pytest

from notifications.services import queue_email

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def mail_dir(settings, tmp_path):
    settings.EMAIL_BACKEND = "notifications.backends.EmailBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path)
    return tmp_path


def test_a_delivered_mail_is_a_file_named_by_time_kind_recipient_and_subject(mail_dir):
    queue_email(
        to="new@school.edu", kind="account_email_confirmation_signup",
        subject="[Peer Mentoring] Please Confirm Your Email Address", body_text="Go to the link.",
    )

    (path,) = mail_dir.glob("*.log")
    stamp, rest = path.name.split("_", 1)
    assert len(stamp) == len("20261201-160512-123456") and stamp[:8].isdigit()
    assert rest == "account_email_confirmation_signup_new@school.edu_peer-mentoring-please-confirm-your-email-address.log"
    assert email.message_from_string(path.read_text())["To"] == "new@school.edu"


def test_two_mails_sent_together_are_two_files_each_holding_its_own_mail(mail_dir):
    queue_email(to="a@school.edu", kind="session_reminder", subject="Anatomy tomorrow", body_text="One.")
    queue_email(to="b@school.edu", kind="session_reminder", subject="Anatomy tomorrow", body_text="Two.")

    paths = sorted(mail_dir.glob("*.log"), key=lambda p: p.name.split("_", 1)[1])
    assert [p.name.split("_", 1)[1] for p in paths] == [
        "session_reminder_a@school.edu_anatomy-tomorrow.log",
        "session_reminder_b@school.edu_anatomy-tomorrow.log",
    ]
    assert "One." in paths[0].read_text() and "Two." not in paths[0].read_text()
