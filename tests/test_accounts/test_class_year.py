"""MS1..MS4 is derived from the graduation year and the academic-year start; admins correct it."""

from datetime import date

import pytest
import time_machine

from accounts.class_year import class_year_for, graduation_year_for, valid_graduation_years
from accounts.services import AccountError, check_graduation_year, correct_class_year
from tests.factories import MenteeFactory


def test_a_student_graduating_in_four_years_is_ms1_on_the_first_day_of_the_academic_year():
    assert class_year_for(2030, today=date(2026, 7, 1)) == 1


def test_the_class_year_rolls_over_on_the_academic_year_start_not_on_new_year():
    assert class_year_for(2030, today=date(2027, 6, 30)) == 1
    assert class_year_for(2030, today=date(2027, 7, 1)) == 2
    assert class_year_for(2030, today=date(2027, 1, 1)) == 1


def test_the_roll_over_date_is_a_setting(settings):
    settings.ACADEMIC_YEAR_START = (8, 15)

    assert class_year_for(2030, today=date(2027, 8, 14)) == 1
    assert class_year_for(2030, today=date(2027, 8, 15)) == 2


def test_graduates_and_students_not_yet_started_have_no_class_year():
    assert class_year_for(2026, today=date(2026, 7, 1)) is None
    assert class_year_for(2031, today=date(2026, 7, 1)) is None
    assert class_year_for(None) is None


def test_graduation_year_for_is_the_inverse_of_class_year_for():
    today = date(2026, 11, 25)
    for year in range(1, 5):
        assert class_year_for(graduation_year_for(year, today=today), today=today) == year


def test_valid_graduation_years_span_this_years_ms4s_to_ms1s():
    assert list(valid_graduation_years(today=date(2026, 11, 25))) == [2027, 2028, 2029, 2030]


@time_machine.travel(date(2026, 11, 25))
def test_a_graduation_year_in_the_past_is_refused_with_a_message():
    with pytest.raises(AccountError, match="2025 is in the past"):
        check_graduation_year(2025)


@time_machine.travel(date(2026, 11, 25))
def test_a_graduation_year_ten_years_ahead_is_refused_with_a_message():
    with pytest.raises(AccountError, match="2036 is too far ahead"):
        check_graduation_year(2036)


@pytest.mark.django_db
def test_an_admin_correction_moves_the_graduation_year_so_the_year_keeps_rolling():
    student = MenteeFactory(graduation_year=graduation_year_for(1))

    correct_class_year(user=student, class_year=2)

    student.refresh_from_db()
    assert student.class_year == 2
    assert student.graduation_year == graduation_year_for(2)


@pytest.mark.django_db
def test_an_admin_can_clear_a_class_year_for_someone_not_currently_a_student():
    student = MenteeFactory()

    correct_class_year(user=student, class_year=None)

    student.refresh_from_db()
    assert student.graduation_year is None
