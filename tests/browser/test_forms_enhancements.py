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


def test_the_outcome_notes_show_a_counter_and_say_when_a_paste_was_cut(page, live_server):
    from datetime import timedelta

    from django.utils import timezone

    from sessions.models import Occurrence
    from tests.factories import published_series

    series = published_series()
    occurrence = series.occurrences.order_by("starts_at").first()
    past = timezone.now() - timedelta(hours=3)
    Occurrence.objects.filter(pk=occurrence.pk).update(starts_at=past, ends_at=past + timedelta(hours=1))
    sign_in_as(page, live_server, series.mentor)
    page.goto(f"/sessions/o/{occurrence.pk}/record/")
    notes = page.get_by_label("Outcome notes — only you and program admins")

    expect(page.get_by_text("0 / 8,000 characters")).to_be_visible()
    notes.fill("Heart sounds")
    expect(page.get_by_text("12 / 8,000 characters")).to_be_visible()
    notes.fill("")
    notes.focus()
    page.evaluate("""() => {
        const area = document.querySelector('textarea[name=private_notes]');
        const data = new DataTransfer(); data.setData('text/plain', 'x'.repeat(9000));
        area.dispatchEvent(new ClipboardEvent('paste', {clipboardData: data, bubbles: true}));
    }""")
    expect(page.get_by_text("Your paste was cut at the limit of 8,000 characters")).to_be_visible()


def test_skip_dates_are_added_with_a_date_picker_and_typed_dates_stay(page, live_server):
    from datetime import timedelta

    from django.utils import timezone

    from tests.factories import MentorFactory

    sign_in_as(page, live_server, MentorFactory())
    page.goto("/sessions/new/")
    skip = page.get_by_label("Dates to skip")
    later = timezone.localdate() + timedelta(weeks=4)
    sooner = timezone.localdate() + timedelta(weeks=2)

    skip.fill(later.isoformat())
    page.get_by_label("Pick a date to skip").fill(sooner.isoformat())
    page.get_by_role("button", name="Add date").click()

    expect(skip).to_have_value(f"{sooner.isoformat()}, {later.isoformat()}")
