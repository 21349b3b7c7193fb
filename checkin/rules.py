"""Who may do what at check-in. Views ask through accounts.permissions.can/require."""

from typing import TYPE_CHECKING

from accounts.permissions import rule
from sessions.models import Occurrence

if TYPE_CHECKING:
    from accounts.models import User


@rule("checkin.present")
def present(user: "User", obj: Occurrence) -> bool:
    """The QR code and the changing code: the session's own mentor only."""
    return obj.series.mentor_id == user.pk


@rule("checkin.check_in")
def check_in(user: "User", obj: object | None = None) -> bool:
    """Mentees check themselves in; the window, the code and the seat rules are the service's."""
    return user.is_mentee
