"""Matching in the browser: a mentee asks a suggested mentor who accepts; an admin runs and commits a round."""

import re

import pytest
from playwright.sync_api import expect

from mentorship.models import MatchingRound, Mentorship
from tests.factories import SubjectFactory
from tests.support.browser import sign_in_as
from tests.test_mentorship.support import mentee_wanting, mentor_teaching, program_admin

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_mentee_asks_a_suggested_mentor_and_the_mentor_accepts(page, live_server):
    anatomy = SubjectFactory(name="Anatomy")
    mentee = mentee_wanting(anatomy, first_name="Mia", last_name="Kim")
    mentor_teaching(anatomy, first_name="Omar", last_name="Reyes")

    sign_in_as(page, live_server, mentee)
    page.goto("/dashboard/")
    page.get_by_role("link", name="Find a mentor").first.click()
    expect(page.get_by_text("Teaches Anatomy; 3 years ahead")).to_be_visible()
    page.get_by_role("link", name="Ask Omar Reyes for mentoring").click()
    page.get_by_label("Message to the mentor").fill("Could you help me with the brachial plexus?")
    page.get_by_role("button", name="Send request").click()
    page.wait_for_url(re.compile(r"/matching/$"))
    expect(page.get_by_text("Your request went to Omar Reyes")).to_be_visible()

    sign_in_as(page, live_server, Mentorship.objects.get().mentor)
    page.goto("/matching/requests/")
    expect(page.get_by_text("Could you help me with the brachial plexus?")).to_be_visible()
    page.get_by_role("button", name="Accept Mia").click()
    expect(page.get_by_text("Mia Kim is now your mentee.")).to_be_visible()
    assert Mentorship.objects.get().status == Mentorship.Status.ACTIVE


def test_an_admin_runs_a_matching_round_and_commits_it(page, live_server):
    anatomy = SubjectFactory(name="Anatomy")
    mentor_teaching(anatomy, first_name="Omar", last_name="Reyes", capacity=2)
    mentee_wanting(anatomy, first_name="Mia", last_name="Kim")
    mentee_wanting(anatomy, first_name="Noah", last_name="Lee")

    sign_in_as(page, live_server, program_admin())
    page.goto("/dashboard/")
    page.get_by_role("button", name="Program").click()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Matching rounds").click()
    page.get_by_label("Subject").select_option(label="Anatomy")
    page.get_by_role("button", name="Run round").click()
    page.wait_for_url(re.compile(r"/matching/rounds/\d+/$"))
    page.get_by_role("button", name=re.compile(r"Commit 2 pairs")).wait_for()
    expect(page.get_by_role("cell", name="Mia Kim", exact=True)).to_be_visible()

    page.get_by_role("button", name="Drop Omar Reyes with Noah Lee").click()
    page.get_by_role("button", name="Commit 1 pair and email both sides").click()

    expect(page.get_by_text("Round committed: 1 pair created")).to_be_visible()
    assert MatchingRound.objects.get().status == MatchingRound.Status.COMMITTED
    assert list(Mentorship.objects.values_list("mentee__first_name", flat=True)) == ["Mia"]
