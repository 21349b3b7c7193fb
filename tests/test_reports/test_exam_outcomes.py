"""Exam outcomes: scores grouped by sessions attended before the exam, small groups hidden.

Block 3 is sat on Monday 16 March 2026. Five students attended no session, five attended two, five
attended four (one of them at 23:30 on Sunday 15 March local time, which is already the 16th in UTC);
everyone in the two groups that attended also came at 00:30 on the exam day, which does not count.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from reports import selectors
from reports.selectors import ReportFilters
from tests.factories import MenteeFactory, SubjectFactory
from tests.test_reports.factories import (
    AttendanceFactory,
    ExamResultFactory,
    OccurrenceFactory,
    ReviewSeriesFactory,
)

pytestmark = pytest.mark.django_db

CHICAGO = ZoneInfo("America/Chicago")
EXAM_DAY = date(2026, 3, 16)
MARCH = ReportFilters(start=date(2026, 3, 1), end=date(2026, 3, 31), now=datetime(2026, 3, 20, tzinfo=CHICAGO))


@pytest.fixture
def cohort(settings):
    settings.TIME_ZONE = "America/Chicago"
    anatomy = SubjectFactory(name="Anatomy")
    series = ReviewSeriesFactory(subject=anatomy)
    starts = [datetime(2026, 3, d, 18, tzinfo=CHICAGO) for d in (2, 4, 6)]
    starts += [datetime(2026, 3, 15, 23, 30, tzinfo=CHICAGO), datetime(2026, 3, 16, 0, 30, tzinfo=CHICAGO)]
    p1, p2, p3, late_sunday, exam_night = (
        OccurrenceFactory(series=series, starts_at=s, series_date=s.date()) for s in starts
    )
    groups = {"0": [], "1-3": [], "4+": []}
    for score in (60, 65, 70, 75, 80):
        student = MenteeFactory()
        groups["0"].append(student)
        ExamResultFactory(student=student, exam_date=EXAM_DAY, score=score)
        ExamResultFactory(student=student, exam_name="Block 2", exam_date=date(2026, 2, 1), score=50)
    for index, score in enumerate((70, 72, 74, 76, 78)):
        student = MenteeFactory()
        groups["1-3"].append(student)
        for occurrence in (p1, p2, exam_night):
            AttendanceFactory(occurrence=occurrence, mentee=student)
        ExamResultFactory(student=student, exam_date=EXAM_DAY, score=score)
        if index:  # only four of them sat Block 2: too few to show a change
            ExamResultFactory(student=student, exam_name="Block 2", exam_date=date(2026, 2, 1), score=70)
    for score in (80, 82, 84, 86, 100):
        student = MenteeFactory()
        groups["4+"].append(student)
        for occurrence in (p1, p2, p3, late_sunday, exam_night):
            AttendanceFactory(occurrence=occurrence, mentee=student)
        ExamResultFactory(student=student, exam_date=EXAM_DAY, score=score)
    return groups


def _rows(f=MARCH) -> dict:
    return {(r["exam"], r["group"]): r for r in selectors.exam_outcomes(f)}


def test_students_are_grouped_by_sessions_attended_before_the_exam_day_in_local_time(cohort):
    rows = _rows()
    assert [rows[("Block 3", g)]["students"] for g in ("0", "1-3", "4+")] == [5, 5, 5]


def test_each_group_shows_mean_and_median_score(cohort):
    rows = _rows()
    assert (rows[("Block 3", "0")]["mean"], rows[("Block 3", "0")]["median"]) == (70.0, 70.0)
    assert (rows[("Block 3", "1-3")]["mean"], rows[("Block 3", "1-3")]["median"]) == (74.0, 74.0)
    assert rows[("Block 3", "4+")]["mean"] == pytest.approx(86.4)
    assert rows[("Block 3", "4+")]["median"] == 84.0


def test_change_from_the_previous_exam_is_shown_only_for_enough_students(cohort):
    rows = _rows()
    assert (rows[("Block 3", "0")]["change"], rows[("Block 3", "0")]["with_previous"]) == (20.0, 5)
    assert rows[("Block 3", "1-3")]["change"] is None  # four students with a previous exam
    assert rows[("Block 3", "4+")]["change"] is None  # nobody sat one


def test_the_change_is_from_the_latest_earlier_scored_result_and_the_later_of_two_on_one_day(cohort):
    for student in cohort["4+"]:
        ExamResultFactory(student=student, exam_name="Block 1", exam_date=date(2026, 1, 10), score=40)
        ExamResultFactory(student=student, exam_name="Block 2", exam_date=date(2026, 2, 1), score=60)
        ExamResultFactory(student=student, exam_name="Block 2 retake", exam_date=date(2026, 2, 1), score=66)
        ExamResultFactory(student=student, exam_name="Shelf", exam_date=date(2026, 3, 2), score=None, passed=True)
        ExamResultFactory(student=student, exam_name="Block 3 retake", exam_date=EXAM_DAY, score=90)

    rows = _rows()

    assert rows[("Block 3", "4+")]["change"] == pytest.approx(86.4 - 66)  # not 40, not the pass, not the same day
    assert rows[("Block 3 retake", "4+")]["change"] == pytest.approx(90 - 66)


def test_groups_smaller_than_the_minimum_are_hidden(cohort):
    for student in cohort["4+"][:1]:
        student.exam_results.filter(exam__name="Block 3").delete()
    row = _rows()[("Block 3", "4+")]
    assert row["hidden"] is True
    assert (row["students"], row["mean"], row["median"]) == (None, None, None)


def test_results_of_deleted_accounts_are_left_out(cohort):
    student = cohort["0"][0]
    student.deleted_at, student.is_active = timezone.now(), False
    student.save()
    assert _rows()[("Block 3", "0")]["hidden"] is True


def test_exams_outside_the_date_range_are_not_shown(cohort):
    assert {exam for exam, _ in _rows()} == {"Block 3"}
