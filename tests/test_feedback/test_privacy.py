import pytest

from accounts.services import build_data_export, delete_account
from feedback.models import SurveyAnswer, SurveyResponse
from feedback.services import submit_survey
from tests.factories_feedback import SurveyQuestionFactory, attended_session

pytestmark = pytest.mark.django_db


def _answered():
    likert, text = SurveyQuestionFactory(kind="likert"), SurveyQuestionFactory(kind="text")
    occurrence, (mentee,), after = attended_session()
    submit_survey(
        occurrence=occurrence, mentee=mentee, rating=4, answers={likert.pk: 5, text.pk: "Loved it"},
        share_comments_with_mentor=True, allow_quote=True, now=after,
    )  # fmt: skip
    return mentee


def test_the_data_export_holds_the_mentees_survey_answers():
    mentee = _answered()

    export = build_data_export(user=mentee)

    assert [a["text"] for a in export["feedback"]["survey_answers"][0]["answers"]] == ["", "Loved it"]


def test_deleting_the_account_removes_free_text_and_consents_and_keeps_the_numbers():
    mentee = _answered()

    delete_account(user=mentee)

    assert list(SurveyAnswer.objects.values_list("score", "text")) == [(5, "")]
    response = SurveyResponse.objects.get()
    assert (response.rating.score, response.share_comments_with_mentor, response.allow_quote) == (4, False, False)
