"""A term in a real browser, the whole journey of issue 15: an admin imports the school's calendar
and sets the waitlist to offer freed seats; a mentor publishes a weekly one-seat series for the term
and its holiday and block exam day are skipped; a mentee joins the waitlist of a full session and
accepts the seat offered when the holder cancels; at the session the mentee checks in on a phone
by typing the code on the mentor's check-in screen, and the mentor confirms the pre-filled
attendance.

One function per step. Only other people's actions (the holder's booking and cancelling) are
arranged through services. Time: as in test_checkin_and_survey.py, the session is moved to now
(the live server and Chromium keep the real clock) once the offer is accepted."""

import re
from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.models import User
from checkin.models import CheckIn
from program.models import ProgramRules, Term
from sessions.models import Attendance, Booking, Occurrence, ReviewSeries
from sessions.services import book_seat, cancel_booking
from tests.factories import ADMIN_TOTP_SECRET, MenteeFactory, MentorFactory, ProgramAdminFactory, SubjectFactory
from tests.support.browser import open_page, sign_in, sign_in_as
from tests.test_program.ical_samples import calendar

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def phone(browser, live_server) -> Iterator[Page]:
    """A second browser (the mentee's phone, 375 px) next to `page` (the admin's and mentor's laptop)."""
    with open_page(browser, live_server.url, width=375, height=800) as phone:
        yield phone


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


def shown(day: date) -> str:
    """How the series page's table writes a session's day ("Tue 5 Jan 2027")."""
    return f"{day:%a} {day.day} {day:%b %Y}"


def admin_imports_the_school_calendar(page: Page, content: str) -> None:
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


def admin_sets_the_waitlist_to_offer_freed_seats(page: Page) -> None:
    """The admin (still signed in) picks the offer mode on the Program rules page."""
    page.get_by_role("button", name="Program").click()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Program rules").click()
    page.get_by_label("Offer the seat to the first in line for a hold period").check()
    page.get_by_role("button", name="Save the rules").click()
    expect(page.get_by_role("alert").first).to_contain_text("The program's rules are saved.")
    expect(page.get_by_label("Offer the seat to the first in line for a hold period")).to_be_checked()


def mentor_publishes_a_series_for_the_term(
    page: Page, live_server, mentor: User, *, weekday: int, skipped: tuple[date, ...], seats: int = 8
) -> ReviewSeries:
    """The term fills the dates; the days in `skipped` are among the dates to skip and on no session."""
    sign_in_as(page, live_server, mentor)
    page.goto("/sessions/new/")
    page.select_option("select[name=weekday]", value=str(weekday))
    page.get_by_label("Term", exact=True).select_option(label=str(Term.objects.get()))  # the page's JS fills the dates in
    for day in skipped:
        expect(page.get_by_label("Dates to skip")).to_have_value(re.compile(day.isoformat()))
    page.select_option("select[name=subject]", label="Anatomy")
    page.fill("input[name=title]", "Upper limb review")
    page.fill("input[name=start_time]", "18:00")
    page.fill("input[name=seats]", str(seats))
    page.fill("input[name=location]", "Anatomy lab B")
    page.get_by_role("button", name="Publish", exact=True).click()
    page.wait_for_url(re.compile(r"/sessions/series/\d+/"))
    expect(page.get_by_text("Published 8 sessions")).to_be_visible()
    sessions = page.get_by_role("table", name="Sessions of this series").locator("tbody tr")
    expect(sessions).to_have_count(8)
    for day in skipped:
        expect(sessions.filter(has_text=shown(day - timedelta(weeks=1)))).to_have_count(1)
        expect(sessions.filter(has_text=shown(day))).to_have_count(0)
    return ReviewSeries.objects.get(mentor=mentor)


def mentee_joins_the_waitlist_of_the_full_session(phone: Page, live_server, mentee: User, series: ReviewSeries) -> None:
    sign_in_as(phone, live_server, mentee)
    phone.goto(f"/sessions/series/{series.pk}/")
    phone.get_by_role("table", name="Sessions of this series").get_by_role("link").first.click()
    expect(phone.locator("#seats-left")).to_have_text("0 of 1 left")
    phone.get_by_role("button", name="Join the waitlist").click()
    expect(phone.get_by_text("You are on the waitlist", exact=True)).to_be_visible()


def mentee_accepts_the_offered_seat_on_my_sessions(phone: Page) -> None:
    phone.goto("/sessions/mine/")
    expect(phone.get_by_text("a seat is held for you until")).to_be_visible()
    phone.get_by_role("link", name=re.compile("Accept or decline the seat in Upper limb review")).click()
    phone.get_by_role("button", name="Accept the seat").click()
    expect(phone.get_by_role("alert").first).to_contain_text("Booked. A confirmation is on its way")


def the_session_starts_now(occurrence: Occurrence) -> None:
    """Move the session into its check-in window (as test_checkin_and_survey.py does)."""
    now = timezone.now()
    Occurrence.objects.filter(pk=occurrence.pk).update(
        starts_at=now - timedelta(minutes=5), ends_at=now + timedelta(minutes=85)
    )


def mentor_opens_the_check_in_screen(page: Page, live_server, mentor: User, series: ReviewSeries) -> str:
    """From the series page to the session's "Check-in" screen; returns the code it shows."""
    sign_in_as(page, live_server, mentor)
    page.goto(f"/sessions/series/{series.pk}/")
    page.get_by_role("table", name="Sessions of this series").get_by_role("link").first.click()
    page.get_by_role("link", name="Check-in", exact=True).click()
    expect(page.get_by_role("heading", name="Check-in: Upper limb review")).to_be_visible()
    expect(page.get_by_text("No one yet.")).to_be_visible()
    shown_code = page.locator(".checkin-code").inner_text()
    match = re.search(r"\b\d{6}\b", shown_code)
    assert match, f"no six-digit code on the mentor's screen: {shown_code!r}"
    return match.group()


def mentee_checks_in_by_typing_the_code(phone: Page, code: str) -> None:
    phone.goto("/checkin/")  # the address the mentor's screen names
    phone.get_by_label("Code on the mentor's screen").fill(code)
    phone.get_by_role("button", name="Check in").click()
    expect(phone.get_by_role("alert").first).to_contain_text("You are checked in to Upper limb review on your booking.")
    expect(phone.get_by_text(re.compile(r"You checked in at \d\d:\d\d"))).to_be_visible()


def mentor_confirms_the_pre_filled_attendance(page: Page, mentee: User) -> None:
    page.reload()
    expect(page.get_by_role("heading", name="Checked in (1 of 1 seats)")).to_be_visible()
    expect(page.locator("#checkin-live li").filter(has_text=mentee.display_name)).to_be_visible()
    page.get_by_role("link", name="Confirm attendance").click()
    expect(page.locator("#checked-in")).to_contain_text(f"Checked in from their phones (pre-filled below; confirm or change): {mentee.display_name}")
    marks = page.get_by_role("radiogroup", name=mentee.display_name)
    expect(marks.get_by_label("Attended")).to_be_checked()
    expect(marks.get_by_label("No-show")).not_to_be_checked()
    page.get_by_role("button", name="Save attendance and notes").click()
    expect(page.get_by_role("alert").first).to_contain_text("Attendance and notes saved.")
    expect(page.get_by_role("listitem").filter(has_text=f"{mentee.display_name}: Attended")).to_be_visible()


def test_a_term_from_the_school_calendar_to_a_waitlisted_mentee_checked_in_and_confirmed_as_attended(
    page, phone, live_server
):
    SubjectFactory(name="Anatomy")
    today = timezone.localdate()
    first = today + timedelta(days=7 - today.weekday() + 7)  # the Monday after next
    content, holiday, exam = school_calendar(first)
    mentor = MentorFactory(first_name="Maya", last_name="Okafor")
    holder = MenteeFactory(first_name="Hana", last_name="Holder")
    mentee = MenteeFactory(first_name="Milo", last_name="Mentee")

    admin_imports_the_school_calendar(page, content)
    admin_sets_the_waitlist_to_offer_freed_seats(page)
    series = mentor_publishes_a_series_for_the_term(page, live_server, mentor, weekday=1, skipped=(holiday, exam), seats=1)
    occurrence = series.occurrences.order_by("starts_at").first()
    holding = book_seat(occurrence=occurrence, mentee=holder)
    mentee_joins_the_waitlist_of_the_full_session(phone, live_server, mentee, series)
    cancel_booking(booking=holding, by=holder)  # the seat is offered to our mentee, not booked for them
    mentee_accepts_the_offered_seat_on_my_sessions(phone)
    the_session_starts_now(occurrence)
    code = mentor_opens_the_check_in_screen(page, live_server, mentor, series)
    mentee_checks_in_by_typing_the_code(phone, code)
    mentor_confirms_the_pre_filled_attendance(page, mentee)

    assert Term.objects.get().last_day == first + timedelta(weeks=10, days=-1)
    days = set(series.occurrences.values_list("series_date", flat=True))
    assert holiday not in days and exam not in days and len(days) == 8
    assert ProgramRules.current().waitlist_mode == ProgramRules.WaitlistMode.OFFER
    assert Booking.objects.booked().get(occurrence=occurrence).mentee == mentee
    assert CheckIn.objects.get(occurrence=occurrence).mentee == mentee
    attendance = Attendance.objects.get(occurrence=occurrence)
    assert (attendance.mentee, attendance.status, attendance.walk_in) == (mentee, Attendance.Status.ATTENDED, False)
