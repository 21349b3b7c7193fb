"""Sign-up, verification and sign-in through allauth, with the program's rules on top."""

from datetime import timedelta

import pytest
import time_machine
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from notifications.models import OutboundEmail
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

STRONG = "a-long-and-unusual-passphrase"


def _signup(client, email, password1=STRONG, password2=None):
    return client.post(
        reverse("account_signup"),
        {"email": email, "password1": password1, "password2": password2 or password1},
    )


def test_sign_up_queues_allauths_verification_mail_through_notifications(client):
    response = _signup(client, "new@school.edu")

    assert response.status_code == 302
    email = OutboundEmail.objects.get(to_address="new@school.edu")
    assert email.kind == "account_email_confirmation_signup"
    assert email.subject.startswith("[Peer Mentoring] ")
    assert "/accounts/confirm-email/" in email.body_text
    assert email.recipient == User.objects.get(email="new@school.edu")


def test_sign_up_from_another_domain_is_refused_on_the_form_and_makes_no_account(client, settings):
    settings.SCHOOL_EMAIL_DOMAINS = ["bcm.edu"]

    response = _signup(client, "someone@gmail.com")

    assert response.status_code == 200
    assert "Please sign up with your school email address (@bcm.edu)." in response.content.decode()
    assert 'value="someone@gmail.com"' in response.content.decode()
    assert not User.objects.exists()


def test_sign_up_from_an_allowed_domain_is_accepted_whatever_its_case(client, settings):
    settings.SCHOOL_EMAIL_DOMAINS = ["bcm.edu"]

    _signup(client, "Student@BCM.edu")

    assert User.objects.filter(email__iexact="student@bcm.edu").exists()


def test_duplicate_email_gets_a_clear_message_and_no_second_account(client):
    UserFactory(email="taken@school.edu")

    response = _signup(client, "taken@school.edu")

    assert response.status_code == 200
    assert "A user is already registered with this email address." in response.content.decode()
    assert User.objects.filter(email="taken@school.edu").count() == 1


def test_weak_password_is_refused_on_the_form_keeping_the_email(client):
    response = _signup(client, "weak@school.edu", password1="password")

    body = response.content.decode()
    assert response.status_code == 200
    assert "This password is too common." in body
    assert 'value="weak@school.edu"' in body
    assert not User.objects.exists()


def test_mismatched_passwords_are_refused_on_the_form(client):
    response = _signup(client, "typo@school.edu", password1=STRONG, password2=STRONG + "x")

    assert "You must type the same password each time." in response.content.decode()
    assert not User.objects.exists()


def test_unverified_user_cannot_sign_in_and_is_sent_a_new_verification_mail(client):
    UserFactory(email="unverified@school.edu", verified=False)
    EmailAddress.objects.create(user=User.objects.get(), email="unverified@school.edu", verified=False, primary=True)

    response = client.post(reverse("account_login"), {"login": "unverified@school.edu", "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session
    assert OutboundEmail.objects.filter(to_address="unverified@school.edu").exists()


def test_wrong_password_gets_a_message_on_the_form(client):
    UserFactory(email="someone@school.edu")

    response = client.post(reverse("account_login"), {"login": "someone@school.edu", "password": "nope"})

    assert "The email address and/or password you specified are not correct." in response.content.decode()


def _confirmation_key(email: str) -> str:
    return EmailConfirmationHMAC(EmailAddress.objects.get(email=email)).key


def test_verification_link_verifies_the_email_and_signs_in(client):
    _signup(client, "fresh@school.edu")
    client.logout()
    key = _confirmation_key("fresh@school.edu")

    response = client.post(reverse("account_confirm_email", args=[key]))

    assert response.status_code == 302
    assert EmailAddress.objects.get(email="fresh@school.edu").verified


def test_an_expired_verification_link_is_refused_with_a_message(client):
    _signup(client, "late@school.edu")
    key = _confirmation_key("late@school.edu")

    with time_machine.travel(timezone.now() + timedelta(days=4)):
        response = client.get(reverse("account_confirm_email", args=[key]))

    assert "This email confirmation link expired or is invalid." in response.content.decode()
    assert not EmailAddress.objects.get(email="late@school.edu").verified


def test_a_reused_verification_link_is_refused_with_a_message(client):
    _signup(client, "twice@school.edu")
    key = _confirmation_key("twice@school.edu")
    client.post(reverse("account_confirm_email", args=[key]))
    client.logout()

    response = client.get(reverse("account_confirm_email", args=[key]))

    assert "This email confirmation link expired or is invalid." in response.content.decode()


def test_first_sign_in_goes_to_onboarding(client):
    UserFactory(email="new@school.edu", onboarded_at=None)

    response = client.post(reverse("account_login"), {"login": "new@school.edu", "password": PASSWORD})

    assert response["Location"] == reverse("accounts:onboarding")


def test_password_reset_mail_is_queued_with_a_reset_link(client):
    UserFactory(email="forgot@school.edu")

    client.post(reverse("account_reset_password"), {"email": "forgot@school.edu"})

    email = OutboundEmail.objects.get(to_address="forgot@school.edu")
    assert "/accounts/password/reset/key/" in email.body_text


def test_repeated_failed_sign_ins_are_rate_limited(client):
    UserFactory(email="target@school.edu")

    for _ in range(6):
        response = client.post(reverse("account_login"), {"login": "target@school.edu", "password": "wrong"})

    assert "Too many failed sign-in attempts. Try again in 5 minutes." in response.content.decode()


def test_the_right_password_after_too_many_failures_is_refused_with_the_same_wait(client):
    UserFactory(email="target@school.edu")
    for _ in range(5):
        client.post(reverse("account_login"), {"login": "target@school.edu", "password": "wrong"})

    response = client.post(reverse("account_login"), {"login": "target@school.edu", "password": PASSWORD})

    assert response.status_code == 200
    assert "Too many failed sign-in attempts. Try again in 5 minutes." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_changing_the_email_sends_a_verification_to_the_new_address_and_keeps_the_old_until_then(client):
    user = UserFactory(email="old@school.edu")
    client.force_login(user)

    client.post(reverse("account_email"), {"action_add": "", "email": "new@school.edu"})

    assert OutboundEmail.objects.filter(to_address="new@school.edu", kind__startswith="account_email_confirmation").exists()
    user.refresh_from_db()
    assert user.email == "old@school.edu"
    assert not EmailAddress.objects.get(email="new@school.edu").verified


def test_allauth_mails_greet_with_the_programs_name_not_the_servers_host(client, settings):
    settings.PROGRAM_NAME = "Baylor Peer Tutoring"
    settings.SITE_URL = "https://mentoring.example.edu"

    _signup(client, "named@school.edu")

    body = OutboundEmail.objects.get(to_address="named@school.edu").body_text
    assert "Hello from Baylor Peer Tutoring!" in body
    assert "Thank you for using Baylor Peer Tutoring!" in body
    assert "mentoring.example.edu" in body
    assert "from testserver" not in body
