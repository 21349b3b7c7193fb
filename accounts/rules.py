from accounts.models import User
from accounts.permissions import rule


@rule("program.administer")
def program_administer(user: User, obj: object | None = None) -> bool:
    return user.is_program_admin


@rule("mentor.act")
def mentor_act(user: User, obj: object | None = None) -> bool:
    """Publish sessions, take mentees: approved mentors only."""
    return user.is_mentor


@rule("mentee.act")
def mentee_act(user: User, obj: object | None = None) -> bool:
    return user.is_mentee


@rule("accounts.apply_to_mentor")
def apply_to_mentor(user: User, obj: object | None = None) -> bool:
    """Any student may open the application; services.mentor_eligibility_problem says if they qualify."""
    return not user.is_mentor
