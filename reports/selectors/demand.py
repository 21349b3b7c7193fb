"""Demand: waitlists by subject and slot, wanted subjects and mentors with room."""


from django.db.models import (
    Count,
    F,
    OuterRef,
    Q,
)
from django.db.models.functions import Coalesce

from accounts.models import OfferedSubject, WantedSubject
from core.queries import count_per_outer_row
from reports.selectors.filters import (
    ReportFilters,
    _mentee_q,
    _sessions_q,
)
from sessions.models import WaitlistEntry

# ---------------------------------------------------------------------------
# Demand
# ---------------------------------------------------------------------------
_UNMET = Q(status__in=[WaitlistEntry.Status.WAITING, WaitlistEntry.Status.CLOSED])


def _waitlist(f: ReportFilters, *group_by: str) -> list[dict]:
    return list(
        WaitlistEntry.objects.filter(_sessions_q(f, "occurrence__"), _mentee_q(f, "mentee"))
        .values(*group_by)
        .annotate(
            joined=Count("pk"),
            waiting=Count("pk", filter=Q(status=WaitlistEntry.Status.WAITING)),
            promoted=Count("pk", filter=Q(status=WaitlistEntry.Status.PROMOTED)),
            unmet=Count("pk", filter=_UNMET),
            mentees_unmet=Count("mentee", filter=_UNMET, distinct=True),
        )
        .order_by(*group_by)
    )


def waitlist_by_subject(f: ReportFilters) -> list[dict]:
    """Waitlist entries per subject: joined, still waiting, promoted to a seat, unmet (never got one)."""
    rows = _waitlist(f, "occurrence__series__subject__name")
    return [{"subject": row.pop("occurrence__series__subject__name"), **row} for row in rows]


def waitlist_by_slot(f: ReportFilters) -> list[dict]:
    """Waitlist entries per weekday and local start time of the series."""
    rows = _waitlist(f, "occurrence__series__weekday", "occurrence__series__start_time")
    return [
        {"weekday": row.pop("occurrence__series__weekday"), "start_time": row.pop("occurrence__series__start_time"), **row}
        for row in rows
    ]


def active_pairs_by_mentor() -> Coalesce:
    """Active pairs of the mentor in OuterRef("user"), as a subquery."""
    from mentorship.models import Mentorship

    pairs = Mentorship.objects.filter(mentor=OuterRef("user"), status=Mentorship.Status.ACTIVE)
    return count_per_outer_row(pairs, per="mentor")


def subject_coverage(f: ReportFilters) -> list[dict]:
    """Per subject: current mentees who want it, and current approved mentors offering it with room.

    "Room" means fewer active pairs than the mentor's capacity. Subjects wanted by someone with
    no mentor with room are the ones to recruit for. This is today's state, not the date range's.
    """
    live_user = {"is_active": True, "deleted_at__isnull": True}
    wanted = WantedSubject.objects.filter(
        _mentee_q(f, "user"), **{f"user__{k}": v for k, v in live_user.items()}, user__is_mentee=True
    )
    offered = OfferedSubject.objects.filter(**{f"user__{k}": v for k, v in live_user.items()}, user__is_mentor=True)
    if f.subject_id:
        wanted, offered = wanted.filter(subject_id=f.subject_id), offered.filter(subject_id=f.subject_id)
    wanted_rows = wanted.values("subject__name").annotate(mentees=Count("user", distinct=True)).order_by()
    offered_rows = (
        offered.annotate(free=F("user__mentor_capacity") - active_pairs_by_mentor())
        .values("subject__name")
        .annotate(
            mentors=Count("user", distinct=True),
            mentors_with_room=Count("user", filter=Q(free__gt=0), distinct=True),
        )
        .order_by()
    )
    rows: dict[str, dict] = {}
    for row in wanted_rows:
        rows[row["subject__name"]] = {"subject": row["subject__name"], "mentees_wanting": row["mentees"],
                                      "mentors_offering": 0, "mentors_with_room": 0}  # fmt: skip
    for row in offered_rows:
        entry = rows.setdefault(row["subject__name"], {"subject": row["subject__name"], "mentees_wanting": 0})
        entry.update(mentors_offering=row["mentors"], mentors_with_room=row["mentors_with_room"])
    for entry in rows.values():
        entry["uncovered"] = entry["mentees_wanting"] > 0 and entry["mentors_with_room"] == 0
    return sorted(rows.values(), key=lambda row: (not row["uncovered"], row["subject"]))
