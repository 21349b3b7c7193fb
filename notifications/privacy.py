"""The notifications part of a user's data export and of account deletion (see accounts.services)."""

from django.db.models import Q

from notifications.models import OutboundEmail


def _emails_of(user):
    return OutboundEmail.objects.filter(Q(recipient=user) | Q(to_address__iexact=user.email))


def export_user_data(user) -> dict:
    return {
        "emails": [
            {"kind": e.kind, "subject": e.subject, "status": e.status, "created_at": e.created_at.isoformat()}
            for e in _emails_of(user).order_by("created_at")
        ]
    }


def erase_user_data(user) -> None:
    # Email copies hold names, addresses and message text; nothing aggregates over them.
    _emails_of(user).delete()
