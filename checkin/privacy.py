"""Check-ins in a user's data export (accounts.services.privacy_modules). Deletion keeps them, as it
keeps attendance: the account row stays, anonymised, so the program's figures stay right."""

from typing import TYPE_CHECKING, Any

from checkin.models import CheckIn

if TYPE_CHECKING:
    from accounts.models import User


def export_user_data(user: "User") -> dict[str, list[dict[str, Any]]]:
    return {
        "check_ins": [
            {"session": c.occurrence.series.title, "checked_in_at": c.checked_in_at.isoformat(), "walk_in": c.walk_in}
            for c in CheckIn.objects.filter(mentee=user).select_related("occurrence__series")
        ]
    }
