"""Browser journeys of accounts: a newcomer signs up and onboards as a mentee; a senior student
applies to mentor and a program admin (signing in with two-factor) approves."""

import re
from urllib.parse import urlparse

import pytest
from django.core import mail
from playwright.sync_api import expect

from accounts.class_year import graduation_year_for
from accounts.models import MentorApplication, OfferedSubject, User
from tests.factories import ADMIN_TOTP_SECRET, ProgramAdminFactory, SubjectFactory, UserFactory
from tests.support.browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_new_student_signs_up_verifies_the_email_and_onboards_as_a_mentee(page):
    SubjectFactory(name="Anatomy")
    SubjectFactory(name="Biochemistry")

    page.goto("/accounts/signup/")
    page.get_by_label("Email").fill("ada@school.edu")
    page.fill("input[name=password1]", "a-long-and-unusual-passphrase")
    page.fill("input[name=password2]", "a-long-and-unusual-passphrase")
    page.get_by_role("button", name="Sign Up").click()
    page.wait_for_url(re.compile(r"/accounts/confirm-email/$"))

    link = re.search(r"https?://\S+/accounts/confirm-email/\S+", mail.outbox[-1].body).group(0)
    page.goto(urlparse(link).path)
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url(re.compile(r"/onboarding/"))

    page.get_by_label("I want help: mentee").check()
    page.get_by_label("First name").fill("Ada")
    page.get_by_label("Last name").fill("Okafor")
    page.get_by_label("Expected graduation year").fill(str(graduation_year_for(1)))
    page.get_by_label("1st choice").select_option(label="Biochemistry")
    page.get_by_label("2nd choice").select_option(label="Anatomy")
    page.get_by_label("Tuesday evening").check()
    page.get_by_role("button", name="Save and continue").click()

    page.wait_for_url(re.compile(r"/dashboard/"))
    expect(page.get_by_text("Wants help in: Biochemistry, Anatomy")).to_be_visible()
    ada = User.objects.get(email="ada@school.edu")
    assert ada.is_mentee and ada.class_year == 1 and ada.availability == ["tue-evening"]


def test_a_senior_applies_to_mentor_and_an_admin_with_two_factor_approves(page):
    SubjectFactory(name="Anatomy")
    UserFactory(email="senior@school.edu", first_name="Sam", last_name="Senior",
                graduation_year=graduation_year_for(4))
    ProgramAdminFactory(email="office@school.edu")

    sign_in(page, "senior@school.edu")
    page.wait_for_url(re.compile(r"/dashboard/"))
    page.get_by_role("link", name="Apply").click()
    page.get_by_label("Anatomy").check()
    page.get_by_label("Why do you want to mentor?").fill("I was an anatomy TA for two years.")
    page.get_by_role("button", name="Send application").click()
    page.wait_for_url(re.compile(r"/dashboard/"))
    expect(page.get_by_text("Your mentor application is waiting for the program office.")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, "office@school.edu", totp_secret=ADMIN_TOTP_SECRET)  # the form, then the code step
    page.wait_for_url(re.compile(r"/dashboard/"))
    page.get_by_role("link", name="Review applications").click()
    page.get_by_role("link", name="Review Sam Senior").click()
    page.get_by_label("Approve").check()
    page.get_by_label("Message to the applicant").fill("Welcome to the mentor team!")
    page.get_by_role("button", name="Send decision").click()

    page.wait_for_url(re.compile(r"/program/mentor-applications/$"))
    expect(page.get_by_text("application approved")).to_be_visible()
    senior = User.objects.get(email="senior@school.edu")
    assert senior.is_mentor
    assert OfferedSubject.objects.filter(user=senior, subject__name="Anatomy").exists()
    assert MentorApplication.objects.get(user=senior).status == MentorApplication.Status.APPROVED
    decision = mail.outbox[-1]
    assert decision.to == ["senior@school.edu"]
    assert "Welcome to the mentor team!" in decision.body
