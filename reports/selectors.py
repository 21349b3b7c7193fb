"""Every figure of the impact report, each computed by database aggregation.

Each function runs a fixed number of queries (grouped aggregates, never one query per row),
so the report costs the same number of queries for ten bookings or a million.

Definitions (also shown on the page, "How these figures are counted"):
- A session is in the report when it *starts* within the date range (program time zone, both
  days included). It was *held* if it was not cancelled and has ended; *cancelled* if cancelled.
- Tutoring hours: the scheduled length of held sessions.
- Bookings: every seat booked for a session in range (later cancelled or not). Late cancellations
  are bookings cancelled after the cutoff; the late-cancel rate is their share of bookings.
- Attendance and no-show rates: of seats still booked at held sessions, the share the mentor marked
  attended / no-show (the attendance roster is the booked mentees). Walk-ins (attended without a
  booking) are counted apart and are not in the rate.
- Mentees served: distinct mentees who attended (walk-ins included) a held session.
- Filters: subject and mentor narrow to their sessions. Class year narrows the mentee figures
  (bookings, attendance, mentees served, ratings, waitlists, wanted subjects, exam results); the
  supply figures (sessions, hours, seats, fill rate) stay those of all mentees.
- Deleted (anonymised) accounts: what happened still counts (their sessions and bookings), but they
  are never named; they are left out of current demand and of exam outcomes.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cached_property
from typing import NamedTuple

from django.conf import settings
from django.db import connection
from django.db.models import (
    Avg,
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce, TruncWeek
from django.utils import timezone

from accounts.class_year import graduation_year_for
from accounts.models import OfferedSubject, User, WantedSubject
from reports.aggregates import Median, Seconds
from reports.models import ExamResult
from reports.periods import day_bounds, program_zone
from sessions.models import Attendance, Booking, Occurrence, Rating, ReviewSeries, WaitlistEntry

SCHEDULED = Occurrence.Status.SCHEDULED
CANCELLED = Occurrence.Status.CANCELLED
ATTENDED = Attendance.Status.ATTENDED
NO_SHOW = Attendance.Status.NO_SHOW
EXAM_GROUPS = ["0", "1-3", "4+"]


@dataclass(frozen=True)
class ReportFilters:
    start: date
    end: date  # inclusive
    subject_id: int | None = None
    mentor_id: int | None = None
    class_year: int | None = None
    now: datetime = field(default_factory=timezone.now)

    @property
    def bounds(self) -> tuple[datetime, datetime]:
        return day_bounds(self.start, self.end)

    @property
    def graduation_year(self) -> int | None:
        """The graduation year that makes a student the filtered class year, judged at the range's end."""
        if self.class_year is None:
            return None
        return graduation_year_for(self.class_year, today=min(self.end, timezone.localdate(self.now, program_zone())))


def _sessions_q(f: ReportFilters, to_occurrence: str = "") -> Q:
    """Sessions starting in the range, of the filtered subject and mentor."""
    lo, hi = f.bounds
    q = Q(**{f"{to_occurrence}starts_at__gte": lo, f"{to_occurrence}starts_at__lt": hi})
    if f.subject_id:
        q &= Q(**{f"{to_occurrence}series__subject_id": f.subject_id})
    if f.mentor_id:
        q &= Q(**{f"{to_occurrence}series__mentor_id": f.mentor_id})
    return q


def _held_q(f: ReportFilters, to_occurrence: str = "") -> Q:
    return Q(**{f"{to_occurrence}status": SCHEDULED, f"{to_occurrence}ends_at__lte": f.now})


def _mentee_q(f: ReportFilters, to_mentee: str) -> Q:
    year = f.graduation_year
    return Q(**{f"{to_mentee}__graduation_year": year}) if year is not None else Q()


def _duration() -> ExpressionWrapper:
    return ExpressionWrapper(F("ends_at") - F("starts_at"), output_field=DurationField())


def _hours(value) -> float:
    if value is None:
        return 0.0
    if isinstance(value, timedelta):
        return value.total_seconds() / 3600
    return float(value) / 3_600_000_000  # microseconds, as some backends return a summed interval


def _rate(part: int | None, whole: int | None) -> float | None:
    return (part or 0) / whole if whole else None


def _week(value) -> date:
    if isinstance(value, datetime):
        return (timezone.localtime(value, program_zone()) if timezone.is_aware(value) else value).date()
    return value


def person_name(first: str, last: str, email: str, deleted_at) -> str:
    """How the report names a person: never the details of an anonymised account."""
    if deleted_at is not None:
        return "Deleted account"
    return f"{first} {last}".strip() or email


# ---------------------------------------------------------------------------
# Activity, trends and fill rates share one set of grouped counts, so the big tables are read
# once per report: sessions grouped by week and subject; bookings, attendance and ratings grouped
# by session in the database and summed to weeks and subjects here (a few thousand rows at most),
# which keeps per-row date arithmetic and joins out of the million-row scans.
# ---------------------------------------------------------------------------
class SessionFacts(NamedTuple):
    """What the roll-ups need to know of one session in range."""

    week: date
    subject: str
    held: bool
    scheduled: bool  # not cancelled


class ActivityFacts:
    """Grouped aggregates for one report; build once and pass to the selectors that use them."""

    def __init__(self, f: ReportFilters) -> None:
        self.f = f

    @cached_property
    def sessions(self) -> list[dict]:
        f, held = self.f, _held_q(self.f)
        return list(
            Occurrence.objects.filter(_sessions_q(f))
            .annotate(week=TruncWeek("starts_at", tzinfo=program_zone()))
            .values("week", "series__subject__name")
            .annotate(
                held=Count("pk", filter=held),
                cancelled=Count("pk", filter=Q(status=CANCELLED)),
                upcoming=Count("pk", filter=Q(status=SCHEDULED, ends_at__gt=f.now)),
                duration=Sum(_duration(), filter=held),
                scheduled=Count("pk", filter=Q(status=SCHEDULED)),
                seats=Sum("seats", filter=Q(status=SCHEDULED)),
            )
            .order_by()
        )

    @cached_property
    def occurrence_index(self) -> dict[int, SessionFacts]:
        """Each session in range, by id."""
        f = self.f
        rows = (
            Occurrence.objects.filter(_sessions_q(f))
            .annotate(week=TruncWeek("starts_at", tzinfo=program_zone()))
            .values_list("pk", "week", "series__subject__name", "status", "ends_at")
        )
        return {
            pk: SessionFacts(_week(week), subject, status == SCHEDULED and ends_at <= f.now, status == SCHEDULED)
            for pk, week, subject, status, ends_at in rows
        }

    def _per_session(self, model, **counts) -> list[tuple[SessionFacts, dict]]:
        """`counts` for each session in range, grouped by occurrence in the database (no per-row date
        arithmetic or joins there), each paired with the session's entry in occurrence_index."""
        f = self.f
        in_range = Occurrence.objects.filter(_sessions_q(f)).values("pk")
        rows = (
            model.objects.filter(_mentee_q(f, "mentee"), occurrence__in=in_range)
            .values("occurrence_id")
            .annotate(**counts)
            .order_by()
        )
        index = self.occurrence_index
        return [(index[row["occurrence_id"]], row) for row in rows if row["occurrence_id"] in index]

    @staticmethod
    def _roll_up(pairs, keep, figures: dict) -> list[dict]:
        """Sum per-session rows into (week, subject) rows; `figures` maps output name -> f(session, row)."""
        totals: dict[tuple[date, str], dict] = {}
        for session, row in pairs:
            if not keep(session):
                continue
            week, subject = session.week, session.subject
            entry = totals.setdefault((week, subject), {"week": week, "subject": subject, **dict.fromkeys(figures, 0)})
            for name, value in figures.items():
                entry[name] += value(session, row) or 0
        return list(totals.values())

    @cached_property
    def bookings(self) -> list[dict]:
        pairs = self._per_session(
            Booking,
            total=Count("pk"),
            cancelled=Count("pk", filter=Q(status=Booking.Status.CANCELLED)),
            late_cancelled=Count("pk", filter=Q(status=Booking.Status.CANCELLED, late_cancel=True)),
            booked=Count("pk", filter=Q(status=Booking.Status.BOOKED)),
        )
        return self._roll_up(pairs, lambda session: True, {
            "total": lambda s, r: r["total"],
            "cancelled": lambda s, r: r["cancelled"],
            "late_cancelled": lambda s, r: r["late_cancelled"],
            "at_held": lambda s, r: r["booked"] if s.held else 0,
            "booked_scheduled": lambda s, r: r["booked"] if s.scheduled else 0,
        })  # fmt: skip

    @cached_property
    def attendance(self) -> list[dict]:
        pairs = self._per_session(
            Attendance,
            attended=Count("pk", filter=Q(status=ATTENDED)),
            # The roster is the booked mentees (sessions.services.record_attendance), so a record
            # that is not a walk-in belongs to a seat booked at that session.
            attended_booked=Count("pk", filter=Q(status=ATTENDED, walk_in=False)),
            walk_ins=Count("pk", filter=Q(status=ATTENDED, walk_in=True)),
            no_shows=Count("pk", filter=Q(status=NO_SHOW)),
            excused=Count("pk", filter=Q(status=Attendance.Status.EXCUSED)),
        )
        names = ("attended", "attended_booked", "walk_ins", "no_shows", "excused")
        return self._roll_up(pairs, lambda session: session.held, {n: (lambda s, r, n=n: r[n]) for n in names})

    @cached_property
    def ratings(self) -> list[dict]:
        pairs = self._per_session(Rating, total=Sum("score"), count=Count("pk"))
        return self._roll_up(pairs, lambda session: session.held, {
            "total": lambda s, r: r["total"], "count": lambda s, r: r["count"],
        })  # fmt: skip

    @cached_property
    def served(self) -> tuple[int, dict[int, int]]:
        """Distinct mentees who attended a held session: in all, and per mentor (not sums of weeks).

        One scan of attendance: the distinct (mentor, mentee) pairs, counted per mentor and overall.
        """
        f = self.f
        pairs = (
            Attendance.objects.filter(
                _sessions_q(f, "occurrence__"), _held_q(f, "occurrence__"), _mentee_q(f, "mentee"), status=ATTENDED
            )
            .values_list("occurrence__series__mentor", "mentee")
            .distinct()
            .order_by()
        )
        # The inner SQL is the ORM's own and its values stay parameters, so the f-string is safe (S608/B608).
        inner, params = pairs.query.sql_with_params()
        sql = (
            f"WITH pairs (mentor, mentee) AS ({inner}) "  # noqa: S608  # nosec B608
            "SELECT 'mentor', mentor, COUNT(*) FROM pairs GROUP BY mentor "
            "UNION ALL SELECT 'all', NULL, COUNT(DISTINCT mentee) FROM pairs"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, params)  # the inner query is the ORM's, with its parameters
            rows = cursor.fetchall()
        total = next((n for kind, _, n in rows if kind == "all"), 0)
        return total, {mentor: n for kind, mentor, n in rows if kind == "mentor"}

    @property
    def mentees_served(self) -> int:
        return self.served[0]


WEEK_FIGURES = (
    "held", "cancelled", "upcoming", "hours", "bookings", "bookings_cancelled", "late_cancellations",
    "seats_at_held", "attended_booked", "attended", "walk_ins", "no_shows", "excused",
    "rating_total", "ratings",
)  # fmt: skip


def weekly_trends(f: ReportFilters, facts: ActivityFacts | None = None) -> list[dict]:
    """The main figures for every week (Monday, program time zone) of the range, empty weeks included."""
    facts = facts or ActivityFacts(f)
    by_week: dict[date, dict] = {}
    monday = f.start - timedelta(days=f.start.weekday())
    while monday <= f.end:
        by_week[monday] = {"week": monday, **dict.fromkeys(WEEK_FIGURES, 0)}
        monday += timedelta(days=7)

    def add(rows: list[dict], mapping: dict[str, str]) -> None:
        for row in rows:
            week = by_week.get(_week(row["week"]))
            if week is not None:
                for figure, column in mapping.items():
                    week[figure] += _hours(row[column]) if figure == "hours" else (row[column] or 0)

    add(facts.sessions, {"held": "held", "cancelled": "cancelled", "upcoming": "upcoming", "hours": "duration"})
    add(facts.bookings, {
        "bookings": "total", "bookings_cancelled": "cancelled", "late_cancellations": "late_cancelled",
        "seats_at_held": "at_held",
    })  # fmt: skip
    add(facts.attendance, {k: k for k in ("attended", "attended_booked", "walk_ins", "no_shows", "excused")})
    add(facts.ratings, {"rating_total": "total", "ratings": "count"})
    for week in by_week.values():
        week["attendance_rate"] = _rate(week["attended_booked"], week["seats_at_held"])
        week["no_show_rate"] = _rate(week["no_shows"], week["seats_at_held"])
        week["average_rating"] = week["rating_total"] / week["ratings"] if week["ratings"] else None
    return list(by_week.values())


def activity_summary(f: ReportFilters, facts: ActivityFacts | None = None) -> dict:
    """The headline figures: sessions held and cancelled, hours, bookings, attendance, ratings."""
    facts = facts or ActivityFacts(f)
    weeks = weekly_trends(f, facts)
    total = {figure: sum(week[figure] for week in weeks) for figure in WEEK_FIGURES}
    return {
        "sessions_held": total["held"],
        "sessions_cancelled": total["cancelled"],
        "sessions_upcoming": total["upcoming"],
        "hours_delivered": total["hours"],
        "bookings": total["bookings"],
        "bookings_cancelled": total["bookings_cancelled"],
        "late_cancellations": total["late_cancellations"],
        "late_cancel_rate": _rate(total["late_cancellations"], total["bookings"]),
        "seats_booked_at_held_sessions": total["seats_at_held"],
        "attended_with_booking": total["attended_booked"],
        "walk_ins": total["walk_ins"],
        "no_shows": total["no_shows"],
        "excused": total["excused"],
        "attendance_rate": _rate(total["attended_booked"], total["seats_at_held"]),
        "no_show_rate": _rate(total["no_shows"], total["seats_at_held"]),
        "mentees_served": facts.mentees_served,
        "average_rating": total["rating_total"] / total["ratings"] if total["ratings"] else None,
        "ratings": total["ratings"],
    }


def fill_rate_by_subject(f: ReportFilters, facts: ActivityFacts | None = None) -> list[dict]:
    """Seats offered and still booked in non-cancelled sessions, per subject."""
    facts = facts or ActivityFacts(f)
    rows: dict[str, dict] = {}
    for row in facts.sessions:
        if row["scheduled"]:
            entry = rows.setdefault(row["series__subject__name"], {"sessions": 0, "seats": 0, "booked": 0})
            entry["sessions"] += row["scheduled"]
            entry["seats"] += row["seats"] or 0
    for row in facts.bookings:
        entry = rows.get(row["subject"])
        if entry is not None:
            entry["booked"] += row["booked_scheduled"]
    return [
        {"subject": subject, **entry, "fill_rate": _rate(entry["booked"], entry["seats"])}
        for subject, entry in sorted(rows.items())
    ]


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


def _active_pairs_by_mentor():
    """Active pairs of the mentor in OuterRef("user"), as a subquery."""
    from mentorship.models import Mentorship

    pairs = (
        Mentorship.objects.filter(mentor=OuterRef("user"), status=Mentorship.Status.ACTIVE)
        .order_by()
        .values("mentor")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(pairs, output_field=IntegerField()), 0)


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
        offered.annotate(free=F("user__mentor_capacity") - _active_pairs_by_mentor())
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


# ---------------------------------------------------------------------------
# Mentors
# ---------------------------------------------------------------------------
def mentor_activity(f: ReportFilters, facts: ActivityFacts | None = None) -> list[dict]:
    """Per mentor with a session in range: sessions held, hours, mentees served, notes, rating, active pairs."""
    facts = facts or ActivityFacts(f)
    held = _held_q(f)
    mentor = "series__mentor"
    sessions = (
        Occurrence.objects.filter(_sessions_q(f))
        .values(mentor, f"{mentor}__first_name", f"{mentor}__last_name", f"{mentor}__email", f"{mentor}__deleted_at")
        .annotate(
            held=Count("pk", filter=held),
            cancelled=Count("pk", filter=Q(status=CANCELLED)),
            duration=Sum(_duration(), filter=held),
            noted=Count("pk", filter=held & Q(outcome_note__isnull=False)),
        )
        .order_by()
    )
    ratings = (
        Rating.objects.filter(_sessions_q(f, "occurrence__"), _held_q(f, "occurrence__"), _mentee_q(f, "mentee"))
        .values("occurrence__series__mentor")
        .annotate(average=Avg("score"), count=Count("pk"))
        .order_by()
    )
    pairs = (
        User.objects.filter(review_series__in=Subquery(Occurrence.objects.filter(_sessions_q(f)).values("series")))
        .annotate(user=F("pk"))
        .annotate(pairs=_active_pairs_by_mentor())
        .values("pk", "pairs")
        .distinct()
    )
    served_by = facts.served[1]
    ratings_by = {row["occurrence__series__mentor"]: row for row in ratings}
    pairs_by = {row["pk"]: row["pairs"] for row in pairs}
    rows = []
    for row in sessions:
        mentor_id = row[mentor]
        rating = ratings_by.get(mentor_id, {})
        rows.append({
            "mentor_id": mentor_id,
            "mentor": person_name(row[f"{mentor}__first_name"], row[f"{mentor}__last_name"],
                                  row[f"{mentor}__email"], row[f"{mentor}__deleted_at"]),
            "held": row["held"],
            "cancelled": row["cancelled"],
            "hours": _hours(row["duration"]),
            "mentees_served": served_by.get(mentor_id, 0),
            "notes_written": row["noted"],
            "notes_missing": row["held"] - row["noted"],
            "notes_completion": _rate(row["noted"], row["held"]),
            "average_rating": float(rating["average"]) if rating.get("average") is not None else None,
            "ratings": rating.get("count", 0),
            "active_pairs": pairs_by.get(mentor_id, 0),
        })  # fmt: skip
    return sorted(rows, key=lambda row: (-row["held"], row["mentor"]))


# ---------------------------------------------------------------------------
# Matching
# ---------------------------------------------------------------------------
EARLY_END = timedelta(days=30)


def matching_summary(f: ReportFilters) -> dict:
    """Share of current mentees with an active pair; requests made in range, how fast they were
    accepted (median), pairs made by matching rounds; pairs ended in range, and how many within
    30 days of being matched. Subject, mentor and class year narrow the pairs and mentees counted.
    """
    from mentorship.models import Mentorship

    lo, hi = f.bounds
    pairs = Mentorship.objects.filter(_mentee_q(f, "mentee"))
    if f.subject_id:
        pairs = pairs.filter(subject_links__subject_id=f.subject_id)
    if f.mentor_id:
        pairs = pairs.filter(mentor_id=f.mentor_id)
    mentees = User.objects.filter(_mentee_q(f, ""), is_mentee=True, is_active=True, deleted_at__isnull=True)
    if f.subject_id:
        mentees = mentees.filter(wanted_subjects__subject_id=f.subject_id)
    share = mentees.aggregate(
        mentees=Count("pk", distinct=True),
        matched=Count(
            "pk",
            filter=Q(Exists(pairs.filter(mentee=OuterRef("pk"), status=Mentorship.Status.ACTIVE))),
            distinct=True,
        ),
    )
    accepted = Q(status__in=[Mentorship.Status.ACTIVE, Mentorship.Status.ENDED], responded_at__isnull=False)
    asked = Q(round__isnull=True)
    requests = pairs.filter(requested_at__gte=lo, requested_at__lt=hi).aggregate(
        requested=Count("pk", filter=asked, distinct=True),
        accepted=Count("pk", filter=asked & accepted, distinct=True),
        declined=Count("pk", filter=asked & Q(status=Mentorship.Status.DECLINED), distinct=True),
        expired=Count("pk", filter=asked & Q(status=Mentorship.Status.EXPIRED), distinct=True),
        median_seconds=Median(Seconds(F("responded_at") - F("requested_at")), filter=asked & accepted),
        from_rounds=Count("pk", filter=Q(round__isnull=False), distinct=True),
    )
    ended = pairs.filter(
        status=Mentorship.Status.ENDED, responded_at__isnull=False, ended_at__gte=lo, ended_at__lt=hi
    ).aggregate(
        ended=Count("pk", distinct=True),
        within=Count("pk", filter=Q(ended_at__lt=F("responded_at") + EARLY_END), distinct=True),
    )
    median = requests["median_seconds"]
    return {
        "mentees": share["mentees"],
        "mentees_matched": share["matched"],
        "share_matched": _rate(share["matched"], share["mentees"]),
        "requests": requests["requested"],
        "requests_accepted": requests["accepted"],
        "requests_declined": requests["declined"],
        "requests_expired": requests["expired"],
        "median_hours_to_match": None if median is None else median / 3600,
        "pairs_from_rounds": requests["from_rounds"],
        "pairs_ended": ended["ended"],
        "pairs_ended_within_30_days": ended["within"],
    }


# ---------------------------------------------------------------------------
# Exam outcomes
# ---------------------------------------------------------------------------
# Sessions attended before each exam day are counted in one pass over attendance (one
# conditional count per distinct exam date in range), then joined to the results and grouped;
# a correlated count per result would read each student's attendance once per exam.
_EXAM_SQL = """
WITH per_mentee AS (
    SELECT a.mentee_id, {counts}
    FROM {attendance} a
    JOIN {occurrence} o ON o.id = a.occurrence_id
    {series_join}
    WHERE a.status = %s AND o.status = %s AND o.starts_at < %s {series_filter}
      AND a.mentee_id IN (SELECT student_id FROM {result} WHERE exam_date >= %s AND exam_date <= %s)
    GROUP BY a.mentee_id
),
scored AS (
    SELECT r.exam_name, r.exam_date, r.score,
           COALESCE(CASE r.exam_date {pick} END, 0) AS sessions,
           r.score - (
               SELECT p.score FROM {result} p
               WHERE p.student_id = r.student_id AND p.exam_date < r.exam_date
               ORDER BY p.exam_date DESC, p.id DESC LIMIT 1
           ) AS delta
    FROM {result} r
    JOIN {user} u ON u.id = r.student_id
    LEFT JOIN per_mentee m ON m.mentee_id = r.student_id
    WHERE r.exam_date >= %s AND r.exam_date <= %s AND u.deleted_at IS NULL {student_filter}
),
grouped AS (
    SELECT exam_name, exam_date, score, delta,
           CASE WHEN sessions = 0 THEN '0' WHEN sessions <= 3 THEN '1-3' ELSE '4+' END AS grp
    FROM scored
)
SELECT exam_name, grp, COUNT(*), MIN(exam_date), AVG(score), {median}, AVG(delta), COUNT(delta)
FROM grouped
GROUP BY exam_name, grp
ORDER BY MIN(exam_date), exam_name, grp
"""


def exam_outcomes(f: ReportFilters) -> list[dict]:
    """Per exam (by name, sat in the range): score of students grouped by sessions attended before it.

    Groups: 0, 1-3, 4+ held sessions attended (of the filtered subject and mentor) before the exam
    day begins (midnight, program time zone). `change` is the group's mean of each student's score
    minus their score on their previous exam, over students who have one. Groups with fewer than
    settings.REPORT_MIN_GROUP_SIZE students come back with `hidden=True` and no figures; so does a
    change over fewer students. Two queries whatever the data.
    """
    results = ExamResult.objects.filter(exam_date__gte=f.start, exam_date__lte=f.end)
    exam_dates = sorted(results.values_list("exam_date", flat=True).distinct().order_by())
    if not exam_dates:
        return []
    ops = connection.ops
    params: list = []
    counts = []
    for day in exam_dates:
        counts.append("COUNT(*) FILTER (WHERE o.starts_at < %s)")
        params.append(ops.adapt_datetimefield_value(day_bounds(day, day)[0]))
    params += [ATTENDED, SCHEDULED, params[-1]]  # nothing after the last exam day matters
    series_filter = ""
    if f.subject_id:
        series_filter += " AND s.subject_id = %s"
        params.append(f.subject_id)
    if f.mentor_id:
        series_filter += " AND s.mentor_id = %s"
        params.append(f.mentor_id)
    params += [ops.adapt_datefield_value(f.start), ops.adapt_datefield_value(f.end)]
    pick = []
    for index, day in enumerate(exam_dates):
        pick.append(f"WHEN %s THEN m.n{index}")
        params.append(ops.adapt_datefield_value(day))
    params += [ops.adapt_datefield_value(f.start), ops.adapt_datefield_value(f.end)]
    student_filter = ""
    if f.graduation_year is not None:
        student_filter = "AND u.graduation_year = %s"
        params.append(f.graduation_year)
    median = (
        "PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY score)" if connection.vendor == "postgresql" else "MEDIAN(score)"
    )
    sql = _EXAM_SQL.format(
        series_join=f"JOIN {ReviewSeries._meta.db_table} s ON s.id = o.series_id" if series_filter else "",
        attendance=Attendance._meta.db_table,
        occurrence=Occurrence._meta.db_table,
        result=ExamResult._meta.db_table,
        user=User._meta.db_table,
        counts=", ".join(f"{c} AS n{i}" for i, c in enumerate(counts)),
        series_filter=series_filter,
        pick=" ".join(pick),
        student_filter=student_filter,
        median=median,
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)  # fixed SQL text; every value is a parameter
        fetched = cursor.fetchall()

    minimum = settings.REPORT_MIN_GROUP_SIZE
    rows = []
    for exam, group, students, _first, mean, median_score, change, with_previous in fetched:
        hidden = students < minimum
        show_change = not hidden and with_previous >= minimum and change is not None
        rows.append({
            "exam": exam,
            "group": group,
            "hidden": hidden,
            "students": None if hidden else students,
            "mean": None if hidden else float(mean),
            "median": None if hidden else float(median_score),
            "change": float(change) if show_change else None,
            "with_previous": with_previous if show_change else None,
        })  # fmt: skip
    return rows
