"""The survey's pages: what mentees, mentors and program admins see."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import AccessEvent
from feedback.models import ConfidenceBefore, SurveyQuestion, SurveyResponse
from feedback.services import submit_survey
from sessions.services import book_seat
from tests.factories import MenteeFactory, ProgramAdminFactory, published_series
from tests.factories_feedback import SurveyQuestionFactory, attended_session

pytestmark = pytest.mark.django_db


def test_an_attended_mentee_sends_the_survey_from_its_page(client):
    question = SurveyQuestionFactory(kind="yes_no", text="Was the pace right?")
    occurrence, (mentee,), _ = attended_session()
    client.force_login(mentee)

    page = client.get(reverse("feedback:survey", args=[occurrence.pk])).content.decode()
    response = client.post(
        reverse("feedback:survey", args=[occurrence.pk]),
        {"rating": "4", "confidence_after": "5", f"question_{question.pk}": "yes", "share_comments_with_mentor": "on"},
    )

    assert "Was the pace right?" in page and "How would you rate this session?" in page
    assert response.status_code == 302
    saved = SurveyResponse.objects.get()
    assert (saved.rating.score, saved.confidence_after, saved.answers.get().yes) == (4, 5, True)


def test_a_mentee_who_did_not_attend_sees_why_the_survey_is_closed(client):
    occurrence = published_series().occurrences.first()
    client.force_login(MenteeFactory())

    page = client.get(reverse("feedback:survey", args=[occurrence.pk])).content.decode()

    assert "Only mentees the mentor marked as attended" in page and "Send my answers" not in page


def test_a_refused_survey_keeps_what_was_typed(client):
    question = SurveyQuestionFactory(kind="text", text="What helped?")
    occurrence, (mentee,), _ = attended_session()
    client.force_login(mentee)

    response = client.post(
        reverse("feedback:survey", args=[occurrence.pk]),
        {"rating": "4", f"question_{question.pk}": "The diagrams", "allow_quote": "on"},
    )

    assert response.status_code == 400
    assert "also let the mentor read" in response.content.decode() and "The diagrams" in response.content.decode()
    assert not SurveyResponse.objects.exists()


def test_the_dashboard_asks_to_rate_a_session_until_it_is_answered(client):
    occurrence, (mentee,), after = attended_session()
    client.force_login(mentee)
    survey_url = reverse("feedback:survey", args=[occurrence.pk])

    with time_machine.travel(after):
        assert survey_url in client.get(reverse("dashboard")).content.decode()
        submit_survey(occurrence=occurrence, mentee=mentee, rating=5)
        assert survey_url not in client.get(reverse("dashboard")).content.decode()


@override_settings(FEEDBACK_MIN_ANSWERS=3)
def test_a_mentor_sees_no_figures_below_three_answers(client):
    occurrence, mentees, _ = attended_session(mentees=2)
    for mentee in mentees:
        submit_survey(occurrence=occurrence, mentee=mentee, rating=1)
    client.force_login(occurrence.series.mentor)

    page = client.get(reverse("feedback:series", args=[occurrence.series.pk])).content.decode()

    assert "at least 3 mentees have answered (2 so far)" in page and "Average rating" not in page
    assert not AccessEvent.objects.exists()  # the mentor's own aggregate is not an admin read


def test_a_program_admins_read_of_every_answer_is_audit_logged(client):
    occurrence, (mentee,), _ = attended_session()
    submit_survey(occurrence=occurrence, mentee=mentee, rating=2)
    admin = ProgramAdminFactory()
    client.force_login(admin)

    page = client.get(reverse("feedback:series", args=[occurrence.series.pk])).content.decode()

    assert mentee.display_name in page
    assert list(AccessEvent.objects.values_list("actor", "action", "object_id")) == [
        (admin.pk, "survey_answers.read", str(occurrence.series.pk))
    ]


def test_a_program_admin_adds_reorders_and_removes_questions(client):
    client.force_login(ProgramAdminFactory())

    client.post(reverse("feedback:questions"), {"text": "Was the pace right?", "kind": "yes_no"})
    client.post(reverse("feedback:questions"), {"text": "What should change?", "kind": "text"})
    second = SurveyQuestion.objects.get(text="What should change?")
    client.post(reverse("feedback:move_question", args=[second.pk]), {"direction": "up"})
    page = client.get(reverse("feedback:questions")).content.decode().split("list-group-numbered", 1)[1]

    assert page.index("What should change?") < page.index("Was the pace right?")
    response = client.post(reverse("feedback:remove_question", args=[second.pk]), follow=True)
    assert "is deleted (no one had answered it)" in response.content.decode()


def test_an_empty_question_is_refused_on_the_form(client):
    client.force_login(ProgramAdminFactory())

    response = client.post(reverse("feedback:questions"), {"text": "", "kind": "likert"})

    assert response.status_code == 400 and not SurveyQuestion.objects.exists()


def test_a_booked_mentee_gives_confidence_from_the_sessions_page(client):
    occurrence = published_series().occurrences.first()
    mentee = MenteeFactory()
    book_seat(occurrence=occurrence, mentee=mentee)
    client.force_login(mentee)

    page = client.get(reverse("sessions:occurrence", args=[occurrence.pk])).content.decode()
    client.post(reverse("feedback:confidence", args=[occurrence.pk]), {"score": "2"})

    assert "How confident are you in" in page
    assert ConfidenceBefore.objects.get().score == 2


def test_the_impact_report_shows_the_confidence_gain_with_counts(client):
    occurrence, (mentee,), after = attended_session()
    ConfidenceBefore.objects.create(occurrence=occurrence, mentee=mentee, score=2, given_at=occurrence.starts_at)
    submit_survey(occurrence=occurrence, mentee=mentee, rating=4, confidence_after=5, now=after)
    client.force_login(ProgramAdminFactory())
    day = (occurrence.starts_at - timedelta(days=1)).date()

    page = client.get(reverse("reports:report"), {"start": day, "end": day + timedelta(days=10)}).content.decode()

    assert "Confidence before and after" in page and "<strong>+3.00</strong> (n = 1)" in page


def _series_with_answers(n):
    comment = SurveyQuestionFactory(kind="text")
    occurrence, mentees, after = attended_session(mentees=n)
    for mentee in mentees:
        submit_survey(occurrence=occurrence, mentee=mentee, rating=4, answers={comment.pk: "Good"}, now=after)
    return occurrence.series


def test_the_admins_series_page_makes_as_many_queries_for_six_answers_as_for_two(client):
    client.force_login(ProgramAdminFactory())
    small, large = _series_with_answers(2), _series_with_answers(6)
    counts = []
    for series in (small, large):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("feedback:series", args=[series.pk])).status_code == 200
        counts.append(len(queries))

    assert counts[0] == counts[1]
