"""Endorsing and awarding milestones under real contention: PostgreSQL, one connection per thread."""

import pytest

from notifications.models import OutboundEmail
from teaching import services
from teaching.models import Certificate, Endorsement, MilestoneAward
from tests.factories import ProgramAdminFactory
from tests.test_sessions.test_concurrency import _kinds, _race
from tests.test_teaching.support import NOW, build_scenario

pytestmark = pytest.mark.service

THREADS = 6


def test_admins_endorsing_the_same_term_at_once_make_one_endorsement_and_one_certificate(postgres):
    scenario = build_scenario()
    admins = [ProgramAdminFactory() for _ in range(THREADS)]

    outcomes = _race(lambda admin: services.endorse_term(
        mentor=scenario.mentor, first_day=scenario.term.first_day, last_day=scenario.term.last_day, by=admin, now=NOW,
    ), admins)  # fmt: skip

    assert sorted(_kinds(outcomes)) == ["AlreadyEndorsed"] * (THREADS - 1) + ["tuple"]
    assert (Endorsement.objects.count(), Certificate.objects.count()) == (1, 1)


def test_sweeps_racing_on_one_mentor_email_each_milestone_once(postgres, settings):
    settings.TEACHING_MILESTONE_HOURS = [2, 4]
    scenario = build_scenario()

    _race(lambda _: services.award_milestones(mentor=scenario.mentor, now=NOW), range(THREADS))

    assert sorted(MilestoneAward.objects.values_list("hours", flat=True)) == [2, 4]
    assert OutboundEmail.objects.filter(kind="teaching_milestone").count() == 2
