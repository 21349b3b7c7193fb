"""What a mentor sees of a series' feedback: totals only, from enough answers, shared comments only."""

from datetime import timedelta

import pytest
from django.test import override_settings

from feedback.selectors import quotable_comments, series_feedback
from feedback.services import give_confidence_before, submit_survey
from sessions.models import Rating
from tests.factories_feedback import SurveyQuestionFactory, attended_session

pytestmark = pytest.mark.django_db


def _answered(n, **consents):
    comment = SurveyQuestionFactory(kind="text", text="What helped most?")
    occurrence, mentees, after = attended_session(mentees=n)
    for i, mentee in enumerate(mentees):
        submit_survey(
            occurrence=occurrence, mentee=mentee, rating=i % 5 + 1, answers={comment.pk: f"Comment {i}"}, now=after,
            **consents,
        )  # fmt: skip
    return occurrence.series


@override_settings(FEEDBACK_MIN_ANSWERS=3)
def test_below_three_answers_the_mentor_sees_only_how_many_answered():
    summary = series_feedback(series=_answered(2, share_comments_with_mentor=True))

    assert not summary.shown and summary.responses == 2
    assert summary.average_rating is None and summary.questions == []


@override_settings(FEEDBACK_MIN_ANSWERS=3)
def test_from_three_answers_the_mentor_sees_the_average_rating():
    summary = series_feedback(series=_answered(3))

    assert summary.shown and summary.average_rating == pytest.approx(2.0)  # (1 + 2 + 3) / 3


@override_settings(FEEDBACK_MIN_ANSWERS=3)
def test_program_admins_see_the_figures_below_the_threshold_too():
    summary = series_feedback(series=_answered(2), include_private=True)

    assert summary.average_rating == pytest.approx(1.5)


@override_settings(FEEDBACK_MIN_ANSWERS=1)
def test_comments_reach_the_mentor_only_when_the_mentee_shared_them():
    comment = SurveyQuestionFactory(kind="text")
    occurrence, (shares, keeps), after = attended_session(mentees=2)
    submit_survey(occurrence=occurrence, mentee=shares, rating=5, answers={comment.pk: "Shared"}, share_comments_with_mentor=True, now=after)
    submit_survey(occurrence=occurrence, mentee=keeps, rating=5, answers={comment.pk: "Private"}, now=after)

    mentor_view = series_feedback(series=occurrence.series)
    admin_view = series_feedback(series=occurrence.series, include_private=True)

    assert mentor_view.questions[0].comments == ["Shared"] and mentor_view.questions[0].n == 2
    assert admin_view.questions[0].comments == ["Private", "Shared"]


def test_only_comments_allowed_to_be_quoted_reach_the_teaching_record():
    comment = SurveyQuestionFactory(kind="text")
    occurrence, (quotes, shares), after = attended_session(mentees=2)
    submit_survey(
        occurrence=occurrence, mentee=quotes, rating=5, answers={comment.pk: "Quote me"},
        share_comments_with_mentor=True, allow_quote=True, now=after,
    )  # fmt: skip
    submit_survey(
        occurrence=occurrence, mentee=shares, rating=5, answers={comment.pk: "Just for you"},
        share_comments_with_mentor=True, now=after,
    )  # fmt: skip

    assert quotable_comments(mentor=occurrence.series.mentor) == ["Quote me"]


@override_settings(FEEDBACK_MIN_ANSWERS=1)
def test_the_series_gain_counts_only_mentees_who_answered_before_and_after():
    occurrence, (a, b, c), after = attended_session(mentees=3)
    before = occurrence.starts_at
    for mentee, score in ((a, 2), (b, 4)):
        give_confidence_before(occurrence=occurrence, mentee=mentee, score=score, now=before - timedelta(hours=1))
    for mentee, score in ((a, 5), (b, 3), (c, 5)):
        submit_survey(occurrence=occurrence, mentee=mentee, rating=4, confidence_after=score, now=after)

    assert series_feedback(series=occurrence.series).gain == (pytest.approx(1.0), 2)  # (+3 - 1) / 2


@override_settings(FEEDBACK_MIN_ANSWERS=3)
def test_ratings_from_the_old_one_question_page_count_towards_the_threshold():
    occurrence, mentees, after = attended_session(mentees=3)
    for mentee in mentees[:2]:
        Rating.objects.create(occurrence=occurrence, mentee=mentee, score=5, created_at=after)
    submit_survey(occurrence=occurrence, mentee=mentees[2], rating=2, now=after)

    summary = series_feedback(series=occurrence.series)

    assert summary.shown and summary.average_rating == pytest.approx(4.0)
