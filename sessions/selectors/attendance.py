"""Attendance rules for program admins: mentees' and mentors' no-shows in a term."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from django.db.models import Count, Exists, F, Max, OuterRef, Q, QuerySet, Subquery

from sessions.models import (
    Attendance,
    Booking,
    Occurrence,
)
from sessions.selectors.browse import _now

if TYPE_CHECKING:
    from accounts.models import User


# A session that ended this long ago with booked mentees and no attendance recorded counts as
# the mentor's no-show (they had the day to record it).
MENTOR_NO_SHOW_GRACE = timedelta(days=1)
ATTENDANCE_LIST_LIMIT = 200


@dataclass(frozen=True)
class MenteeNoShows:
    mentee: "User"
    no_shows: int
    late_cancellations: int

    @property
    def total(self) -> int:
        return self.no_shows + self.late_cancellations


@dataclass(frozen=True)
class MentorNoShows:
    mentor: "User"
    sessions: int
    last_started_at: datetime


def _since_clearance(first_day: date) -> Subquery:
    from program.models import NoShowClearance

    return Subquery(
        NoShowClearance.objects.filter(mentee=OuterRef("mentee"), term_first_day=first_day)
        .order_by("-cleared_at")
        .values("cleared_at")[:1]
    )


def mentees_no_shows(*, first_day: date, last_day: date, count_late: bool) -> list[MenteeNoShows]:
    """Mentees with counted no-shows in the term (since their last clearance), most first.

    Counts as sessions.services.count_no_shows does, in three queries for every mentee at once."""
    from accounts.models import User
    from reports.periods import day_bounds

    start, end = day_bounds(first_day, last_day)
    window = Q(occurrence__starts_at__gte=start, occurrence__starts_at__lt=end)
    after_clearance = Q(since__isnull=True) | Q(occurrence__starts_at__gte=F("since"))

    def per_mentee(queryset: QuerySet) -> dict[int, int]:
        rows = queryset.filter(window).annotate(since=_since_clearance(first_day)).filter(after_clearance)
        return dict(rows.order_by().values_list("mentee").annotate(n=Count("pk")).values_list("mentee", "n"))

    no_shows = per_mentee(Attendance.objects.filter(status=Attendance.Status.NO_SHOW))
    late: dict[int, int] = {}
    if count_late:
        late = per_mentee(
            Booking.objects.filter(
                status=Booking.Status.CANCELLED, late_cancel=True, occurrence__status=Occurrence.Status.SCHEDULED
            )
        )
    people = User.objects.in_bulk(set(no_shows) | set(late))
    rows = [MenteeNoShows(people[pk], no_shows.get(pk, 0), late.get(pk, 0)) for pk in people]
    rows.sort(key=lambda r: (-r.total, r.mentee.email))
    return rows[:ATTENDANCE_LIST_LIMIT]


def mentors_no_shows(*, first_day: date, last_day: date, now: datetime | None = None) -> list[MentorNoShows]:
    """Mentors with sessions in the term that were neither held (no attendance recorded for the
    booked mentees) nor cancelled, once MENTOR_NO_SHOW_GRACE has passed since the end."""
    from accounts.models import User
    from reports.periods import day_bounds

    now = _now(now)
    start, end = day_bounds(first_day, last_day)
    rows = (
        Occurrence.objects.scheduled()
        .filter(starts_at__gte=start, starts_at__lt=end, ends_at__lt=now - MENTOR_NO_SHOW_GRACE)
        .filter(Exists(Booking.objects.booked().filter(occurrence=OuterRef("pk"))))
        .filter(~Exists(Attendance.objects.filter(occurrence=OuterRef("pk"))))
        .order_by()
        .values("series__mentor")
        .annotate(n=Count("pk"), last=Max("starts_at"))
    )
    counts = {row["series__mentor"]: (row["n"], row["last"]) for row in rows}
    people = User.objects.in_bulk(list(counts))
    result = [MentorNoShows(people[pk], n, last) for pk, (n, last) in counts.items()]
    result.sort(key=lambda r: (-r.sessions, r.mentor.email))
    return result[:ATTENDANCE_LIST_LIMIT]
