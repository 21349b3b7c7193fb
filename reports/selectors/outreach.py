"""Outreach after an exam: students who struggled in a subject and never came to its sessions.

A student *struggled* when they failed a pass/fail exam or scored below the threshold (in the
exam's own units; the default is REPORT_OUTREACH_THRESHOLD_PERCENT of the exam's scale). They
are on the list when they have never attended a session in the subject (up to now: a student who
started coming after the exam has found the sessions already). Deleted and inactive accounts are
left out. `outreach_summary` counts, of the students invited after an exam, those who attended a
session in the invitation's subject that started after the invitation.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from accounts.models import User
from program.models import Exam
from reports.models import ExamResult, OutreachInvitation
from reports.selectors.filters import ATTENDED
from sessions.models import Attendance, Occurrence
from subjects.models import Subject

UPCOMING_SHOWN = 10


@dataclass(frozen=True)
class Struggler:
    student: User
    result: str
    invited_at: datetime | None


@dataclass(frozen=True)
class OutreachSummary:
    invited: int
    attended: int


def default_threshold(exam: Exam) -> Decimal | None:
    """The score below which a student struggled, in the exam's units (None for pass/fail: a fail)."""
    share = Decimal(settings.REPORT_OUTREACH_THRESHOLD_PERCENT) / 100
    if exam.is_pass_fail:
        return None
    if exam.scale == Exam.Scale.SCALED and exam.scale_min is not None and exam.scale_max is not None:
        return (exam.scale_min + share * (exam.scale_max - exam.scale_min)).quantize(Decimal("1"))
    return (share * 100).quantize(Decimal("0.01"))


def struggling_students(*, exam: Exam, subject: Subject, below: Decimal | None) -> list[Struggler]:
    """Who struggled on `exam` and never attended a session in `subject`, with any invitation (2 queries)."""
    struggled = Q(passed=False) if exam.is_pass_fail else Q(score__lt=below)
    came = Attendance.objects.filter(
        mentee_id=OuterRef("student_id"), status=ATTENDED, occurrence__series__subject=subject
    )
    results = list(
        ExamResult.objects.filter(struggled, exam=exam, student__is_active=True, student__deleted_at__isnull=True)
        .exclude(Exists(came))
        .select_related("student")
        .order_by("score", "student__last_name", "student__first_name", "pk")
    )
    invited = dict(
        OutreachInvitation.objects.filter(exam=exam, student_id__in=[r.student_id for r in results]).values_list(
            "student_id", "invited_at"
        )
    )
    return [Struggler(r.student, r.display_result(), invited.get(r.student_id)) for r in results]


def upcoming_sessions_in(subject: Subject, now: datetime | None = None) -> list[Occurrence]:
    return list(
        Occurrence.objects.upcoming(now)
        .filter(series__subject=subject, series__status="active")
        .select_related("series", "series__mentor")
        .order_by("starts_at", "pk")[:UPCOMING_SHOWN]
    )


def outreach_summary(exam: Exam) -> OutreachSummary:
    """Invited after `exam`, and of them, who attended a session in the subject since (2 queries)."""
    invitations = OutreachInvitation.objects.filter(exam=exam)
    came = Attendance.objects.filter(
        mentee_id=OuterRef("student_id"), status=ATTENDED, occurrence__series__subject_id=OuterRef("subject_id"),
        occurrence__starts_at__gt=OuterRef("invited_at"), occurrence__starts_at__lte=timezone.now(),
    )  # fmt: skip
    return OutreachSummary(invitations.count(), invitations.filter(Exists(came)).count())


def exams_with_results() -> list[Exam]:
    return list(Exam.objects.filter(Exists(ExamResult.objects.filter(exam_id=OuterRef("pk")))).order_by("-first_day", "name"))


__all__ = ["OutreachSummary", "Struggler", "default_threshold", "exams_with_results", "outreach_summary",
           "struggling_students", "upcoming_sessions_in"]  # fmt: skip
