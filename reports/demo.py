"""Demo exam results, so the report's exam outcomes have something to show.

Run after the sessions demo (attendance comes from there): add "reports.demo.seed_reports" to
SEED_STEPS in mentorship/management/commands/seed_demo.py.
"""

import random
from datetime import timedelta

from django.utils import timezone

from reports.models import ExamResult
from reports.periods import program_today


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
