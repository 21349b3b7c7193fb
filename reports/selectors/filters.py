"""Every figure of the impact report, each computed by database aggregation.

Each function runs a fixed number of queries (grouped aggregates, never one query per row),
so the report costs the same number of queries for ten bookings or a million.

Definitions (also shown on the page, "How these figures are counted"):
- A session is in the report when it *starts* within the date range (program time zone, both
  days included). It was *held* if it was not cancelled and has ended; *cancelled* if cancelled.
- Tutoring hours: the scheduled length of held sessions.
- Bookings: every seat booked for a session in range (later cancelled or not). Late cancellations
  are bookings cancelled after the cutoff; the late-cancel rate is their share of bookings.
- Attendance and no-show rates: of seats still booked at held sessions, the share the mentor marked
  attended / no-show (the attendance roster is the booked mentees). Walk-ins (attended without a
  booking) are counted apart and are not in the rate.
- Mentees served: distinct mentees who attended (walk-ins included) a held session.
- Filters: subject and mentor narrow to their sessions. Class year narrows the mentee figures
  (bookings, attendance, mentees served, ratings, waitlists, wanted subjects, exam results); the
  supply figures (sessions, hours, seats, fill rate) stay those of all mentees.
- Deleted (anonymised) accounts: what happened still counts (their sessions and bookings), but they
  are never named; they are left out of current demand and of exam outcomes.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import (
    DurationField,
    ExpressionWrapper,
    F,
    Q,
)
from django.utils import timezone

from accounts.class_year import graduation_year_for
from reports.periods import day_bounds, program_zone
from sessions.models import Attendance, Occurrence

SCHEDULED = Occurrence.Status.SCHEDULED
CANCELLED = Occurrence.Status.CANCELLED
ATTENDED = Attendance.Status.ATTENDED
NO_SHOW = Attendance.Status.NO_SHOW
EXAM_GROUPS = ["0", "1-3", "4+"]


@dataclass(frozen=True)
class ReportFilters:
    start: date
    end: date  # inclusive
    subject_id: int | None = None
    mentor_id: int | None = None
    class_year: int | None = None
    now: datetime = field(default_factory=timezone.now)

    @property
    def bounds(self) -> tuple[datetime, datetime]:
        return day_bounds(self.start, self.end)

    @property
    def graduation_year(self) -> int | None:
        """The graduation year that makes a student the filtered class year, judged at the range's end."""
        if self.class_year is None:
            return None
        return graduation_year_for(self.class_year, today=min(self.end, timezone.localdate(self.now, program_zone())))


def _sessions_q(f: ReportFilters, to_occurrence: str = "") -> Q:
    """Sessions starting in the range, of the filtered subject and mentor."""
    lo, hi = f.bounds
    q = Q(**{f"{to_occurrence}starts_at__gte": lo, f"{to_occurrence}starts_at__lt": hi})
    if f.subject_id:
        q &= Q(**{f"{to_occurrence}series__subject_id": f.subject_id})
    if f.mentor_id:
        q &= Q(**{f"{to_occurrence}series__mentor_id": f.mentor_id})
    return q


def _held_q(f: ReportFilters, to_occurrence: str = "") -> Q:
    return Q(**{f"{to_occurrence}status": SCHEDULED, f"{to_occurrence}ends_at__lte": f.now})


def _mentee_q(f: ReportFilters, to_mentee: str) -> Q:
    year = f.graduation_year
    field = f"{to_mentee}__graduation_year" if to_mentee else "graduation_year"  # "" = the User rows themselves
    return Q(**{field: year}) if year is not None else Q()


def _duration() -> ExpressionWrapper:
    return ExpressionWrapper(F("ends_at") - F("starts_at"), output_field=DurationField())


def _hours(value: timedelta | float | None) -> float:
    if value is None:
        return 0.0
    if isinstance(value, timedelta):
        return value.total_seconds() / 3600
    return float(value) / 3_600_000_000  # microseconds, as some backends return a summed interval


def _rate(part: int | None, whole: int | None) -> float | None:
    return (part or 0) / whole if whole else None


def _week(value: date) -> date:
    if isinstance(value, datetime):
        return (timezone.localtime(value, program_zone()) if timezone.is_aware(value) else value).date()
    return value


def person_name(first: str, last: str, email: str, deleted_at: datetime | None) -> str:
    """How the report names a person: never the details of an anonymised account."""
    if deleted_at is not None:
        return "Deleted account"
    return f"{first} {last}".strip() or email
