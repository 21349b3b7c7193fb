"""The notifications part of a user's data export and of account deletion (see accounts.services)."""

from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet

from notifications.models import OutboundEmail

if TYPE_CHECKING:
    # The user model, named through the one app module notifications may import (test_layering).
    from accounts.permissions import User


def _emails_of(user: "User") -> QuerySet[OutboundEmail]:
    return OutboundEmail.objects.filter(Q(recipient=user) | Q(to_address__iexact=user.email))


def export_user_data(user: "User") -> dict[str, list[dict[str, Any]]]:
    return {
        "emails": [
            {"kind": e.kind, "subject": e.subject, "status": e.status, "created_at": e.created_at.isoformat()}
            for e in _emails_of(user).order_by("created_at")
        ]
    }


def erase_user_data(user: "User") -> None:
    # Email copies hold names, addresses and message text; nothing aggregates over them.
    _emails_of(user).delete()
