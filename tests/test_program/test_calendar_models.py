"""The academic calendar's invariants hold in the database, whatever code writes the rows."""

from datetime import date

import pytest
from django.db import IntegrityError, transaction

from program.models import Exam, ProgramRules
from program.selectors import closed_days, exam_days, term_on
from tests.factories import ExamFactory, HolidayFactory, TermFactory

pytestmark = pytest.mark.django_db


def test_a_scaled_exam_needs_its_score_range():
    with pytest.raises(IntegrityError), transaction.atomic():
        ExamFactory(scale=Exam.Scale.SCALED, scale_min=None, scale_max=None)


def test_a_percent_exam_has_no_score_range():
    with pytest.raises(IntegrityError), transaction.atomic():
        ExamFactory(scale=Exam.Scale.PERCENT, scale_min=1, scale_max=300)


def test_a_scaled_exam_with_its_range_is_labelled_by_it():
    exam = ExamFactory(scale=Exam.Scale.SCALED, scale_min=1, scale_max=300)
    assert exam.scale_label() == "Scaled score 1-300"


def test_there_is_only_one_row_of_program_rules():
    assert ProgramRules.current().pk == ProgramRules.current().pk == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgramRules.objects.create(pk=2)


def test_a_hold_period_of_zero_hours_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgramRules.objects.create(pk=1, offer_hold_hours=0)


def test_a_day_belongs_to_the_term_that_contains_it():
    fall = TermFactory(name="Fall 2026", first_day=date(2026, 8, 24), last_day=date(2026, 12, 18))
    assert term_on(date(2026, 12, 18)) == fall
    assert term_on(date(2026, 12, 19)) is None


def test_closed_days_lists_each_day_of_a_holiday_range_within_the_dates():
    HolidayFactory(name="Thanksgiving", first_day=date(2026, 11, 25), last_day=date(2026, 11, 27))
    assert closed_days(date(2026, 11, 26), date(2026, 12, 31)) == {date(2026, 11, 26), date(2026, 11, 27)}


def test_exam_days_are_the_days_of_block_exams_only():
    ExamFactory(kind=Exam.Kind.BLOCK, first_day=date(2026, 10, 15))
    ExamFactory(kind=Exam.Kind.STEP_1, scale=Exam.Scale.PASS_FAIL, first_day=date(2026, 10, 20))
    assert exam_days(date(2026, 10, 1), date(2026, 10, 31)) == {date(2026, 10, 15)}
