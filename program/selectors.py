"""Reads of the academic calendar that other apps and pages use."""

from dataclasses import dataclass
from datetime import date

from program.models import Exam, Holiday, ProgramRulesChange, Term
from reports.periods import term_containing


def term_on(day: date) -> Term | None:
    """The defined term that contains the day, if any."""
    return Term.objects.containing(day).first()


def closed_days(first_day: date, last_day: date) -> set[date]:
    """Every holiday day between the two dates (both included)."""
    days: set[date] = set()
    for holiday in Holiday.objects.overlapping(first_day, last_day):
        days.update(d for d in holiday.days() if first_day <= d <= last_day)
    return days


def exam_days(first_day: date, last_day: date) -> set[date]:
    """Every day of a block exam between the two dates (both included)."""
    days: set[date] = set()
    for exam in Exam.objects.blocks().filter(first_day__lte=last_day, last_day__gte=first_day):
        for n in range(exam.first_day.toordinal(), exam.last_day.toordinal() + 1):
            day = date.fromordinal(n)
            if first_day <= day <= last_day:
                days.add(day)
    return days


@dataclass(frozen=True)
class RulesTerm:
    """The term the attendance rules count in: a defined `Term`, else the half academic year."""

    name: str
    first_day: date
    last_day: date


def attendance_term_on(day: date) -> RulesTerm:
    """The defined term containing the day; if none is defined, reports.periods' half year."""
    defined = term_on(day)
    if defined is not None:
        return RulesTerm(defined.name, defined.first_day, defined.last_day)
    fallback = term_containing(day)
    return RulesTerm(fallback.label, fallback.start, fallback.end)


def latest_rules_changes(limit: int = 20) -> list[ProgramRulesChange]:
    return list(ProgramRulesChange.objects.select_related("changed_by")[:limit])
