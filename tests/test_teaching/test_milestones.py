"""Recognition milestones: recorded and emailed once each when verified hours reach them."""

import pytest

from notifications.models import OutboundEmail
from teaching import services
from teaching.models import MilestoneAward
from tests.test_teaching.support import NOW, build_scenario

pytestmark = pytest.mark.django_db


def test_a_reached_milestone_is_emailed_to_the_mentor(settings):
    settings.TEACHING_MILESTONE_HOURS = [4, 20]
    scenario = build_scenario()

    services.award_milestones(mentor=scenario.mentor, now=NOW)

    email = OutboundEmail.objects.get(kind="teaching_milestone")
    assert email.to_address == scenario.mentor.email
    assert "4 verified teaching hours" in email.body_text
    assert list(MilestoneAward.objects.values_list("hours", flat=True)) == [4]


def test_a_milestone_is_emailed_only_once_however_often_the_sweep_runs(settings):
    settings.TEACHING_MILESTONE_HOURS = [4]
    scenario = build_scenario()

    services.award_milestones(mentor=scenario.mentor, now=NOW)
    services.award_all_milestones(now=NOW)
    services.award_milestones(mentor=scenario.mentor, now=NOW)

    assert OutboundEmail.objects.filter(kind="teaching_milestone").count() == 1


def test_the_database_refuses_a_second_award_of_the_same_milestone(settings):
    from django.db import IntegrityError, transaction

    scenario = build_scenario()
    MilestoneAward.objects.create(mentor=scenario.mentor, hours=20, reached_at=NOW)

    with pytest.raises(IntegrityError), transaction.atomic():
        MilestoneAward.objects.create(mentor=scenario.mentor, hours=20, reached_at=NOW)
