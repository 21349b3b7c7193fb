"""Outreach after an exam: who struggled and never came, one invitation each per exam, and who came after."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from audit.models import AccessEvent
from notifications.models import OutboundEmail
from reports.models import OutreachInvitation
from reports.selectors import outreach
from reports.services import OutreachError, invite_struggling_students
from tests.factories import ExamFactory, MenteeFactory, ProgramAdminFactory, SubjectFactory
from tests.test_reports.factories import AttendanceFactory, ExamResultFactory, OccurrenceFactory, ReviewSeriesFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    anatomy = SubjectFactory(name="Anatomy")
    exam = ExamFactory(name="Block 2", first_day=date(2026, 3, 16), subjects=[anatomy])
    series = ReviewSeriesFactory(subject=anatomy, title="Anatomy weekly review")
    past = OccurrenceFactory(series=series, starts_at=timezone.now() - timedelta(days=30))
    upcoming = OccurrenceFactory(series=series, starts_at=timezone.now() + timedelta(days=3))
    low, low_but_came, fine = MenteeFactory(first_name="Low"), MenteeFactory(), MenteeFactory()
    ExamResultFactory(student=low, exam=exam, score=Decimal("55"))
    ExamResultFactory(student=low_but_came, exam=exam, score=Decimal("50"))
    ExamResultFactory(student=fine, exam=exam, score=Decimal("85"))
    AttendanceFactory(occurrence=past, mentee=low_but_came)
    return {"anatomy": anatomy, "exam": exam, "low": low, "came": low_but_came, "fine": fine,
            "upcoming": upcoming, "series": series, "admin": ProgramAdminFactory()}  # fmt: skip


def _invite(world, below=Decimal("70")):
    return invite_struggling_students(exam=world["exam"], subject=world["anatomy"], below=below, invited_by=world["admin"])


def test_the_list_is_who_scored_below_the_threshold_and_never_attended_the_subject(world):
    rows = outreach.struggling_students(exam=world["exam"], subject=world["anatomy"], below=Decimal("70"))
    assert [(r.student, r.result) for r in rows] == [(world["low"], "55")]


def test_a_pass_fail_exam_lists_who_failed(world):
    step1 = ExamFactory(name="Step 1", kind="step1", scale="pass_fail", first_day=date(2026, 3, 20))
    ExamResultFactory(student=world["low"], exam=step1, score=None, passed=False)
    ExamResultFactory(student=world["fine"], exam=step1, score=None, passed=True)
    rows = outreach.struggling_students(exam=step1, subject=world["anatomy"], below=None)
    assert [(r.student, r.result) for r in rows] == [(world["low"], "Fail")]


def test_the_default_threshold_is_a_share_of_the_exams_scale(settings):
    settings.REPORT_OUTREACH_THRESHOLD_PERCENT = 70
    assert outreach.default_threshold(ExamFactory.build(scale="percent")) == Decimal("70")
    assert outreach.default_threshold(ExamFactory.build(scale="scaled", scale_min=100, scale_max=300)) == Decimal("240")
    assert outreach.default_threshold(ExamFactory.build(scale="pass_fail")) is None


def test_inviting_emails_each_student_on_the_list_through_the_outbox(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks():
        invitations = _invite(world)
    assert [i.student for i in invitations] == [world["low"]]
    email = OutboundEmail.objects.get()
    assert (email.kind, email.to_address) == ("exam_outreach", world["low"].email)
    assert "Anatomy weekly review" in email.body_text and "Anatomy" in email.subject


def test_a_student_is_invited_once_per_exam_however_often_the_button_is_pressed(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks():
        _invite(world)
    with pytest.raises(OutreachError, match="already been invited"):
        _invite(world)
    assert OutboundEmail.objects.count() == 1 and OutreachInvitation.objects.count() == 1


def test_the_database_refuses_a_second_invitation_for_the_same_exam(world):
    OutreachInvitation.objects.create(exam=world["exam"], student=world["low"], subject=world["anatomy"], invited_at=timezone.now())
    with pytest.raises(IntegrityError), transaction.atomic():
        OutreachInvitation.objects.create(exam=world["exam"], student=world["low"], subject=world["anatomy"], invited_at=timezone.now())


def test_without_an_upcoming_session_nobody_is_invited(world):
    world["upcoming"].delete()
    with pytest.raises(OutreachError, match="no upcoming Anatomy session"):
        _invite(world)
    assert not OutreachInvitation.objects.exists()


def test_the_summary_counts_invited_students_who_attended_the_subject_afterwards(world):
    OutreachInvitation.objects.create(exam=world["exam"], student=world["low"], subject=world["anatomy"],
                                      invited_at=timezone.now() - timedelta(days=10))  # fmt: skip
    OutreachInvitation.objects.create(exam=world["exam"], student=world["fine"], subject=world["anatomy"],
                                      invited_at=timezone.now() - timedelta(days=10))  # fmt: skip
    AttendanceFactory(occurrence=OccurrenceFactory(series=world["series"], starts_at=timezone.now() - timedelta(days=2)),
                      mentee=world["low"])  # fmt: skip
    AttendanceFactory(occurrence=OccurrenceFactory(series=world["series"], starts_at=timezone.now() - timedelta(days=20)),
                      mentee=world["fine"])  # before the invitation: does not count  # fmt: skip
    assert outreach.outreach_summary(world["exam"]) == outreach.OutreachSummary(invited=2, attended=1)


def test_every_view_of_the_list_is_audit_logged(client, world):
    client.force_login(world["admin"])
    url = reverse("reports:exam_outreach")
    query = {"exam": world["exam"].pk, "subject": world["anatomy"].pk, "below": "70"}
    first, second = client.get(url, query), client.get(url, query)
    assert first.status_code == second.status_code == 200
    assert world["low"].email in first.content.decode()
    assert list(AccessEvent.objects.values_list("action", "object_id")) == [("exam_outreach.read", str(world["exam"].pk))] * 2


def test_the_invite_button_invites_and_the_page_says_so(client, world, django_capture_on_commit_callbacks):
    client.force_login(world["admin"])
    with django_capture_on_commit_callbacks():
        response = client.post(reverse("reports:exam_outreach"),
                               {"exam": world["exam"].pk, "subject": world["anatomy"].pk, "below": "70"})  # fmt: skip
    assert response.status_code == 200
    assert "Invited 1 student" in response.content.decode()
    again = client.post(reverse("reports:exam_outreach"), {"exam": world["exam"].pk, "subject": world["anatomy"].pk, "below": "70"})
    assert again.status_code == 400 and "already been invited" in again.content.decode()


def test_a_mentee_cannot_see_the_list(client, world):
    client.force_login(world["low"])
    response = client.get(reverse("reports:exam_outreach"), {"exam": world["exam"].pk, "subject": world["anatomy"].pk})
    assert response.status_code == 403
    assert not AccessEvent.objects.exists()


def test_the_outreach_form_offers_only_exams_with_results_newest_first():
    from datetime import date

    from reports.forms import OutreachForm
    from tests.factories import ExamFactory, MenteeFactory
    from tests.test_reports.factories import ExamResultFactory

    sat, older = ExamFactory(name="Block 2", first_day=date(2026, 3, 16)), ExamFactory(name="Block 1", first_day=date(2026, 2, 9))
    ExamFactory(name="CBSE", first_day=date(2027, 1, 23))  # ahead: nobody has sat it
    for exam in (sat, older):
        ExamResultFactory(student=MenteeFactory(), exam=exam, score=60)

    assert list(OutreachForm().fields["exam"].queryset) == [sat, older]
