"""The smoke journey: a visitor signs up, verifies the email from the sent mail, lands on onboarding."""

import re
from urllib.parse import urlparse

import pytest
from django.core import mail
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_new_student_signs_up_verifies_the_email_and_lands_on_onboarding(page):
    page.goto("/")
    page.get_by_role("link", name="Sign up with your school email").click()

    page.fill("input[name=email]", "new.student@school.edu")
    page.fill("input[name=password1]", "a-long-and-unusual-passphrase")
    page.fill("input[name=password2]", "a-long-and-unusual-passphrase")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(re.compile(r"/accounts/confirm-email/"))

    link = re.search(r"https?://\S+/accounts/confirm-email/\S+", mail.outbox[-1].body).group(0)
    page.goto(urlparse(link).path)
    page.locator("form button[type=submit]").last.click()

    page.wait_for_url(re.compile(r"/onboarding/"))
    expect(page.get_by_role("heading", name="Welcome to")).to_be_visible()
    expect(page.get_by_text("new.student@school.edu").first).to_be_visible()
