"""Who may do what in the matching domain (see accounts/permissions.py)."""

from accounts.permissions import rule


@rule("matching.request")
def request_mentor(user, obj=None) -> bool:
    return user.is_mentee


@rule("matching.respond")
def respond_to_request(user, mentorship=None) -> bool:
    """Approved mentors; for a given request, only the mentor it was sent to."""
    if not user.is_mentor:
        return False
    return mentorship is None or mentorship.mentor_id == user.pk


@rule("matching.withdraw")
def withdraw_request(user, mentorship=None) -> bool:
    return mentorship is None or mentorship.mentee_id == user.pk


@rule("matching.end")
def end_pair(user, mentorship=None) -> bool:
    return mentorship is None or user.pk in (mentorship.mentor_id, mentorship.mentee_id)


@rule("matching.run_rounds")
def run_rounds(user, obj=None) -> bool:
    # The same right as every other program-administration page (MFA is enforced there too).
    from accounts.permissions import can

    return can(user, "program.administer")
