"""The accounts part of a user's data export and of account deletion (see services.privacy_modules)."""

from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.utils import timezone

from accounts.availability import describe_slots
from accounts.models import Invitation, MentorApplication, OfferedSubject, User, WantedSubject


def export_user_data(user: User) -> dict[str, Any]:
    applications = MentorApplication.objects.filter(user=user).prefetch_related("subjects")
    return {
        "profile": {
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "graduation_year": user.graduation_year,
            "class_year": user.class_year_label,
            "time_zone": user.time_zone,
            "bio": user.bio,
            "specialty_interest": user.specialty_interest,
            "availability": list(user.availability),
            "availability_text": describe_slots(user.availability),
            "mentor_capacity": user.mentor_capacity,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
            "onboarded_at": user.onboarded_at.isoformat() if user.onboarded_at else None,
        },
        "roles": {"mentee": user.is_mentee, "mentor": user.is_mentor, "program_admin": user.is_program_admin},
        "preferences": {
            "reminder_offsets_hours": list(user.reminder_offsets_hours),
            "muted_email_categories": list(user.muted_email_categories),
            "email_opt_out": user.email_opt_out,
        },
        "email_addresses": [
            {"email": e.email, "verified": e.verified, "primary": e.primary}
            for e in EmailAddress.objects.filter(user=user)
        ],
        "two_factor_methods": sorted(Authenticator.objects.filter(user=user).values_list("type", flat=True)),
        "wanted_subjects": [
            {"subject": w.subject.name, "rank": w.rank}
            for w in WantedSubject.objects.filter(user=user).select_related("subject")
        ],
        "offered_subjects": sorted(
            OfferedSubject.objects.filter(user=user).values_list("subject__name", flat=True)
        ),
        "mentor_applications": [
            {
                "subjects": sorted(s.name for s in a.subjects.all()),
                "motivation": a.motivation,
                "status": a.status,
                "created_at": a.created_at.isoformat(),
                "decided_at": a.decided_at.isoformat() if a.decided_at else None,
                "decision_message": a.decision_message,
            }
            for a in applications
        ],
    }


def erase_user_data(user: User) -> None:
    """Remove what identifies the person; the User row itself is anonymised by delete_account."""
    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    Invitation.objects.filter(email__iexact=user.email).delete()
    WantedSubject.objects.filter(user=user).delete()
    OfferedSubject.objects.filter(user=user).delete()
    # Decisions stay countable; the free text the person (or an admin, about them) wrote goes.
    MentorApplication.objects.filter(user=user, status=MentorApplication.Status.PENDING).update(
        status=MentorApplication.Status.DECLINED, decided_at=timezone.now()
    )
    MentorApplication.objects.filter(user=user).update(motivation="", decision_message="")

