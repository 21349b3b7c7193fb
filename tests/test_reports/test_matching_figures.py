"""The matching section and the active pairs counted in the mentor and demand figures, by hand."""

from datetime import datetime

import pytest
from django.utils import timezone

from mentorship.models import MatchingRound
from reports import selectors
from tests.factories import (
    MenteeFactory,
    MentorFactory,
    MentorshipFactory,
    OfferedSubjectFactory,
    ProgramAdminFactory,
    SubjectFactory,
    WantedSubjectFactory,
)
from tests.test_reports import scenario
from tests.test_reports.factories import OccurrenceFactory, ReviewSeriesFactory

pytestmark = pytest.mark.django_db
local = scenario.local


@pytest.fixture
def pairs(settings):
    settings.TIME_ZONE = "America/Chicago"
    a, b, c, d, f, g, e = (MenteeFactory() for _ in range(7))
    round_ = MatchingRound.objects.create(
        created_by=ProgramAdminFactory(), status="committed", committed_at=local(3, 8, 9)
    )

    def pair(mentee, status, requested, responded=None, ended=None, **extra):
        return MentorshipFactory(
            mentee=mentee, status=status, requested_at=requested, responded_at=responded, ended_at=ended, **extra
        )

    pair(a, "active", local(3, 3, 10), local(3, 3, 16))  # accepted after 6 hours
    pair(b, "ended", local(3, 4, 0), local(3, 5, 0), local(3, 10, 12))  # 24 hours; ended 5 days in
    pair(c, "active", local(3, 8, 9), local(3, 8, 9), round=round_)
    pair(d, "declined", local(3, 6, 9), local(3, 7, 9), local(3, 7, 9))
    pair(d, "expired", local(3, 6, 10), None, local(3, 13, 10))
    pair(f, "ended", local(1, 1, 9), local(1, 1, 10), local(3, 12, 9))  # ended after two months
    pair(g, "active", local(2, 20, 9), local(2, 20, 11))  # requested before the range
    pair(e, "active", local(2, 1, 9), local(2, 1, 10))
    e.deleted_at, e.is_active = timezone.now(), False
    e.save()


def test_share_of_current_mentees_with_an_active_pair(pairs):
    summary = selectors.matching_summary(scenario.filters())
    assert (summary["mentees"], summary["mentees_matched"]) == (6, 3)
    assert summary["share_matched"] == pytest.approx(0.5)


def test_requests_made_in_range_and_the_median_time_to_match(pairs):
    summary = selectors.matching_summary(scenario.filters())
    assert (summary["requests"], summary["requests_accepted"], summary["requests_declined"]) == (4, 2, 1)
    assert summary["requests_expired"] == 1
    assert summary["median_hours_to_match"] == pytest.approx(15.0)
    assert summary["pairs_from_rounds"] == 1


def test_pairs_ended_in_range_and_those_ended_within_30_days(pairs):
    summary = selectors.matching_summary(scenario.filters())
    assert (summary["pairs_ended"], summary["pairs_ended_within_30_days"]) == (2, 1)


def test_no_requests_means_no_median(settings):
    assert selectors.matching_summary(scenario.filters())["median_hours_to_match"] is None


def test_a_mentor_whose_active_pairs_fill_the_capacity_has_no_room(settings):
    anatomy = SubjectFactory(name="Anatomy")
    mentor = MentorFactory(mentor_capacity=1)
    OfferedSubjectFactory(user=mentor, subject=anatomy)
    WantedSubjectFactory(subject=anatomy)
    MentorshipFactory(mentor=mentor)
    row = selectors.subject_coverage(scenario.filters())[0]
    assert (row["mentors_offering"], row["mentors_with_room"], row["uncovered"]) == (1, 0, True)


def test_mentor_rows_show_active_pairs(settings):
    mentor = MentorFactory()
    OccurrenceFactory(series=ReviewSeriesFactory(mentor=mentor), starts_at=datetime(2026, 3, 3, 18, tzinfo=scenario.CHICAGO))
    MentorshipFactory(mentor=mentor)
    MentorshipFactory(mentor=mentor)
    MentorshipFactory(mentor=mentor, status="requested")
    assert selectors.mentor_activity(scenario.filters())[0]["active_pairs"] == 2
