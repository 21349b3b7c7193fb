"""The sessions journey in a real browser: publish, book, cancel, waitlist promotion, record."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from sessions.models import Booking, Occurrence, ReviewSeries
from tests.factories import PASSWORD, MenteeFactory, MentorFactory, SubjectFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page, user):
    page.goto("/accounts/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(re.compile(r"/(dashboard|onboarding)/"))


def test_publish_book_cancel_promote_and_record(page, browser, live_server):
    mentor = MentorFactory(first_name="Maya", last_name="Okafor")
    first, second = MenteeFactory(first_name="Ben", last_name="Adams"), MenteeFactory(first_name="Cara", last_name="Diaz")
    SubjectFactory(name="Anatomy")
    start = timezone.localdate() + timedelta(days=2)

    # The mentor publishes a one-seat weekly series.
    _sign_in(page, mentor)
    page.goto("/sessions/new/")
    page.select_option("select[name=subject]", label="Anatomy")
    page.fill("input[name=title]", "Upper limb review")
    page.select_option("select[name=weekday]", value=str(start.weekday()))
    page.fill("input[name=start_time]", "18:00")
    page.fill("input[name=duration_minutes]", "90")
    page.fill("input[name=seats]", "1")
    page.fill("input[name=location]", "Anatomy lab B")
    page.fill("input[name=first_date]", start.isoformat())
    page.fill("input[name=last_date]", (start + timedelta(weeks=3)).isoformat())
    page.get_by_role("button", name="Publish").click()
    page.wait_for_url(re.compile(r"/sessions/series/\d+/"))
    expect(page.get_by_text("Published 4 sessions")).to_be_visible()
    occurrence = ReviewSeries.objects.get().occurrences.order_by("starts_at").first()

    # The first mentee books from the browse page and sees it in My sessions.
    ben = browser.new_context(base_url=live_server.url).new_page()
    _sign_in(ben, first)
    ben.goto("/sessions/")
    card = ben.locator(f"#occ-{occurrence.pk}")
    card.get_by_role("button", name="Book a seat").click()
    card = ben.locator(f"#occ-{occurrence.pk}")
    expect(card.get_by_text("You are booked")).to_be_visible()
    ben.goto("/sessions/mine/")
    expect(ben.get_by_role("link", name="Upper limb review").first).to_be_visible()

    # The second mentee finds it full and joins the waitlist.
    cara = browser.new_context(base_url=live_server.url).new_page()
    _sign_in(cara, second)
    cara.goto(f"/sessions/o/{occurrence.pk}/")
    cara.get_by_role("button", name="Join the waitlist").click()
    expect(cara.get_by_text("You are on the waitlist").first).to_be_visible()

    # The first mentee cancels; the second is booked from the waitlist.
    ben.get_by_role("link", name=re.compile("Cancel my seat in Upper limb review")).first.click()
    ben.get_by_role("button", name="Yes, cancel my seat").click()  # the confirm step
    expect(ben.get_by_text("Your seat is cancelled")).to_be_visible()
    cara.goto("/sessions/mine/")
    upcoming = cara.locator("section", has=cara.get_by_role("heading", name="Upcoming"))
    expect(upcoming.get_by_role("link", name="Upper limb review", exact=True)).to_be_visible()
    assert Booking.objects.booked().get(occurrence=occurrence).mentee == second

    # After the session the mentor records attendance and notes from My week.
    past = timezone.now() - timedelta(hours=3)
    Occurrence.objects.filter(pk=occurrence.pk).update(starts_at=past, ends_at=past + timedelta(minutes=90))
    page.goto("/sessions/my-week/")
    page.get_by_role("link", name="Record attendance and notes").first.click()
    page.get_by_role("radiogroup", name="Cara Diaz").get_by_label("Attended").check()
    page.fill("textarea[name=topics]", "Brachial plexus")
    page.fill("textarea[name=private_notes]", "Cara is ready for the block exam.")
    page.fill("textarea[name=note_to_attendees]", "Revise the rotator cuff.")
    page.get_by_role("button", name="Save attendance and notes").click()
    page.wait_for_url(re.compile(rf"/sessions/o/{occurrence.pk}/$"))
    expect(page.get_by_text("Cara is ready for the block exam.")).to_be_visible()
    expect(page.get_by_text("Cara Diaz: Attended")).to_be_visible()

    # The mentee who came sees the shared note, not the private one.
    cara.goto(f"/sessions/o/{occurrence.pk}/")
    expect(cara.get_by_text("Revise the rotator cuff.")).to_be_visible()
    expect(cara.get_by_text("Cara is ready")).to_have_count(0)
