"""Demo exams and results with a planted effect and a planted selection bias, so the report's
estimate has something honest to show.

Block 1 (seven weeks ago, before the demo sessions began) and Block 2 (yesterday) are percent
block exams on the same subjects. Students who scored low on Block 1 attended more sessions (the
selection bias real programs see); Block 2 follows Block 1 plus about 4 points for 4 or more
sessions. Raw means make the sessions look harmful; the estimate adjusted for Block 1 shows the
planted gain with its interval. An NBME CBSE (scaled 1-300, no earlier CBSE) shows the
"no previous exam" case, and invitations to Block 1's three lowest scorers show the outreach figures.

Run after the sessions demo (attendance comes from there): listed in SEED_STEPS after it.
"""

import random
from datetime import timedelta
from decimal import Decimal

from django.db.models import Count
from django.utils import timezone

from program.models import Exam
from reports.models import ExamResult, OutreachInvitation
from reports.periods import day_bounds, program_today
from sessions.models import Attendance, ReviewSeries
from subjects.models import Subject


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
    """The fewest of the demo sessions' subjects whose attendance spreads mentees over 0, 1-3 and 4+."""
    chosen: list[Subject] = []
    ids = ReviewSeries.objects.values_list("subject_id", flat=True).distinct().order_by("subject_id")
    for subject in Subject.objects.filter(pk__in=ids).order_by("name"):
        chosen.append(subject)
        counts = _sessions_before(mentees, chosen, exam)
        values = [counts.get(m.pk, 0) for m in mentees]
        if sum(v >= 4 for v in values) >= 8 and sum(1 <= v <= 3 for v in values) >= 6:
            break
    return chosen


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
