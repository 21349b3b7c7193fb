"""Reads of check-in, for the mentor's pages (sessions' attendance form reads `check_ins_by_mentee`)."""

from checkin.models import CheckIn
from sessions.models import Occurrence


def check_ins_by_mentee(occurrence: Occurrence) -> dict[int, CheckIn]:
    """mentee id -> their check-in at `occurrence`, with the mentee loaded."""
    return {c.mentee_id: c for c in CheckIn.objects.filter(occurrence=occurrence).select_related("mentee")}


def check_ins(occurrence: Occurrence) -> list[CheckIn]:
    return list(CheckIn.objects.filter(occurrence=occurrence).select_related("mentee").order_by("checked_in_at", "pk"))
