"""Existing exam results move to the catalogue: one percent block exam per distinct (name, date)."""

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from tests.factories import MenteeFactory

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("reports", "0002_single_line_text_validators"), ("program", "0001_calendar_exams_and_rules")]
AFTER = [("reports", "0004_exam_results_drop_name_and_date")]


def _apps_at(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_results_move_to_a_catalogue_exam_per_name_and_date_reusing_one_that_exists():
    old = _apps_at(BEFORE)
    user, other = MenteeFactory(email="ann@school.edu").pk, MenteeFactory(email="ben@school.edu").pk  # accounts stays current
    exam_model = old.get_model("program", "Exam")
    existing = exam_model.objects.create(name="Block 1", first_day=date(2026, 1, 10), last_day=date(2026, 1, 10),
                                         kind="block", scale="percent")  # fmt: skip
    results = old.get_model("reports", "ExamResult").objects
    now = timezone.now()
    results.create(student_id=user, exam_name="block 1", exam_date=date(2026, 1, 10), score=81, imported_at=now)
    results.create(student_id=other, exam_name="block 1", exam_date=date(2026, 1, 10), score=70, imported_at=now)
    results.create(student_id=user, exam_name="Block 2", exam_date=date(2026, 3, 16), score=90, imported_at=now)
    try:
        new = _apps_at(AFTER)
        emails = {user: "ann@school.edu", other: "ben@school.edu"}
        moved = {(emails[r.student_id], r.exam.name, r.exam.first_day, r.exam.scale, r.exam.kind, r.exam_id == existing.pk)
                 for r in new.get_model("reports", "ExamResult").objects.select_related("exam")}  # fmt: skip
        assert moved == {
            ("ann@school.edu", "Block 1", date(2026, 1, 10), "percent", "block", True),
            ("ben@school.edu", "Block 1", date(2026, 1, 10), "percent", "block", True),
            ("ann@school.edu", "Block 2", date(2026, 3, 16), "percent", "block", False),
        }
    finally:
        _apps_at(MigrationExecutor(connection).loader.graph.leaf_nodes())
