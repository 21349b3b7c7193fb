"""Service tier: a real Celery worker computes the round, and both sides get the commit emails."""

import time

import pytest

from mentorship import services
from mentorship.models import MatchingRound
from tests.factories import SubjectFactory
from tests.test_mentorship.support import mentee_wanting, mentor_teaching, program_admin

pytestmark = pytest.mark.service


def test_a_real_worker_computes_a_round_and_delivers_the_match_emails_to_both_sides(celery_worker):
    anatomy = SubjectFactory(name="Anatomy")
    mentor = mentor_teaching(anatomy)
    mentee = mentee_wanting(anatomy)
    admin = program_admin()

    matching_round = services.start_round(admin=admin)
    deadline = time.monotonic() + 30
    while matching_round.status == MatchingRound.Status.COMPUTING and time.monotonic() < deadline:
        time.sleep(0.2)
        matching_round.refresh_from_db()
    assert matching_round.status == MatchingRound.Status.PREVIEW, celery_worker.log()

    services.commit_round(matching_round=matching_round, admin=admin)

    mails = celery_worker.wait_for_mails(2)
    assert sorted(m["To"] for m in mails) == sorted([mentor.email, mentee.email])
