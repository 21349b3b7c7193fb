"""The teaching part of a user's data export and of account deletion (accounts.services.privacy_modules).

Deletion keeps the endorsed figures (the program's aggregates) but revokes the certificates, whose
links would otherwise show an anonymised account, and removes the experience text the mentor wrote."""

from typing import TYPE_CHECKING, Any

from django.utils import timezone

from teaching.models import Certificate, Endorsement, ExperienceEntry, MilestoneAward, RequirementCompletion

if TYPE_CHECKING:
    from accounts.models import User


def export_user_data(user: "User") -> dict[str, list[dict[str, Any]]]:
    return {
        "endorsed_terms": [
            {"term": e.term_name, "first_day": e.first_day.isoformat(), "last_day": e.last_day.isoformat(),
             "sessions_held": e.sessions_held, "verified_hours": str(e.verified_hours),
             "unique_mentees": e.unique_mentees, "note": e.note, "endorsed_at": e.endorsed_at.isoformat()}
            for e in Endorsement.objects.filter(mentor=user)
        ],
        "experience_text": [{"text": x.text} for x in ExperienceEntry.objects.filter(mentor=user)],
        "milestones": [{"hours": m.hours, "reached_at": m.reached_at.isoformat()} for m in MilestoneAward.objects.filter(mentor=user)],
        "requirements_completed": [
            {"requirement": c.requirement.name, "completed_on": c.completed_on.isoformat()}
            for c in RequirementCompletion.objects.filter(mentor=user).select_related("requirement")
        ],
    }  # fmt: skip


def erase_user_data(user: "User") -> None:
    Certificate.objects.valid().filter(endorsement__mentor=user).update(revoked_at=timezone.now())
    ExperienceEntry.objects.filter(mentor=user).delete()
