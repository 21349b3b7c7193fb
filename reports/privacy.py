"""The reports part of a user's data export (accounts.services.privacy_modules): their exam results
and the outreach invitations they received. Deletion keeps the results (the account is anonymised
and left out of every estimate), like attendance."""

from typing import TYPE_CHECKING, Any

from reports.models import ExamResult, OutreachInvitation

if TYPE_CHECKING:
    from accounts.models import User


def export_user_data(user: "User") -> dict[str, list[dict[str, Any]]]:
    results = ExamResult.objects.filter(student=user).select_related("exam")
    invitations = OutreachInvitation.objects.filter(student=user).select_related("exam", "subject")
    return {
        "exam_results": [
            {
                "exam": r.exam.name,
                "kind": r.exam.get_kind_display(),
                "first_day": r.exam.first_day.isoformat(),
                "scale": r.exam.scale_label(),
                "result": r.display_result(),
                "imported_at": r.imported_at.isoformat(),
            }
            for r in results
        ],
        "outreach_invitations": [
            {"exam": i.exam.name, "subject": i.subject.name, "invited_at": i.invited_at.isoformat()} for i in invitations
        ],
    }
