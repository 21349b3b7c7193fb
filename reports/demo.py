"""Demo data for the report: exam results this term, and a smaller previous term of review sessions,
so the summary's "change from the previous term" compares two real terms.

Run after the sessions demo (attendance comes from there): SEED_STEPS in
mentorship/management/commands/seed_demo.py lists "reports.demo.seed_reports" and
"reports.demo.seed_previous_term".
"""

import random
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from reports.models import ExamResult
from reports.periods import program_today, term_containing
from sessions.models import Attendance, Booking, Occurrence, Rating, ReviewSeries
from sessions.services import default_class_years

PREVIOUS_TERM_WEEKS = 10
PREVIOUS_TERM_MENTORS = 5
PREVIOUS_TERM_MENTEES = 24  # fewer mentees came last term


def seed_reports(rng: random.Random, people: dict) -> None:
    """Two block exams this term for every demo mentee, scores 55-98."""
    today, now = program_today(), timezone.now()
    exams = [("Block 1", today - timedelta(weeks=8)), ("Block 2", today - timedelta(weeks=2))]
    ExamResult.objects.bulk_create(
        [
            ExamResult(student=mentee, exam_name=name, exam_date=day, score=rng.randint(55, 98), imported_at=now)
            for name, day in exams
            for mentee in people["mentees"]
        ],
        ignore_conflicts=True,
    )


def seed_previous_term(rng: random.Random, people: dict) -> None:
    """The previous term's last 10 weeks: five one-hour weekly series, smaller groups, fewer attended
    and lower ratings than this term, so each summary tile has a change to show."""
    this_term = term_containing(program_today())
    previous = term_containing(this_term.start - timedelta(days=1))
    last_date = previous.end - timedelta(days=7)
    first_date = last_date - timedelta(weeks=PREVIOUS_TERM_WEEKS)
    mentees = people["mentees"][:PREVIOUS_TERM_MENTEES]
    attendance: list[Attendance] = []
    bookings: list[Booking] = []
    ratings: list[Rating] = []
    for i, mentor in enumerate(people["mentors"][:PREVIOUS_TERM_MENTORS]):
        offered = [o.subject for o in mentor.offered_subjects.select_related("subject")]
        if not offered:
            continue
        weekday, start_time = i % 5, time(17) if i < 5 else time(19, 30)  # no two at the same hour
        series = ReviewSeries.objects.create(
            mentor=mentor, subject=offered[0], title=f"{offered[0].name} review ({previous.label})",
            description="Last term's weekly review.", weekday=weekday, start_time=start_time, duration_minutes=60,
            time_zone=settings.TIME_ZONE, location=f"Education building, room {200 + i}", seats=6,
            first_date=first_date, last_date=last_date, allowed_class_years=default_class_years(mentor),
        )  # fmt: skip
        zone = ZoneInfo(series.time_zone)
        first_day = first_date + timedelta(days=(weekday - first_date.weekday()) % 7)
        days = [first_day + timedelta(weeks=n) for n in range((last_date - first_day).days // 7 + 1)]
        occurrences = Occurrence.objects.bulk_create(
            Occurrence(
                series=series, series_date=day, starts_at=datetime.combine(day, start_time, tzinfo=zone),
                ends_at=datetime.combine(day, start_time, tzinfo=zone) + timedelta(minutes=60),
                seats=series.seats, location=series.location,
            )  # fmt: skip
            for day in days
        )
        eligible = [m for m in mentees if m.class_year in series.allowed_class_years] or mentees
        for occurrence in occurrences:
            for mentee in rng.sample(eligible, min(len(eligible), rng.randint(2, 5))):
                bookings.append(Booking(occurrence=occurrence, mentee=mentee, created_at=occurrence.starts_at - timedelta(days=3)))
                roll = rng.random()
                status = "attended" if roll < 0.62 else "no_show" if roll < 0.88 else "excused"
                attendance.append(Attendance(
                    occurrence=occurrence, mentee=mentee, status=status, recorded_by=mentor,
                    recorded_at=occurrence.ends_at + timedelta(hours=2),
                ))  # fmt: skip
                if status == "attended" and rng.random() < 0.5:
                    ratings.append(Rating(
                        occurrence=occurrence, mentee=mentee, score=rng.choice([2, 3, 3, 4, 4, 5]),
                        created_at=occurrence.ends_at + timedelta(hours=4),
                    ))  # fmt: skip
    Booking.objects.bulk_create(bookings)
    Attendance.objects.bulk_create(attendance)
    Rating.objects.bulk_create(ratings)
