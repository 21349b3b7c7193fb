"""The roster's part of a user's data export and account deletion (see accounts.services)."""

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from accounts.models import User


def export_user_data(user: "User") -> dict[str, str]:
    from roster.models import RosterEntry

    entry = RosterEntry.objects.filter(user=user).first()
    return {"student_id": entry.student_id, "cohort": entry.cohort} if entry else {}


def erase_user_data(user: "User") -> None:
    from roster.models import RosterEntry

    RosterEntry.objects.filter(user=user).delete()
