"""The roster's part of a user's data export and account deletion (see accounts.services)."""


def export_user_data(user) -> dict:
    from roster.models import RosterEntry

    entry = RosterEntry.objects.filter(user=user).first()
    return {"student_id": entry.student_id, "cohort": entry.cohort} if entry else {}


def erase_user_data(user) -> None:
    from roster.models import RosterEntry

    RosterEntry.objects.filter(user=user).delete()
