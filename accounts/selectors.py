"""Reads for the accounts pages, with the joins each page needs."""

from django.db.models import Prefetch, Q, QuerySet

from accounts.models import Invitation, MentorApplication, OfferedSubject, User, WantedSubject


def mentor_applications_queue() -> QuerySet[MentorApplication]:
    """Pending applications, oldest first (first come, first decided)."""
    return (
        MentorApplication.objects.filter(status=MentorApplication.Status.PENDING)
        .select_related("user")
        .prefetch_related("subjects")
        .order_by("created_at")
    )


def recently_decided_applications(limit: int = 20) -> QuerySet[MentorApplication]:
    return (
        MentorApplication.objects.exclude(status=MentorApplication.Status.PENDING)
        .select_related("user", "decided_by")
        .prefetch_related("subjects")
        .order_by("-decided_at")[:limit]
    )


def pending_application_count() -> int:
    return MentorApplication.objects.filter(status=MentorApplication.Status.PENDING).count()


def latest_mentor_application(user: User) -> MentorApplication | None:
    return MentorApplication.objects.filter(user=user).prefetch_related("subjects").order_by("-created_at").first()


ROLE_FILTERS = {
    "mentee": Q(is_mentee=True),
    "mentor": Q(is_mentor=True),
    "admin": Q(is_program_admin=True),
    "not_onboarded": Q(onboarded_at__isnull=True),
}


def people(*, search: str = "", role: str = "") -> QuerySet[User]:
    """Active (not deleted) people for the program admins' list, with their subjects."""
    users = User.objects.filter(deleted_at__isnull=True).prefetch_related(
        Prefetch("wanted_subjects", queryset=WantedSubject.objects.select_related("subject").order_by("rank")),
        Prefetch("offered_subjects", queryset=OfferedSubject.objects.select_related("subject")),
    )
    if search:
        users = users.filter(
            Q(email__icontains=search) | Q(first_name__icontains=search) | Q(last_name__icontains=search)
        )
    if role in ROLE_FILTERS:
        users = users.filter(ROLE_FILTERS[role])
    return users.order_by("last_name", "first_name", "email")


def open_invitations() -> QuerySet[Invitation]:
    return Invitation.objects.filter(accepted_at__isnull=True).select_related("invited_by").order_by("-created_at")
