"""Confidence before and after: the numbers the report and the teaching record read, by hand."""

import datetime as dt
from datetime import timedelta

import pytest
from django.utils import timezone

from feedback.errors import ConfidenceClosed
from feedback.models import ConfidenceBefore
from feedback.selectors import confidence_gain, confidence_gain_by_mentor, confidence_gain_by_subject
from feedback.services import give_confidence_before, submit_survey
from reports.periods import program_zone
from sessions.models import Occurrence
from sessions.services import book_seat
from tests.factories import MenteeFactory, MentorFactory, SubjectFactory, published_series
from tests.factories_feedback import attended_session

pytestmark = pytest.mark.django_db


def _session_with(pairs, **series):
    """A held session whose mentees said (before, after) confidence; None = did not answer."""
    occurrence, mentees, after = attended_session(mentees=len(pairs), **series)
    for mentee, (before, later) in zip(mentees, pairs, strict=True):
        if before is not None:
            ConfidenceBefore.objects.create(occurrence=occurrence, mentee=mentee, score=before, given_at=occurrence.starts_at)
        submit_survey(occurrence=occurrence, mentee=mentee, rating=4, confidence_after=later, now=after)
    return occurrence


def _days(occurrence):
    day = occurrence.starts_at.astimezone(program_zone()).date()
    return {"first_day": day - timedelta(days=1), "last_day": day + timedelta(days=30)}


def test_the_gain_is_the_average_of_after_minus_before_over_mentees_who_gave_both():
    # Gains +2, +1, -1; the mentee without "before" and the one without "after" are left out.
    occurrence = _session_with([(2, 4), (3, 4), (5, 4), (None, 5), (3, None)])

    average, n = confidence_gain(**_days(occurrence))

    assert n == 3 and average == pytest.approx(2 / 3)


def test_no_pairs_give_no_average_and_a_count_of_zero():
    occurrence = _session_with([(None, 5)])

    assert confidence_gain(**_days(occurrence)) == (None, 0)


def test_per_subject_and_per_mentor_rows_match_the_hand_computation():
    anatomy, histology = SubjectFactory(name="Anatomy"), SubjectFactory(name="Histology")
    ada, ben = MentorFactory(first_name="Ada", last_name="A"), MentorFactory(first_name="Ben", last_name="B")
    first = _session_with([(1, 4), (2, 3)], subject=anatomy, mentor=ada)  # +3, +1
    _session_with([(3, 3)], subject=histology, mentor=ada, start_time=dt.time(10, 0))  # 0
    _session_with([(4, 2)], subject=anatomy, mentor=ben)  # -2
    days = _days(first)

    by_subject = {r.label: (r.average_gain, r.n) for r in confidence_gain_by_subject(**days)}
    by_mentor = {r.label: (r.average_gain, r.n) for r in confidence_gain_by_mentor(**days)}

    assert by_subject == {"Anatomy": (pytest.approx(2 / 3), 3), "Histology": (0.0, 1)}
    assert by_mentor == {ada.display_name: (pytest.approx(4 / 3), 3), ben.display_name: (-2.0, 1)}
    assert confidence_gain(mentor=ada, subject=anatomy, **days) == (pytest.approx(2.0), 2)


def test_sessions_outside_the_days_and_cancelled_sessions_do_not_count():
    occurrence = _session_with([(1, 5)])
    day = occurrence.starts_at.astimezone(program_zone()).date()

    assert confidence_gain(first_day=day + timedelta(days=1), last_day=day + timedelta(days=9)) == (None, 0)
    Occurrence.objects.filter(pk=occurrence.pk).update(status="cancelled", cancelled_at=timezone.now())
    assert confidence_gain(**_days(occurrence)) == (None, 0)


def test_a_booked_mentee_gives_confidence_until_the_session_starts_and_may_change_it():
    occurrence = published_series().occurrences.first()
    mentee = MenteeFactory()
    book_seat(occurrence=occurrence, mentee=mentee)

    give_confidence_before(occurrence=occurrence, mentee=mentee, score=2)
    give_confidence_before(occurrence=occurrence, mentee=mentee, score=3)

    assert ConfidenceBefore.objects.get().score == 3
    with pytest.raises(ConfidenceClosed, match="until it starts"):
        give_confidence_before(occurrence=occurrence, mentee=mentee, score=4, now=occurrence.starts_at)


def test_confidence_before_needs_a_booking():
    occurrence = published_series().occurrences.first()

    with pytest.raises(ConfidenceClosed, match="Book a seat first"):
        give_confidence_before(occurrence=occurrence, mentee=MenteeFactory(), score=3)

    assert not ConfidenceBefore.objects.exists()
