"""forms.js: each role's part of onboarding shows only when that role is ticked; long notes show a
counter and the limit. (Without JS every part shows: tests/test_accounts/test_onboarding.py.)"""

import pytest
from playwright.sync_api import expect

from tests.factories import SubjectFactory, UserFactory
from tests.support.browser import sign_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_onboarding_shows_the_mentor_part_only_when_mentoring_is_ticked(page, live_server):
    SubjectFactory(name="Anatomy")
    sign_in_as(page, live_server, UserFactory(onboarded_at=None))
    page.goto("/onboarding/")
    teach = page.get_by_role("group", name="Subjects you can teach (mentors)")
    wanted = page.get_by_role("group", name="Subjects you want help in")

    expect(teach).to_be_hidden()
    expect(wanted).to_be_visible()
    page.get_by_label("I want to mentor").check()
    page.get_by_label("I want help: mentee").uncheck()

    expect(teach).to_be_visible()
    expect(page.get_by_label("Why do you want to mentor? (mentors)")).to_be_visible()
    expect(wanted).to_be_hidden()


def test_the_home_page_speaks_of_senior_and_junior_students(page, live_server):
    page.goto(live_server.url + "/")

    expect(page.get_by_text("Senior students (MS3 and MS4) run weekly group review sessions for junior")).to_be_visible()
