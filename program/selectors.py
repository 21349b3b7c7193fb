"""Reads of the academic calendar that other apps and pages use."""

from datetime import date

from program.models import Exam, Holiday, Term


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
