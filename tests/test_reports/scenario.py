"""A small fixed program fortnight with hand-computed figures (see the assertions in test_selectors).

Range: Monday 2 March - Sunday 15 March 2026, program zone America/Chicago (DST starts 8 March).
Now: 20 March 2026. Mentees A, B, C are MS1, D is MS2, E is MS1 and deleted (anonymised).
Mentor M1 runs Anatomy (Tue 18:00, 60 min, 3 seats); M2 (deleted) runs Physiology (Thu 19:00, 90 min, 2 seats).

  O1 Anatomy  Tue 3 Mar 18:00   held   A attended, B no-show, C late-cancelled, D attended, E walk-in
  O2 Anatomy  Tue 10 Mar 18:00  held   A attended, C excused, B cancelled in time
  O4 Physiol. Thu 5 Mar 19:00   held   D attended, E attended
  O5 Physiol. Thu 12 Mar 19:00  cancelled (A's booking stays "booked")
  O6 Anatomy  Sun 15 Mar 23:30  held   A no-show        (Monday 16 March in UTC: still in range)
  O7 Anatomy  Sun 1 Mar 23:45   held   B attended       (Monday 2 March in UTC: out of range)
  O3 Anatomy  Tue 17 Mar 18:00  held   A attended       (after the range)
"""

from dataclasses import dataclass
from datetime import date, datetime, time
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from django.utils import timezone

from reports.selectors import ReportFilters
from sessions.models import Attendance, WaitlistEntry
from tests.factories import (
    MenteeFactory,
    MentorFactory,
    OfferedSubjectFactory,
    SubjectFactory,
    WantedSubjectFactory,
)
from tests.test_reports.factories import (
    AttendanceFactory,
    BookingFactory,
    OccurrenceFactory,
    OutcomeNoteFactory,
    RatingFactory,
    ReviewSeriesFactory,
    WaitlistEntryFactory,
)

CHICAGO = ZoneInfo("America/Chicago")
NOW = datetime(2026, 3, 20, 12, 0, tzinfo=ZoneInfo("UTC"))
START, END = date(2026, 3, 2), date(2026, 3, 15)
MS1_GRADUATION, MS2_GRADUATION = 2029, 2028  # in academic year 2025-26


def local(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=CHICAGO)


def filters(**kwargs) -> ReportFilters:
    return ReportFilters(start=START, end=END, now=NOW, **kwargs)


@dataclass
class Scenario:
    anatomy: object
    physiology: object
    m1: object
    m2: object
    people: SimpleNamespace


def build() -> Scenario:
    anatomy, physiology = SubjectFactory(name="Anatomy"), SubjectFactory(name="Physiology")
    biochemistry, pharmacology = SubjectFactory(name="Biochemistry"), SubjectFactory(name="Pharmacology")
    m1 = MentorFactory(first_name="Maya", last_name="One", mentor_capacity=3)
    m2 = MentorFactory(first_name="Marco", last_name="Two", email="m2@school.edu")
    m3 = MentorFactory(first_name="Mina", last_name="Three", mentor_capacity=0)
    a, b, c = (MenteeFactory(first_name=n, graduation_year=MS1_GRADUATION) for n in "ABC")
    d = MenteeFactory(first_name="D", graduation_year=MS2_GRADUATION)
    e = MenteeFactory(first_name="E", graduation_year=MS1_GRADUATION)

    anat = ReviewSeriesFactory(mentor=m1, subject=anatomy, weekday=1, start_time=time(18), duration_minutes=60, seats=3)
    phys = ReviewSeriesFactory(mentor=m2, subject=physiology, weekday=3, start_time=time(19), duration_minutes=90, seats=2)
    o1 = OccurrenceFactory(series=anat, starts_at=local(3, 3, 18))
    o2 = OccurrenceFactory(series=anat, starts_at=local(3, 10, 18))
    o3 = OccurrenceFactory(series=anat, starts_at=local(3, 17, 18))
    o4 = OccurrenceFactory(series=phys, starts_at=local(3, 5, 19))
    o5 = OccurrenceFactory(series=phys, starts_at=local(3, 12, 19), cancelled=True)
    o6 = OccurrenceFactory(series=anat, starts_at=local(3, 15, 23, 30), series_date=date(2026, 3, 15))
    o7 = OccurrenceFactory(series=anat, starts_at=local(3, 1, 23, 45), series_date=date(2026, 3, 1))

    for mentee in (a, b, d):
        BookingFactory(occurrence=o1, mentee=mentee)
    BookingFactory(occurrence=o1, mentee=c, late=True)
    BookingFactory(occurrence=o2, mentee=a)
    BookingFactory(occurrence=o2, mentee=c)
    BookingFactory(occurrence=o2, mentee=b, cancelled=True)
    for occurrence, mentee in [(o4, d), (o4, e), (o5, a), (o6, a), (o7, b), (o3, a)]:
        BookingFactory(occurrence=occurrence, mentee=mentee)

    attended, no_show, excused = Attendance.Status.ATTENDED, Attendance.Status.NO_SHOW, Attendance.Status.EXCUSED
    for occurrence, mentee, status in [
        (o1, a, attended), (o1, b, no_show), (o1, d, attended), (o2, a, attended), (o2, c, excused),
        (o4, d, attended), (o4, e, attended), (o6, a, no_show), (o7, b, attended), (o3, a, attended),
    ]:  # fmt: skip
        AttendanceFactory(occurrence=occurrence, mentee=mentee, status=status)
    AttendanceFactory(occurrence=o1, mentee=e, walk_in=True)

    for occurrence, mentee, score in [(o1, a, 5), (o1, d, 4), (o4, e, 3), (o7, b, 1)]:
        RatingFactory(occurrence=occurrence, mentee=mentee, score=score)
    OutcomeNoteFactory(occurrence=o1)
    OutcomeNoteFactory(occurrence=o2)

    WaitlistEntryFactory(occurrence=o1, mentee=c, status=WaitlistEntry.Status.CLOSED)
    WaitlistEntryFactory(occurrence=o1, mentee=d, promoted=True)
    WaitlistEntryFactory(occurrence=o4, mentee=a, status=WaitlistEntry.Status.CLOSED)
    WaitlistEntryFactory(occurrence=o4, mentee=b, status=WaitlistEntry.Status.LEFT)
    WaitlistEntryFactory(occurrence=o5, mentee=c, status=WaitlistEntry.Status.CLOSED)

    for user, subject in [(a, anatomy), (b, anatomy), (c, physiology), (d, biochemistry), (e, pharmacology)]:
        WantedSubjectFactory(user=user, subject=subject)
    for user, subject in [(m1, anatomy), (m2, physiology), (m3, biochemistry)]:
        OfferedSubjectFactory(user=user, subject=subject)

    # Anonymise last, as the accounts app would: the rows stay, the person is gone.
    for person in (e, m2):
        person.deleted_at, person.is_active = timezone.now(), False
        person.first_name, person.last_name, person.email = "", "", f"deleted-{person.pk}@invalid"
        person.save()
    return Scenario(anatomy, physiology, m1, m2, SimpleNamespace(a=a, b=b, c=c, d=d, e=e))
