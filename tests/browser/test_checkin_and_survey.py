"""Check-in and the survey in a browser: a mentee checks in by the QR link on a 375 px phone and
answers the survey; every new page is axe clean and fits 375 px and 1280 px."""

from datetime import timedelta

import pytest
from django.utils import timezone

from checkin import codes
from checkin.models import CheckIn
from feedback.models import SurveyResponse
from feedback.services import submit_survey
from sessions.models import Attendance, Occurrence
from sessions.services import book_seat
from tests.factories import MenteeFactory, MentorFactory, ProgramAdminFactory, SubjectFactory, published_series
from tests.factories_feedback import SurveyQuestionFactory
from tests.support.a11y import problems_of_each_users_pages
from tests.support.browser import sign_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _world() -> dict:
    mentor = MentorFactory(first_name="Maya", last_name="Mentor")
    mentee = MenteeFactory(first_name="Milo", last_name="Mentee")
    series = published_series(mentor=mentor, subject=SubjectFactory(name="Cardiology"), title="Cardiology review")
    now_session, held = series.occurrences.all()[:2]
    for occurrence in (now_session, held):
        book_seat(occurrence=occurrence, mentee=mentee)
    now = timezone.now()
    Occurrence.objects.filter(pk=now_session.pk).update(starts_at=now - timedelta(minutes=5), ends_at=now + timedelta(minutes=85))
    Occurrence.objects.filter(pk=held.pk).update(starts_at=now - timedelta(days=2), ends_at=now - timedelta(days=2) + timedelta(minutes=90))
    Attendance.objects.create(occurrence=held, mentee=mentee, status=Attendance.Status.ATTENDED)
    for text, kind in (("The pace was right for me", "likert"), ("Would you come again?", "yes_no"), ("What helped most?", "text")):
        SurveyQuestionFactory(text=text, kind=kind)
    others = [MenteeFactory() for _ in range(3)]
    for other in others:
        Attendance.objects.create(occurrence=held, mentee=other, status=Attendance.Status.ATTENDED)
        submit_survey(occurrence=held, mentee=other, rating=4)
    return {"mentor": mentor, "mentee": mentee, "admin": ProgramAdminFactory(), "now": now_session, "held": held, "series": series}


@pytest.mark.parametrize("width", [1280, 375])
def test_the_check_in_and_survey_pages_are_accessible_and_fit_the_screen(page, live_server, width):
    w = _world()
    page.set_viewport_size({"width": width, "height": 900})
    pages = {
        "mentee": [f"/checkin/o/{w['now'].pk}/", "/checkin/", f"/feedback/o/{w['held'].pk}/", "/dashboard/"],
        "mentor": [f"/checkin/o/{w['now'].pk}/present/", "/feedback/mine/", f"/feedback/series/{w['series'].pk}/"],
        "admin": ["/feedback/questions/", f"/feedback/series/{w['series'].pk}/"],
    }
    problems = problems_of_each_users_pages(page, live_server, [(w[role], paths) for role, paths in pages.items()], width)

    assert problems == [], "\n".join(problems)


def test_a_mentee_checks_in_from_the_qr_link_on_a_phone_and_then_answers_the_survey(page, live_server):
    w = _world()
    page.set_viewport_size({"width": 375, "height": 800})
    sign_in_as(page, live_server, w["mentee"])
    code = codes.current_code(w["now"].pk, timezone.now())

    page.goto(f"/checkin/o/{w['now'].pk}/?code={code}")
    page.get_by_role("button", name="Check in").click()

    assert page.get_by_text("You are checked in to Cardiology review").is_visible()
    assert CheckIn.objects.filter(mentee=w["mentee"], occurrence=w["now"]).exists()

    page.goto(f"/feedback/o/{w['held'].pk}/")
    page.get_by_role("group", name="How would you rate this session? (1 to 5)").get_by_label("5").check()
    page.get_by_label("What helped most?").fill("The heart sound drills")
    page.get_by_role("button", name="Send my answers").click()

    assert page.get_by_text("Thank you: your answers are saved.").is_visible()
    assert SurveyResponse.objects.get(mentee=w["mentee"]).rating.score == 5
