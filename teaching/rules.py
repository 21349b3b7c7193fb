"""Who may see and change teaching records and readiness. Views ask through accounts.permissions."""

from typing import TYPE_CHECKING

from accounts.permissions import rule

if TYPE_CHECKING:
    from accounts.models import User


@rule("teaching.view_own_record")
def view_own_record(user: "User", obj: object | None = None) -> bool:
    """A mentor (current, or a past one with a series) reads their own record."""
    return user.is_mentor or user.review_series.exists()


@rule("teaching.view_record")
def view_record(user: "User", obj: "User | None" = None) -> bool:
    """The mentor themself, or a program admin (any mentor's)."""
    return user.is_program_admin or (obj is not None and obj.pk == user.pk)


@rule("teaching.endorse")
def endorse(user: "User", obj: object | None = None) -> bool:
    return user.is_program_admin


@rule("teaching.manage_readiness")
def manage_readiness(user: "User", obj: object | None = None) -> bool:
    return user.is_program_admin
