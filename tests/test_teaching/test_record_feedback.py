"""The teaching record reads the session survey: the confidence gain and the comments mentees let it quote."""

import pytest

from feedback.models import ConfidenceBefore, SurveyQuestion
from feedback.services import submit_survey
from teaching import selectors
from teaching.selectors import RecordTerm
from tests.factories_feedback import attended_session

pytestmark = pytest.mark.django_db


def test_the_record_shows_the_confidence_gain_and_only_the_comments_mentees_allowed_to_be_quoted():
    comment = SurveyQuestion.objects.create(text="What helped?", kind="text", position=1)
    occurrence, (quoted, private), after = attended_session(mentees=2)
    for mentee, before in ((quoted, 2), (private, 3)):
        ConfidenceBefore.objects.create(occurrence=occurrence, mentee=mentee, score=before, given_at=occurrence.starts_at)
    submit_survey(
        occurrence=occurrence, mentee=quoted, rating=5, confidence_after=5, answers={comment.pk: "The drawings"},
        share_comments_with_mentor=True, allow_quote=True, now=after,
    )  # fmt: skip
    submit_survey(
        occurrence=occurrence, mentee=private, rating=4, confidence_after=4, answers={comment.pk: "Too fast"}, now=after
    )

    record = selectors.term_record(
        mentor=occurrence.series.mentor, term=RecordTerm("All terms", None, None), now=after
    )

    assert (record.confidence_gain, record.confidence_answers) == (pytest.approx(2.0), 2)  # gains +3 and +1
    assert record.quotable_comments == ["The drawings"]
