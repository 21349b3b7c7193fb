"""The teaching record's figures against the hand-computed scenario (tests/test_teaching/support.py)."""

import datetime as dt
from decimal import Decimal

import pytest

from program.models import Term
from teaching import selectors
from teaching.selectors import RecordTerm
from tests.factories import AttendanceFactory, OccurrenceFactory, ReviewSeriesFactory
from tests.test_teaching.support import NOW, at, build_scenario

pytestmark = pytest.mark.django_db


@pytest.fixture
def scenario():
    return build_scenario()


def fall(scenario) -> selectors.TermRecord:
    term = RecordTerm("Fall 2026", scenario.term.first_day, scenario.term.last_day)
    return selectors.term_record(mentor=scenario.mentor, term=term, now=NOW)


def test_sessions_held_count_held_sessions_without_attendance_but_not_cancelled_or_future_ones(scenario):
    assert fall(scenario).sessions_held == 4


def test_verified_hours_count_only_held_sessions_with_attendance_recorded(scenario):
    record = fall(scenario)

    assert (record.verified_hours, record.verified_sessions) == (Decimal("4.50"), 3)


def test_unique_mentees_count_walk_ins_and_deleted_accounts_once_each(scenario):
    assert fall(scenario).unique_mentees == 4


def test_attendance_rate_is_attended_of_booked_on_recorded_rosters_without_walk_ins(scenario):
    assert fall(scenario).attendance_rate == pytest.approx(5 / 7)


def test_average_rating_leaves_out_ratings_of_cancelled_sessions(scenario):
    record = fall(scenario)

    assert (record.average_rating, record.ratings) == (4.5, 2)


def test_one_to_one_mentees_count_pairs_running_during_the_term(scenario):
    assert fall(scenario).one_to_one_mentees == 1


def test_subjects_are_those_of_held_sessions(scenario):
    assert fall(scenario).subjects == ["Anatomy", "Physiology"]


def test_confidence_gain_is_not_known_until_the_feedback_app_is_connected(scenario):
    record = fall(scenario)

    assert (record.confidence_gain, record.confidence_answers, record.quotable_comments) == (None, 0, [])


def test_the_record_lists_only_terms_with_a_held_session(scenario):
    Term.objects.create(name="Spring 2027", first_day=dt.date(2027, 1, 11), last_day=dt.date(2027, 5, 7))

    record = selectors.teaching_record(mentor=scenario.mentor, now=NOW)

    assert [t.term.name for t in record.terms] == ["Fall 2026"]


def test_without_defined_terms_the_record_falls_back_to_half_year_terms(settings):
    mentor = ReviewSeriesFactory().mentor
    series = mentor.review_series.get()
    held = OccurrenceFactory(series=series, **at(9, 1))
    AttendanceFactory(occurrence=held)

    record = selectors.teaching_record(mentor=mentor, now=NOW)

    assert [(t.term.name, t.term.first_day, t.term.last_day) for t in record.terms] == [
        ("2026–27 term 1", dt.date(2026, 7, 1), dt.date(2026, 12, 31))
    ]


def test_milestones_show_how_many_hours_are_to_go(scenario, settings):
    settings.TEACHING_MILESTONE_HOURS = [4, 20]

    record = selectors.teaching_record(mentor=scenario.mentor, now=NOW)

    assert [(m["hours"], m["reached"], m["to_go"]) for m in record.milestones] == [
        (4, True, Decimal(0)), (20, False, Decimal("15.50"))
    ]


def test_the_experience_text_states_role_subjects_hours_learners_and_fits_the_eras_limit(scenario):
    text = selectors.experience_text(selectors.teaching_record(mentor=scenario.mentor, now=NOW))

    assert "4 small-group review sessions in Anatomy, Physiology" in text
    assert "4.5 verified teaching hours" in text
    assert "for 4 junior medical students" in text
    assert "Mentored 2 students one to one" in text  # all terms: the pair that ended in July too
    assert len(text) <= selectors.ERAS_DESCRIPTION_LIMIT


def test_the_experience_text_claims_no_terms_or_weekly_hours_the_terms_do_not_hold(scenario):
    summer = OccurrenceFactory(series=ReviewSeriesFactory(mentor=scenario.mentor), **at(6, 2))  # before Fall 2026
    AttendanceFactory(occurrence=summer, mentee=scenario.mentees["m1"], status="attended")

    text = selectors.experience_text(selectors.teaching_record(mentor=scenario.mentor, now=NOW))

    assert "5 small-group review sessions" in text
    assert " term" not in text and "hours per week" not in text
