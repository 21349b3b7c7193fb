"""Program admins' reads of individual education records (exam scores, notes, attendance) are logged."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AccessEvent
from reports.models import ExamImport, ExamResult
from tests.factories import AttendanceFactory, ExamFactory, MenteeFactory, OutcomeNoteFactory, ProgramAdminFactory

pytestmark = pytest.mark.django_db


def test_an_admin_previewing_an_exam_file_with_student_scores_is_logged(client):
    admin, mentee = ProgramAdminFactory(), MenteeFactory()
    pending = ExamImport.objects.create(
        uploaded_by=admin, content=f"email,exam,date,score\n{mentee.email},Anatomy,2026-01-10,81\n"
    )
    client.force_login(admin)

    client.get(reverse("reports:exam_import_preview", kwargs={"pk": pending.pk}))

    event = AccessEvent.objects.get()
    assert (event.actor, event.action, event.object_id) == (admin, "exam_import.read", str(pending.pk))


def test_an_admin_opening_a_students_exam_result_in_django_admin_is_logged_against_the_student(client):
    admin, mentee = ProgramAdminFactory(is_staff=True, is_superuser=True), MenteeFactory()
    exam = ExamFactory(name="Anatomy", first_day=date(2026, 1, 10))
    result = ExamResult.objects.create(student=mentee, exam=exam, score=81, imported_at=timezone.now())
    client.force_login(admin)

    response = client.get(reverse("admin:reports_examresult_change", args=[result.pk]))

    assert response.status_code == 200
    event = AccessEvent.objects.get()
    assert (event.actor, event.action, event.student) == (admin, "exam_result.read (admin)", mentee)


def test_an_admin_listing_exam_results_in_django_admin_is_logged(client):
    admin = ProgramAdminFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)

    client.get(reverse("admin:reports_examresult_changelist"))

    assert AccessEvent.objects.get().action == "exam_result.read (admin list)"


@pytest.mark.parametrize("record", ["outcome_note", "attendance"])
def test_an_admin_opening_a_note_or_attendance_in_django_admin_is_logged(client, record):
    admin = ProgramAdminFactory(is_staff=True, is_superuser=True)
    obj = OutcomeNoteFactory() if record == "outcome_note" else AttendanceFactory()
    client.force_login(admin)

    client.get(reverse(f"admin:review_sessions_{obj._meta.model_name}_change", args=[obj.pk]))

    assert AccessEvent.objects.get().action == f"{record}.read (admin)"
