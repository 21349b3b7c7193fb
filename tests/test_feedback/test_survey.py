"""The survey's rules: attended only, once, editable for a while, retired questions, consents."""

from datetime import timedelta

import pytest
from django.test import override_settings

from feedback.errors import InvalidAnswer, SurveyClosed
from feedback.models import SurveyAnswer, SurveyQuestion, SurveyResponse
from feedback.services import add_question, move_question, remove_question, submit_survey
from sessions.models import Attendance, Rating
from tests.factories import MenteeFactory
from tests.factories_feedback import SurveyQuestionFactory, attended_session

pytestmark = pytest.mark.django_db


def test_an_attended_mentee_answers_the_rating_and_the_questions():
    likert, yes_no, text = (
        SurveyQuestionFactory(kind="likert"), SurveyQuestionFactory(kind="yes_no"), SurveyQuestionFactory(kind="text")
    )  # fmt: skip
    occurrence, (mentee,), after = attended_session()

    response = submit_survey(
        occurrence=occurrence, mentee=mentee, rating=4, confidence_after=5,
        answers={likert.pk: 3, yes_no.pk: True, text.pk: "More cases please"}, now=after,
    )  # fmt: skip

    assert Rating.objects.get(occurrence=occurrence, mentee=mentee).score == 4
    assert response.rating.score == 4 and response.confidence_after == 5
    stored = {a.question_id: (a.score, a.yes, a.text) for a in response.answers.all()}
    assert stored == {likert.pk: (3, None, ""), yes_no.pk: (None, True, ""), text.pk: (None, None, "More cases please")}


def test_a_mentee_who_did_not_attend_is_refused_and_nothing_is_saved():
    occurrence, (mentee,), after = attended_session()
    Attendance.objects.filter(mentee=mentee).update(status=Attendance.Status.NO_SHOW)

    with pytest.raises(SurveyClosed, match="marked as attended"):
        submit_survey(occurrence=occurrence, mentee=mentee, rating=5, now=after)

    assert not Rating.objects.exists() and not SurveyResponse.objects.exists()


def test_a_mentee_who_never_booked_is_refused():
    occurrence, _, after = attended_session()

    with pytest.raises(SurveyClosed):
        submit_survey(occurrence=occurrence, mentee=MenteeFactory(), rating=5, now=after)


def test_answering_again_changes_the_one_response_instead_of_adding_one():
    question = SurveyQuestionFactory(kind="likert")
    occurrence, (mentee,), after = attended_session()
    submit_survey(occurrence=occurrence, mentee=mentee, rating=2, answers={question.pk: 2}, now=after)

    submit_survey(occurrence=occurrence, mentee=mentee, rating=5, answers={question.pk: 4}, now=after + timedelta(days=1))

    assert SurveyResponse.objects.count() == 1 and Rating.objects.count() == 1
    assert Rating.objects.get().score == 5 and SurveyAnswer.objects.get().score == 4


@override_settings(FEEDBACK_EDITABLE_DAYS=7)
def test_answers_can_be_changed_for_seven_days_and_then_are_kept_as_sent():
    occurrence, (mentee,), after = attended_session()
    submit_survey(occurrence=occurrence, mentee=mentee, rating=3, now=after)

    submit_survey(occurrence=occurrence, mentee=mentee, rating=4, now=after + timedelta(days=7))
    with pytest.raises(SurveyClosed, match="could be changed for 7 days"):
        submit_survey(occurrence=occurrence, mentee=mentee, rating=1, now=after + timedelta(days=7, seconds=1))

    assert Rating.objects.get().score == 4


@override_settings(FEEDBACK_OPEN_DAYS=14)
def test_a_survey_never_answered_closes_fourteen_days_after_the_session():
    occurrence, (mentee,), _ = attended_session()

    with pytest.raises(SurveyClosed, match="open for 14 days"):
        submit_survey(occurrence=occurrence, mentee=mentee, rating=4, now=occurrence.ends_at + timedelta(days=14, seconds=1))


def test_a_rating_given_on_the_old_page_becomes_the_surveys_first_answer():
    occurrence, (mentee,), after = attended_session()
    old = Rating.objects.create(occurrence=occurrence, mentee=mentee, score=2, feedback="ok", created_at=after)

    response = submit_survey(occurrence=occurrence, mentee=mentee, rating=3, now=after + timedelta(hours=1))

    assert response.rating_id == old.pk and Rating.objects.get().score == 3


def test_with_no_questions_configured_the_survey_is_the_rating_and_confidence():
    occurrence, (mentee,), after = attended_session()

    response = submit_survey(occurrence=occurrence, mentee=mentee, rating=5, confidence_after=4, answers={}, now=after)

    assert response.answers.count() == 0 and response.rating.score == 5


def test_an_answer_to_a_question_not_in_the_survey_is_refused():
    retired = SurveyQuestionFactory(retired_at="2026-01-01T00:00Z")
    occurrence, (mentee,), after = attended_session()

    with pytest.raises(InvalidAnswer, match="survey changed"):
        submit_survey(occurrence=occurrence, mentee=mentee, rating=5, answers={retired.pk: 3}, now=after)

    assert not Rating.objects.exists()


def test_removing_a_question_with_answers_retires_it_and_keeps_the_answers():
    question = SurveyQuestionFactory(kind="likert")
    occurrence, (mentee,), after = attended_session()
    submit_survey(occurrence=occurrence, mentee=mentee, rating=5, answers={question.pk: 4}, now=after)

    retired = remove_question(question=question)

    question.refresh_from_db()
    assert retired and question.is_retired
    assert SurveyAnswer.objects.get().question == question
    assert list(SurveyQuestion.objects.active()) == []


def test_editing_after_a_question_was_retired_keeps_its_answer():
    kept, other = SurveyQuestionFactory(kind="likert"), SurveyQuestionFactory(kind="likert")
    occurrence, (mentee,), after = attended_session()
    submit_survey(occurrence=occurrence, mentee=mentee, rating=5, answers={kept.pk: 4, other.pk: 2}, now=after)
    remove_question(question=kept)

    submit_survey(occurrence=occurrence, mentee=mentee, rating=4, answers={other.pk: 5}, now=after + timedelta(hours=1))

    assert {a.question_id: a.score for a in SurveyAnswer.objects.all()} == {kept.pk: 4, other.pk: 5}


def test_removing_a_question_no_one_answered_deletes_it():
    question = SurveyQuestionFactory()

    assert remove_question(question=question) is False
    assert not SurveyQuestion.objects.exists()


def test_questions_are_added_at_the_end_and_move_up_and_down():
    first = add_question(text="Was the pace right?", kind="yes_no")
    second = add_question(text="What should change?", kind="text")

    move_question(question=second, up=True)

    assert list(SurveyQuestion.objects.active()) == [second, first]


def test_a_question_needs_text():
    with pytest.raises(InvalidAnswer, match="Write the question"):
        add_question(text="   ", kind="likert")


def test_quoting_needs_the_mentor_to_be_allowed_to_read_the_comments():
    occurrence, (mentee,), after = attended_session()

    with pytest.raises(InvalidAnswer, match="also let the mentor read"):
        submit_survey(occurrence=occurrence, mentee=mentee, rating=5, allow_quote=True, now=after)

    assert not SurveyResponse.objects.exists()


@pytest.mark.parametrize("score", [0, 6, True, "5"])
def test_a_rating_outside_one_to_five_is_refused(score):
    occurrence, (mentee,), after = attended_session()

    with pytest.raises(InvalidAnswer, match="1 to 5"):
        submit_survey(occurrence=occurrence, mentee=mentee, rating=score, now=after)


def test_a_cancelled_session_has_no_survey():
    occurrence, (mentee,), after = attended_session()
    occurrence.status, occurrence.cancelled_at = "cancelled", after
    occurrence.save()

    with pytest.raises(SurveyClosed, match="cancelled"):
        submit_survey(occurrence=occurrence, mentee=mentee, rating=5, now=after)
