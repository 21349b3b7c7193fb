"""Who may do what in the matching domain (see accounts/permissions.py)."""

from typing import TYPE_CHECKING

from accounts.permissions import rule

if TYPE_CHECKING:
    from accounts.models import User
    from mentorship.models import Mentorship


@rule("matching.request")
def request_mentor(user: "User", obj: object = None) -> bool:
    return user.is_mentee


@rule("matching.respond")
def respond_to_request(user: "User", mentorship: "Mentorship | None" = None) -> bool:
    """Approved mentors; for a given request, only the mentor it was sent to."""
    if not user.is_mentor:
        return False
    return mentorship is None or mentorship.mentor_id == user.pk


@rule("matching.withdraw")
def withdraw_request(user: "User", mentorship: "Mentorship | None" = None) -> bool:
    return mentorship is None or mentorship.mentee_id == user.pk


@rule("matching.end")
def end_pair(user: "User", mentorship: "Mentorship | None" = None) -> bool:
    return mentorship is None or user.pk in (mentorship.mentor_id, mentorship.mentee_id)

# Matching rounds and the subject catalogue use "program.administer" (accounts/rules.py).
