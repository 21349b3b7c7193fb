"""Browser: a mentee booked into a session within the hour gets the 1-hour reminder, and the
program admin sees it in the reminder log.

What the browser drives: the admin's sign-in, the navigation to the reminder log and its status
filter. The booking is arranged with factories (the booking pages live on the sessions branch),
the dispatcher is called as Celery beat would call it, and a real Celery worker on Redis delivers
the mail (service tier: needs PostgreSQL, Redis and Chromium).
"""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from notifications.services import dispatch_due_reminders
from tests.factories import (
    ADMIN_TOTP_SECRET,
    BookingFactory,
    MenteeFactory,
    MentorFactory,
    OccurrenceFactory,
    ProgramAdminFactory,
    ReviewSeriesFactory,
)
from tests.support.browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.service]


def test_a_mentee_booked_into_a_session_within_the_hour_gets_the_1_hour_reminder(celery_worker, page):
    admin = ProgramAdminFactory(email="coordinator@school.edu")
    mentee = MenteeFactory(email="first.year@school.edu")
    series = ReviewSeriesFactory(title="Cardiac physiology", mentor=MentorFactory(email_opt_out=True))
    BookingFactory(occurrence=OccurrenceFactory(series=series, starts_at=timezone.now() + timedelta(minutes=40)), mentee=mentee)

    dispatch_due_reminders()  # what beat runs every minute

    (mail,) = celery_worker.wait_for_mails(1)
    assert mail["To"] == "first.year@school.edu"
    assert mail["Subject"].startswith("Reminder: Cardiac physiology in 1 hour")

    sign_in(page, admin.email, totp_secret=ADMIN_TOTP_SECRET)  # program admins have two-factor
    page.wait_for_url(re.compile(r"/dashboard/"))
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Reminder log").click()
    page.get_by_role("link", name=re.compile(r"^Sent")).click()

    row = page.get_by_role("row").filter(has_text="first.year@school.edu")
    assert row.get_by_text("1h before").is_visible()
    assert row.get_by_text("Sent", exact=True).is_visible()

    # The 24-hour reminder fell due at the same time (a late booking): recorded as skipped, with why.
    page.get_by_role("link", name=re.compile(r"^Skipped")).click()
    skipped = page.get_by_role("row").filter(has_text="first.year@school.edu")
    assert skipped.get_by_text("24h before").is_visible()
    assert skipped.get_by_text("Superseded by the 1-hour reminder").is_visible()
