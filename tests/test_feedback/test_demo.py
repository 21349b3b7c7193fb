
import pytest

from checkin.demo import seed_checkin
from checkin.models import CheckIn
from feedback.demo import seed_feedback
from feedback.models import ConfidenceBefore, SurveyAnswer, SurveyQuestion, SurveyResponse
from sessions.models import Attendance, Rating
from tests.support.demo import seed_demo_start

pytestmark = pytest.mark.django_db


def test_the_demo_has_survey_answers_with_confidence_and_one_checked_in_session():
    rng, people = seed_demo_start()

    seed_feedback(rng, people)
    seed_checkin(rng, people)

    assert SurveyResponse.objects.count() == Rating.objects.count() > 0
    assert SurveyQuestion.objects.active().count() == 3 and SurveyQuestion.objects.filter(retired_at__isnull=False).exists()
    assert SurveyAnswer.objects.filter(question__retired_at__isnull=False).exists()
    assert ConfidenceBefore.objects.exists()
    walk_in = CheckIn.objects.get(walk_in=True)
    assert Attendance.objects.get(occurrence=walk_in.occurrence, mentee=walk_in.mentee).walk_in
    assert CheckIn.objects.values("occurrence").distinct().count() == 1
