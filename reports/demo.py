"""Demo exams and results with a planted effect and a planted selection bias, so the report's
estimate has something honest to show.

Block 1 (seven weeks ago, before the demo sessions began) and Block 2 (yesterday) are percent
block exams on the same subjects. Students who scored low on Block 1 attended more sessions (the
selection bias real programs see); Block 2 follows Block 1 plus about 4 points for 4 or more
sessions. Raw means make the sessions look harmful; the estimate adjusted for Block 1 shows the
planted gain with its interval. An NBME CBSE (scaled 1-300, no earlier CBSE) shows the
"no previous exam" case, and invitations to Block 1's three lowest scorers show the outreach figures.

`seed_previous_term` adds a smaller previous term of review sessions, so the summary's "change
from the previous term" compares two real terms.

Run after the sessions demo (attendance comes from there): listed in SEED_STEPS after it.
"""

import random
from collections.abc import Iterable
from datetime import datetime, time, timedelta
from decimal import Decimal
from itertools import combinations
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count
from django.utils import timezone

from program.models import Exam
from reports.models import ExamResult, OutreachInvitation
from reports.periods import day_bounds, program_today, term_containing
from sessions.models import Attendance, Booking, Occurrence, Rating, ReviewSeries
from sessions.services import default_class_years
from subjects.models import Subject

PREVIOUS_TERM_WEEKS = 10
PREVIOUS_TERM_MENTORS = 5
PREVIOUS_TERM_MENTEES = 24  # fewer mentees came last term


def _sessions_before(mentees: list, subjects: list[Subject], exam: Exam) -> dict[int, int]:
    start = day_bounds(exam.first_day, exam.first_day)[0]
    return dict(
        Attendance.objects.filter(
            status=Attendance.Status.ATTENDED, mentee__in=mentees, occurrence__starts_at__lt=start,
            occurrence__series__subject__in=subjects,
        ).values("mentee_id").annotate(n=Count("id")).values_list("mentee_id", "n").order_by()
    )  # fmt: skip


def _exam(name: str, day: object, **fields: object) -> Exam:
    exam, _ = Exam.objects.get_or_create(name=name, first_day=day, defaults={"last_day": day, **fields})
    return exam


def _subjects_for_bands(mentees: list, exam: Exam) -> list[Subject]:
    """The fewest of the demo sessions' subjects whose attendance before the exam spreads mentees
    over 0, 1-3 and 4+ with enough in each band to be shown (REPORT_MIN_GROUP_SIZE) and compared;
    failing that, the subjects that come closest. Attendance depends on today's date (the demo's
    sessions are placed around it), so the choice is made on the data, never fixed."""
    ids = ReviewSeries.objects.values_list("subject_id", flat=True).distinct().order_by("subject_id")
    subjects = list(Subject.objects.filter(pk__in=ids).order_by("name"))
    start = day_bounds(exam.first_day, exam.first_day)[0]
    per_subject: dict[int, dict[int, int]] = {s.pk: {} for s in subjects}
    for mentee_id, subject_id, n in (
        Attendance.objects.filter(status=Attendance.Status.ATTENDED, mentee__in=mentees,
                                  occurrence__starts_at__lt=start, occurrence__series__subject__in=subjects)
        .values_list("mentee_id", "occurrence__series__subject_id").annotate(n=Count("id")).order_by()
    ):  # fmt: skip
        per_subject[subject_id][mentee_id] = n
    wanted = (max(8, settings.REPORT_MIN_GROUP_SIZE + 3), 6, 8)  # students with 0, 1-3 and 4+ sessions

    def shortfall(chosen: Iterable[Subject]) -> int:
        values = [sum(per_subject[s.pk].get(m.pk, 0) for s in chosen) for m in mentees]
        bands = (sum(v == 0 for v in values), sum(1 <= v <= 3 for v in values), sum(v >= 4 for v in values))
        return sum(max(0, want - got) for want, got in zip(wanted, bands, strict=True))

    candidates: list[tuple[Subject, ...]] = [
        c for size in range(1, min(4, len(subjects)) + 1) for c in combinations(subjects, size)
    ]
    if not candidates:
        return []
    return list(min(candidates, key=shortfall))  # the first (fewest subjects) of the best


def seed_reports(rng: random.Random, people: dict) -> None:
    """Block 1, Block 2 and an NBME CBSE with results for every demo mentee (idempotent)."""
    today, now = program_today(), timezone.now()
    mentees = people["mentees"]
    block1 = _exam("Block 1: Foundations", today - timedelta(weeks=7), kind=Exam.Kind.BLOCK)
    block2 = _exam("Block 2: Foundations", today - timedelta(days=1), kind=Exam.Kind.BLOCK)
    cbse = _exam("NBME CBSE", today - timedelta(days=3), kind=Exam.Kind.NBME_CBSE, scale=Exam.Scale.SCALED,
                 scale_min=1, scale_max=300)  # fmt: skip
    subjects = _subjects_for_bands(mentees, block2)
    for exam in (block1, block2, cbse):
        exam.subjects.set(subjects)
    sessions = _sessions_before(mentees, subjects, block2)
    results = []
    first_scores: dict[int, float] = {}
    for mentee in mentees:
        attended = sessions.get(mentee.pk, 0)
        # Selection: strugglers (low Block 1) are the ones who came to more sessions.
        before = min(98.0, max(40.0, 82 - 3.0 * min(attended, 8) + rng.gauss(0, 6)))
        first_scores[mentee.pk] = before
        gain = 4.0 if attended >= 4 else 1.5 if attended else 0.0
        after = min(100.0, max(30.0, 10 + 0.88 * before + gain + rng.gauss(0, 3)))
        scaled = round(min(300, max(1, 120 + 1.4 * after + rng.gauss(0, 8))))
        results += [
            ExamResult(student=mentee, exam=block1, score=Decimal(f"{before:.1f}"), imported_at=now),
            ExamResult(student=mentee, exam=block2, score=Decimal(f"{after:.1f}"), imported_at=now),
            ExamResult(student=mentee, exam=cbse, score=Decimal(scaled), imported_at=now),
        ]
    ExamResult.objects.bulk_create(results, ignore_conflicts=True)
    strugglers = sorted(mentees, key=lambda m: first_scores[m.pk])[:3]
    if subjects:
        OutreachInvitation.objects.bulk_create(
            [
                OutreachInvitation(exam=block1, student=m, subject=subjects[0], invited_by=people.get("admin"),
                                   invited_at=now - timedelta(weeks=6))  # fmt: skip
                for m in strugglers
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
