"""Helpers for the program's rules: set the rules, define a term around today, and give a
mentee a past session with an attendance record (or a late cancellation)."""

import datetime as _dt

from django.utils import timezone

from program.models import ProgramRules, Term
from reports.periods import program_today
from sessions.models import Attendance, Booking, Occurrence
from tests.factories import AttendanceFactory, BookingFactory, OccurrenceFactory


def set_rules(**values: object) -> ProgramRules:
    rules = ProgramRules.current()
    for name, value in values.items():
        setattr(rules, name, value)
    rules.save()
    return rules


def term_around_today(days: int = 60, name: str = "Spring block") -> Term:
    today = program_today()
    return Term.objects.create(name=name, first_day=today - _dt.timedelta(days=days), last_day=today + _dt.timedelta(days=days))


def past_session(days_ago: int = 3) -> Occurrence:
    start = (timezone.now() - _dt.timedelta(days=days_ago)).replace(second=0, microsecond=0)
    return OccurrenceFactory(starts_at=start)


def missed(mentee, *, days_ago: int = 3, status: str = Attendance.Status.NO_SHOW) -> Attendance:
    """A past session the mentee booked, recorded by its mentor with `status`."""
    occurrence = past_session(days_ago)
    BookingFactory(occurrence=occurrence, mentee=mentee)
    return AttendanceFactory(occurrence=occurrence, mentee=mentee, status=status)


def cancelled_late(mentee, *, days_ago: int = 3) -> Booking:
    occurrence = past_session(days_ago)
    return BookingFactory(
        occurrence=occurrence,
        mentee=mentee,
        status=Booking.Status.CANCELLED,
        late_cancel=True,
        cancelled_at=occurrence.starts_at - _dt.timedelta(minutes=30),
    )
