"""axe-core on every main page, signed in as the role that uses it, on a desktop and a 375 px phone.

One world of data per test, one browser page, many URLs; every problem is collected so a failure
lists them all at once."""

from datetime import timedelta

import pytest
from django.utils import timezone

from mentorship.services import compute_round, request_mentorship, start_round
from sessions.models import Occurrence
from sessions.services import book_seat
from tests.factories import (
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
from tests.support.a11y import serious_violations
from tests.support.browser import sign_in_as

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
    other_mentee = MenteeFactory()
    WantedSubjectFactory(user=other_mentee, subject=subject)
    matching_round = compute_round(round_id=start_round(admin=admin).pk)
    applicant = UserFactory(graduation_year=mentor.graduation_year)
    MentorApplicationFactory(user=applicant)
    newcomer = MenteeFactory(onboarded_at=None)
    return {
        "mentee": (mentee, [
            "/dashboard/", "/sessions/", f"/sessions/o/{upcoming.pk}/", f"/sessions/series/{series.pk}/",
            "/sessions/mine/", "/matching/", "/profile/", "/profile/notifications/", "/profile/privacy/",
        ]),
        "mentor": (mentor, [
            "/dashboard/", "/sessions/my-week/", "/sessions/new/", f"/sessions/o/{held.pk}/record/",
            f"/sessions/o/{upcoming.pk}/edit/", f"/sessions/series/{series.pk}/edit/",
            "/matching/requests/",
        ]),
        "applicant": (applicant, ["/mentor/apply/"]),
        "newcomer": (newcomer, ["/onboarding/"]),
        "admin": (admin, [
            "/dashboard/", "/reports/", "/matching/rounds/", f"/matching/rounds/{matching_round.pk}/",
            "/program/mentor-applications/", "/sessions/reminders/", "/program/people/",
            "/subjects/", "/audit/", "/reports/research-export/",
        ]),
    }


def _problems(page, path: str, width: int) -> list[str]:
    page.goto(path)
    found = []
    if not page.url.split("?")[0].endswith(path):
        return [f"{path} redirected to {page.url}"]
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    if overflow > 0:
        found.append(f"{path} is {overflow}px wider than {width}px")
    found += [f"{path}: {v}" for v in serious_violations(page)]
    return found


@pytest.mark.parametrize("width", [1280, 375])
def test_every_main_page_has_no_serious_accessibility_violations_and_fits_the_screen(page, live_server, width):
    world = _world()
    page.set_viewport_size({"width": width, "height": 900})
    problems = []
    page.context.clear_cookies()
    for path in ["/", "/accounts/signup/", "/accounts/login/", "/accounts/password/reset/"]:
        problems += _problems(page, path, width)
    for user, paths in world.values():
        sign_in_as(page, live_server, user)
        for path in paths:
            problems += _problems(page, path, width)

    assert problems == [], "\n".join(problems)
