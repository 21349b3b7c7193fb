from django import template

from accounts import selectors, services
from accounts.models import MentorApplication, User

register = template.Library()


@register.simple_tag
def pending_mentor_applications() -> int:
    return selectors.pending_application_count()


@register.simple_tag
def latest_mentor_application(user: User) -> MentorApplication | None:
    return selectors.latest_mentor_application(user)


@register.simple_tag
def may_apply_to_mentor(user: User) -> bool:
    return not user.is_program_admin and services.mentor_eligibility_problem(user) is None


@register.simple_tag
def wanted_subject_names(user: User) -> list[str]:
    """The subjects `user` wants help in, most wanted first."""
    return list(user.wanted_subjects.order_by("rank").values_list("subject__name", flat=True))


@register.simple_tag
def demo_admin() -> dict[str, str] | None:
    """The demo program admin's email and TOTP secret when the demo data is loaded (seed_demo)."""
    from accounts.demo import DEMO_ADMIN_TOTP_SECRET, DEMO_DOMAIN

    email = f"admin@{DEMO_DOMAIN}"
    if not User.objects.filter(email=email).exists():
        return None
    return {"email": email, "secret": DEMO_ADMIN_TOTP_SECRET}
