"""Every main page, as each role that uses it (anonymous, new mentee, mentee, mentor, program
admin): no serious or critical axe-core violation at 1280 and 375 px, no horizontal overflow at
1280, 1024 and 375 px, and from 1024 px up a menu bar of one line (1024 is there for the bar, the
narrowest width that shows it expanded; axe's findings there are those of 1280).

One world of data per width, one browser page, many URLs; every problem is collected so a failure
lists them all at once."""

from datetime import time, timedelta

import pytest
from django.utils import timezone

from mentorship.services import compute_round, request_mentorship, start_round
from reports.models import ExamResult
from sessions.models import Booking, Occurrence
from sessions.services import book_seat, cancel_booking, join_waitlist
from teaching.services import save_requirement
from tests.factories import (
    ExamFactory,
    MenteeFactory,
    MentorApplicationFactory,
    MentorFactory,
    OfferedSubjectFactory,
    ProgramAdminFactory,
    SubjectFactory,
    UserFactory,
    WantedSubjectFactory,
    published_series,
)
from tests.factories_program import set_rules
from tests.support.a11y import page_problems, problems_of_each_users_pages, serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _world() -> dict:
    subject = SubjectFactory(name="Cardiology")
    mentor = MentorFactory(first_name="Maya", last_name="Mentor")
    OfferedSubjectFactory(user=mentor, subject=subject)
    mentee = MenteeFactory(first_name="Milo", last_name="Mentee")
    WantedSubjectFactory(user=mentee, subject=subject)
    admin = ProgramAdminFactory()
    series = published_series(mentor=mentor, subject=subject, title="Cardiology review")
    upcoming, held = series.occurrences.all()[:2]
    book_seat(occurrence=upcoming, mentee=mentee)
    book_seat(occurrence=held, mentee=mentee)
    past = timezone.now() - timedelta(hours=3)
    Occurrence.objects.filter(pk=held.pk).update(starts_at=past, ends_at=past + timedelta(hours=1))
    request_mentorship(mentee=mentee, mentor=mentor, message="Help with heart sounds, please.")
    free_mentor = MentorFactory(first_name="Nia", last_name="Free", bio="Happy to help with murmurs.",
                                availability=["tue-evening"])
    OfferedSubjectFactory(user=free_mentor, subject=subject)
    seeker = MenteeFactory(availability=["tue-evening"])
    WantedSubjectFactory(user=seeker, subject=subject)
    other_mentee = MenteeFactory()
    WantedSubjectFactory(user=other_mentee, subject=subject)
    matching_round = compute_round(round_id=start_round(admin=admin).pk)
    applicant = UserFactory(graduation_year=mentor.graduation_year)
    MentorApplicationFactory(user=applicant)
    newcomer = MenteeFactory(onboarded_at=None)
    set_rules(waitlist_mode="offer", no_show_limit=2)
    full = published_series(mentor=mentor, subject=subject, title="Cardiology drill", seats=1, start_time=time(7, 0))
    freed = full.occurrences.order_by("starts_at").first()
    cancel_later = book_seat(occurrence=freed, mentee=other_mentee)
    offer = join_waitlist(occurrence=freed, mentee=mentee)
    cancel_booking(booking=cancel_later, by=other_mentee)
    booking = Booking.objects.get(mentee=mentee, occurrence=upcoming)
    save_requirement(name="FERPA training", valid_for_months=12)  # after publishing: the mentor has not done it
    exam = ExamFactory(name="Block 2", first_day=timezone.localdate() - timedelta(days=1), subjects=[subject])
    for student, score in ((mentee, 62), (other_mentee, 81)):
        ExamResult.objects.create(student=student, exam=exam, score=score, imported_at=timezone.now())
    return {
        "mentee": (mentee, [
            "/dashboard/", "/sessions/", f"/sessions/o/{upcoming.pk}/", f"/sessions/o/{held.pk}/",
            f"/sessions/series/{series.pk}/", "/sessions/mine/", f"/sessions/bookings/{booking.pk}/cancel/confirm/",
            "/matching/", "/profile/", "/profile/notifications/", "/profile/privacy/",
            f"/sessions/waitlist/{offer.pk}/offer/",
        ]),
        "seeker": (seeker, ["/matching/", f"/matching/request/{free_mentor.pk}/"]),
        "mentor": (mentor, [
            "/dashboard/", "/sessions/my-week/", "/sessions/new/", f"/sessions/o/{held.pk}/",
            f"/sessions/o/{held.pk}/record/", f"/sessions/o/{upcoming.pk}/edit/", f"/sessions/o/{upcoming.pk}/cancel/",
            f"/sessions/series/{series.pk}/edit/", f"/sessions/series/{series.pk}/cancel/", "/matching/requests/", "/teaching/record/",
        ]),
        "applicant": (applicant, ["/mentor/apply/"]),
        "newcomer": (newcomer, ["/onboarding/"]),
        "admin": (admin, [
            "/dashboard/", "/reports/", "/matching/rounds/", f"/matching/rounds/{matching_round.pk}/",
            "/program/mentor-applications/", "/sessions/reminders/", "/program/people/",
            "/program/invitations/", "/program/roster/", "/reports/exams/import/", "/subjects/", "/audit/",
            "/program/rules/", "/sessions/attendance-rules/", f"/sessions/attendance-rules/{mentee.pk}/clear/",
            "/teaching/records/", f"/teaching/records/{mentor.pk}/", "/teaching/readiness/",
            "/reports/exams/outreach/",
            "/reports/research-export/",
        ]),
        "nameless admin": (ProgramAdminFactory(first_name="", last_name="", email="office@school.edu"), ["/dashboard/"]),
    }


@pytest.mark.parametrize("width", [1280, 1024, 375])
def test_every_main_page_has_no_serious_accessibility_violations_and_fits_the_screen(page, live_server, width):
    world = _world()
    page.set_viewport_size({"width": width, "height": 900})
    problems = []
    page.context.clear_cookies()
    for path in ["/", "/accounts/signup/", "/accounts/login/", "/accounts/password/reset/", "/no-such-page/"]:
        problems += page_problems(page, path, width) if path != "/no-such-page/" else _error_page_problems(page, path)
    problems += problems_of_each_users_pages(page, live_server, world.values(), width)

    assert problems == [], "\n".join(problems)


def _error_page_problems(page, path: str) -> list[str]:
    response = page.goto(path)
    found = [] if response.status == 404 else [f"{path} answered {response.status}, not 404"]
    return found + [f"{path}: {v}" for v in serious_violations(page)]
