"""Who may do what with the session survey. Views ask through accounts.permissions.can/require."""

from typing import TYPE_CHECKING

from accounts.permissions import rule
from sessions.models import ReviewSeries

if TYPE_CHECKING:
    from accounts.models import User


@rule("feedback.answer")
def answer(user: "User", obj: object | None = None) -> bool:
    """Mentees answer for themselves; attendance and the window are the service's rules."""
    return user.is_mentee


@rule("feedback.configure")
def configure(user: "User", obj: object | None = None) -> bool:
    return user.is_program_admin


@rule("feedback.view_series")
def view_series(user: "User", obj: ReviewSeries) -> bool:
    """A series' aggregated feedback: its mentor and program admins."""
    return user.is_program_admin or obj.mentor_id == user.pk


@rule("feedback.read_answers")
def read_answers(user: "User", obj: ReviewSeries | None = None) -> bool:
    """Who said what, every comment: program admins only (each read audit-logged)."""
    return user.is_program_admin


@rule("feedback.own_feedback")
def own_feedback(user: "User", obj: object | None = None) -> bool:
    return user.is_mentor
