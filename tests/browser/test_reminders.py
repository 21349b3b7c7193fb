"""Browser: a mentee booked into a session within the hour gets the 1-hour reminder, and the
program admin sees it in the reminder log.

What the browser drives: the mentee booking the seat on the session's page, then the admin's
sign-in (with two-factor), the navigation to the reminder log and its status filter. The
dispatcher is called as Celery beat would call it, and a real Celery worker on Redis delivers
the mail (service tier: needs PostgreSQL, Redis and Chromium).
"""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from sessions.models import Booking
from sessions.reminders import dispatch_due_reminders
from tests.factories import (
    ADMIN_TOTP_SECRET,
    MenteeFactory,
    MentorFactory,
    OccurrenceFactory,
    ProgramAdminFactory,
    ReviewSeriesFactory,
)
from tests.support.browser import sign_in, sign_in_as

pytestmark = [pytest.mark.browser, pytest.mark.service]


def test_a_mentee_booked_into_a_session_within_the_hour_gets_the_1_hour_reminder(celery_worker, page, live_server):
    admin = ProgramAdminFactory(email="coordinator@school.edu")
    mentee = MenteeFactory(email="first.year@school.edu")
    series = ReviewSeriesFactory(title="Cardiac physiology", mentor=MentorFactory(email_opt_out=True))
    occurrence = OccurrenceFactory(series=series, starts_at=timezone.now() + timedelta(minutes=40))

    sign_in_as(page, live_server, mentee)
    page.goto(f"/sessions/o/{occurrence.pk}/")
    page.get_by_role("button", name="Book a seat").click()
    page.wait_for_load_state()
    assert Booking.objects.booked().filter(occurrence=occurrence, mentee=mentee).exists()
    celery_worker.wait_for_mails(1)  # the booking confirmation
    page.context.clear_cookies()

    dispatch_due_reminders()  # what beat runs every minute

    mails = celery_worker.wait_for_mails(2)
    (reminder,) = [m for m in mails if m["Subject"].startswith("Reminder:")]
    assert reminder["To"] == "first.year@school.edu"
    assert reminder["Subject"].startswith("Reminder: Cardiac physiology in 1 hour")

    sign_in(page, admin.email, totp_secret=ADMIN_TOTP_SECRET)
    page.wait_for_url(re.compile(r"/dashboard/"))
    main_menu = page.get_by_role("navigation", name="Main")
    main_menu.get_by_role("button", name="Program").click()
    main_menu.get_by_role("link", name="Reminder log").click()
    page.get_by_role("link", name=re.compile(r"^Sent")).click()

    row = page.get_by_role("row").filter(has_text="first.year@school.edu")
    expect(row.get_by_text("1h before")).to_be_visible()
    expect(row.get_by_text("Sent", exact=True)).to_be_visible()

    # The 24-hour reminder fell due at the same time (a late booking): recorded as skipped, with why.
    page.get_by_role("link", name=re.compile(r"^Skipped")).click()
    skipped = page.get_by_role("row").filter(has_text="first.year@school.edu")
    expect(skipped.get_by_text("24h before")).to_be_visible()
    expect(skipped.get_by_text("Superseded by the 1-hour reminder")).to_be_visible()
