"""Report periods: terms and date ranges in the program's time zone.

A term is half an academic year. The academic year starts on settings.ACADEMIC_YEAR_START
(1 July by default), so term 1 runs 1 July - 31 December and term 2 runs 1 January - 30 June.
A term is named by the calendar year its academic year starts in and its half: "2026-1" is
July-December 2026, "2026-2" is January-June 2027.

Dates are whole days in the program's home zone (settings.TIME_ZONE), both ends included:
a session at 23:30 local on the last day counts, one at 00:15 the next day does not,
whatever the date in UTC.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

TERM_PATTERN = re.compile(r"^(\d{4})-([12])$")


def program_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def program_today() -> date:
    return timezone.localdate(timezone=program_zone())


def _add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, 28))


@dataclass(frozen=True)
class Term:
    academic_year: int  # the calendar year the academic year starts in
    half: int  # 1 or 2
    start: date
    end: date  # inclusive

    @property
    def code(self) -> str:
        return f"{self.academic_year}-{self.half}"

    @property
    def label(self) -> str:
        return f"{self.academic_year}–{str(self.academic_year + 1)[-2:]} term {self.half}"


def term(academic_year: int, half: int) -> Term:
    if half not in (1, 2):
        raise ValueError("a term is half 1 or 2 of an academic year")
    month, day = settings.ACADEMIC_YEAR_START
    year_start = date(academic_year, month, day)
    second_half = _add_months(year_start, 6)
    next_year = date(academic_year + 1, month, day)
    if half == 1:
        return Term(academic_year, 1, year_start, second_half - timedelta(days=1))
    return Term(academic_year, 2, second_half, next_year - timedelta(days=1))


def term_containing(day: date) -> Term:
    month, start_day = settings.ACADEMIC_YEAR_START
    academic_year = day.year if (day.month, day.day) >= (month, start_day) else day.year - 1
    first = term(academic_year, 1)
    return first if day <= first.end else term(academic_year, 2)


def current_term() -> Term:
    return term_containing(program_today())


def parse_term(code: str) -> Term:
    """'current', 'previous', or 'YYYY-1' / 'YYYY-2' (academic year start, half)."""
    code = code.strip().lower()
    if code == "current":
        return current_term()
    if code == "previous":
        return term_containing(current_term().start - timedelta(days=1))
    match = TERM_PATTERN.match(code)
    if not match:
        raise ValueError(f"{code!r} is not a term: use current, previous, or YYYY-1 / YYYY-2")
    return term(int(match.group(1)), int(match.group(2)))


def day_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """Aware datetimes [start 00:00, day after end 00:00) in the program's zone."""
    zone = program_zone()
    return (
        datetime.combine(start, time.min, tzinfo=zone),
        datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone),
    )


@dataclass(frozen=True)
class Period:
    """A report's date range (both days included) and how the page names it."""

    start: date
    end: date
    label: str


def period_for(start: date, end: date) -> Period:
    """The range named as a term when it is exactly one, else by its dates."""
    chosen = term_containing(start)
    if (chosen.start, chosen.end) == (start, end):
        return Period(start, end, chosen.label)
    return Period(start, end, f"{start.day} {start:%b %Y} – {end.day} {end:%b %Y}")


def previous_period(start: date, end: date) -> Period:
    """What the summary compares with: the previous term when the range is a term, else the
    equally long range that ends the day before it starts."""
    chosen = term_containing(start)
    if (chosen.start, chosen.end) == (start, end):
        before = term_containing(start - timedelta(days=1))
        return Period(before.start, before.end, before.label)
    length = end - start
    last = start - timedelta(days=1)
    return period_for(last - length, last)
