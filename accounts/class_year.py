"""Class year (MS1..MS4) derived from the expected graduation year.

A student's year changes every academic year, so only the graduation year is stored; the year
shown is derived from it and the program's academic-year start (settings.ACADEMIC_YEAR_START).
An admin corrects a student's year (a repeated or gap year) by moving the graduation year.
"""

from datetime import date

from django.conf import settings
from django.utils import timezone

PROGRAM_LENGTH_YEARS = 4


def _today() -> date:
    return timezone.localdate()


def academic_year_end(today: date | None = None) -> int:
    """The calendar year in which the current academic year ends (2026-27 gives 2027)."""
    today = today or _today()
    month, day = settings.ACADEMIC_YEAR_START
    started_this_calendar_year = (today.month, today.day) >= (month, day)
    return today.year + 1 if started_this_calendar_year else today.year


def class_year_for(graduation_year: int | None, today: date | None = None) -> int | None:
    """1..4 for a current student, None when not yet started, graduated, or unknown."""
    if graduation_year is None:
        return None
    year = PROGRAM_LENGTH_YEARS - (graduation_year - academic_year_end(today))
    return year if 1 <= year <= PROGRAM_LENGTH_YEARS else None


def graduation_year_for(class_year: int, today: date | None = None) -> int:
    """The graduation year that makes a student `class_year` (1..4) in the current academic year."""
    if not 1 <= class_year <= PROGRAM_LENGTH_YEARS:
        raise ValueError("class year must be between 1 and 4")
    return academic_year_end(today) + PROGRAM_LENGTH_YEARS - class_year


def valid_graduation_years(today: date | None = None) -> range:
    """Graduation years a current student can have: this academic year's MS4s to next year's MS1s."""
    end = academic_year_end(today)
    return range(end, end + PROGRAM_LENGTH_YEARS)


def class_year_label(class_year: int | None) -> str:
    return f"MS{class_year}" if class_year else "—"
