"""A term in a real browser: an admin imports the school's calendar, a mentor publishes a weekly
series for the term and its holiday and block exam day are skipped.

One function per step, so later steps of the journey (waitlist offers, check-in) can be added."""

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from program.models import Term
from sessions.models import ReviewSeries
from tests.factories import ADMIN_TOTP_SECRET, MentorFactory, ProgramAdminFactory, SubjectFactory
from tests.support.browser import sign_in, sign_in_as
from tests.test_program.ical_samples import calendar

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def school_calendar(first: date) -> tuple[str, date, date]:
    """A term of ten weeks from `first` (a Monday), a holiday on its fourth Tuesday and a block
    exam on its sixth Tuesday; returns the file and those two days."""
    holiday, exam = first + timedelta(weeks=3, days=1), first + timedelta(weeks=5, days=1)
    content = calendar(
        f"UID:term@school.edu\nSUMMARY:Next Term\nCATEGORIES:Term\nDTSTART;VALUE=DATE:{first:%Y%m%d}\n"
        f"DTEND;VALUE=DATE:{first + timedelta(weeks=10):%Y%m%d}",
        f"UID:holiday@school.edu\nSUMMARY:Founders' Day holiday\nDTSTART;VALUE=DATE:{holiday:%Y%m%d}",
        f"UID:block@school.edu\nSUMMARY:Block 2: Anatomy\nDTSTART;TZID=America/Chicago:{exam:%Y%m%d}T080000\n"
        f"DTEND;TZID=America/Chicago:{exam:%Y%m%d}T120000",
    )
    return content, holiday, exam


def admin_imports_the_school_calendar(page, content: str) -> None:
    admin = ProgramAdminFactory(email="office@school.edu")
    sign_in(page, admin.email, totp_secret=ADMIN_TOTP_SECRET)
    page.get_by_role("button", name="Program").click()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Academic calendar").click()
    page.get_by_role("link", name="Import the school's calendar (.ics)").click()
    page.get_by_label("iCalendar file (.ics)").set_input_files(
        files=[{"name": "school.ics", "mimeType": "text/calendar", "buffer": content.encode()}]
    )
    page.get_by_role("button", name="Preview the import").click()
    expect(page.get_by_role("row", name=re.compile("Block 2: Anatomy Exam block"))).to_be_visible()
    page.get_by_role("button", name="Import the calendar").click()
    expect(page.get_by_text("Imported the calendar: 3 created, 0 updated.")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("Founders' Day holiday"))).to_be_visible()


def mentor_publishes_a_series_for_the_term(page, live_server, *, weekday: int) -> ReviewSeries:
    mentor = MentorFactory(first_name="Maya", last_name="Okafor")
    sign_in_as(page, live_server, mentor)
    page.goto("/sessions/new/")
    page.select_option("select[name=weekday]", value=str(weekday))
    page.get_by_label("Term", exact=True).select_option(label=str(Term.objects.get()))  # the page's JS fills the dates in
    expect(page.get_by_label("Dates to skip")).not_to_have_value("")
    page.select_option("select[name=subject]", label="Anatomy")
    page.fill("input[name=title]", "Upper limb review")
    page.fill("input[name=start_time]", "18:00")
    page.fill("input[name=location]", "Anatomy lab B")
    page.get_by_role("button", name="Publish", exact=True).click()
    page.wait_for_url(re.compile(r"/sessions/series/\d+/"))
    expect(page.get_by_text("Published 8 sessions")).to_be_visible()
    return ReviewSeries.objects.get(mentor=mentor)


def test_an_admin_imports_the_calendar_and_a_mentor_publishes_for_the_term_skipping_its_holidays(page, live_server):
    SubjectFactory(name="Anatomy")
    today = timezone.localdate()
    first = today + timedelta(days=7 - today.weekday() + 7)  # the Monday after next
    content, holiday, exam = school_calendar(first)

    admin_imports_the_school_calendar(page, content)
    series = mentor_publishes_a_series_for_the_term(page, live_server, weekday=1)

    assert Term.objects.get().last_day == first + timedelta(weeks=10, days=-1)
    days = set(series.occurrences.values_list("series_date", flat=True))
    assert holiday not in days and exam not in days
    assert len(days) == 8
