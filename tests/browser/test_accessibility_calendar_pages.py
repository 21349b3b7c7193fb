"""axe-core on the academic calendar's and the announcements' pages, at 1280 px and 375 px."""

from datetime import timedelta

import pytest
from django.utils import timezone

from program.models import CalendarImport
from program.services import save_announcement_draft, send_announcement
from tests.factories import (
    BookingFactory,
    ExamFactory,
    HolidayFactory,
    MenteeFactory,
    ProgramAdminFactory,
    SubjectFactory,
    TermFactory,
    published_series,
)
from tests.support.a11y import problems_of_each_users_pages
from tests.test_program.ical_samples import SCHOOL_CALENDAR

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _world() -> dict:
    today = timezone.localdate()
    anatomy = SubjectFactory(name="Anatomy")
    TermFactory(name="This term", first_day=today - timedelta(days=30), last_day=today + timedelta(days=60))
    series = published_series(subject=anatomy, title="Anatomy review")
    mentee = MenteeFactory(first_name="Milo", last_name="Mentee")
    BookingFactory(occurrence=series.occurrences.first(), mentee=mentee)
    on = series.occurrences.order_by("starts_at")[1].series_date
    holiday = HolidayFactory(name="Founders' Day", first_day=on, last_day=on)
    ExamFactory(name="Block 2: Anatomy", first_day=today + timedelta(days=25), subjects=[anatomy])
    admin = ProgramAdminFactory()
    upload = CalendarImport.objects.create(uploaded_by=admin, filename="school.ics", content=SCHOOL_CALENDAR)
    draft = save_announcement_draft(sender=admin, form_key="a1", audience="mentees", title="Draft", body="Hello")
    sent = send_announcement(
        announcement=save_announcement_draft(sender=admin, form_key="a2", audience="mentees", title="Sent", body="Hi"),
        by=admin,
    )
    return {
        "admin": (admin, [
            "/program/calendar/", "/program/calendar/terms/new/", "/program/calendar/exams/new/",
            f"/program/calendar/holidays/{holiday.pk}/sessions/", "/program/calendar/import/",
            f"/program/calendar/import/{upload.pk}/", "/program/announcements/", "/program/announcements/new/",
            f"/program/announcements/{draft.pk}/", f"/program/announcements/{sent.pk}/",
        ]),
        "mentor": (series.mentor, ["/sessions/new/", "/program/announcements/new/"]),
        "mentee": (mentee, ["/dashboard/"]),
    }  # fmt: skip


@pytest.mark.parametrize("width", [1280, 375])
def test_the_calendar_and_announcement_pages_have_no_serious_violations_and_fit_the_screen(page, live_server, width):
    world = _world()
    page.set_viewport_size({"width": width, "height": 900})
    problems = problems_of_each_users_pages(page, live_server, world.values(), width)

    assert problems == [], "\n".join(problems)
