"""Activity, trends and fill rates: grouped counts over sessions, bookings, attendance, ratings."""

from collections.abc import Callable
from datetime import date, timedelta
from functools import cached_property
from typing import NamedTuple

from django.db import connection
from django.db.models import (
    Aggregate,
    Count,
    Q,
    Sum,
)
from django.db.models.functions import TruncWeek

from reports.periods import program_zone
from reports.selectors import bitmaps
from reports.selectors.filters import (
    ATTENDED,
    CANCELLED,
    NO_SHOW,
    SCHEDULED,
    ReportFilters,
    _duration,
    _held_q,
    _hours,
    _mentee_q,
    _rate,
    _sessions_q,
    _week,
)
from reports.tally import keeps_mentee_bitmaps
from sessions.models import Attendance, Booking, Occurrence, Rating


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


# One figure of a roll-up: its value for a session and that session's grouped row.
Figure = Callable[[SessionFacts, dict], int | None]


def _column(name: str) -> Figure:
    return lambda session, row: row[name]


# The roll-ups of bookings, attendance and ratings read from the tally: output row -> figure ->
# (SessionTally column, counted at held sessions only / sessions not cancelled only / every session).
_TALLY_ROLL_UPS: dict[str, dict[str, tuple[str, str]]] = {
    "bookings": {"total": ("bookings", "all"), "cancelled": ("bookings_cancelled", "all"),
                 "late_cancelled": ("late_cancellations", "all"), "at_held": ("bookings_booked", "held"),
                 "booked_scheduled": ("bookings_booked", "scheduled")},
    "attendance": {name: (name, "held") for name in ("attended", "attended_booked", "walk_ins", "no_shows", "excused")},
    "ratings": {"total": ("rating_total", "held"), "count": ("ratings", "held")},
}  # fmt: skip


class ActivityFacts:
    """Grouped aggregates for one report; build once and pass to the selectors that use them.

    Per-session counts come from the tally (reports.models.SessionTally, one row per session, kept
    by triggers) unless a class year narrows the mentees, which the tally does not split by; then,
    or with `from_tally=False` (the tests' reference), they are counted from the raw rows.
    """

    def __init__(self, f: ReportFilters, *, from_tally: bool = True) -> None:
        self.f = f
        self.from_tally = from_tally and f.class_year is None

    @cached_property
    def sessions(self) -> list[dict]:
        """Sessions per (week, subject): held, cancelled, upcoming, hours, seats; from the tally, in
        the same query (a LEFT JOIN: one tally row per session at most), the sums of its bookings,
        attendance and ratings too, read by `_tally`."""
        f, held = self.f, _held_q(self.f)
        sums = {}
        if self.from_tally:
            only = {"all": Q(), "held": held, "scheduled": Q(status=SCHEDULED)}
            sums = {
                f"{kind}__{figure}": Sum(f"tally__{column}", filter=only[where])
                for kind, figures in _TALLY_ROLL_UPS.items()
                for figure, (column, where) in figures.items()
            }
        return list(
            Occurrence.objects.filter(_sessions_q(f))
            .annotate(week=TruncWeek("starts_at", tzinfo=program_zone()))
            .values("week", "series__subject__name")
            .annotate(
                held=Count("pk", filter=held),
                cancelled=Count("pk", filter=Q(status=CANCELLED)),
                upcoming=Count("pk", filter=Q(status=SCHEDULED, ends_at__gt=f.now)),
                held_duration=Sum(_duration(), filter=held),  # not "duration": Occurrence.duration exists
                scheduled=Count("pk", filter=Q(status=SCHEDULED)),
                seats=Sum("seats", filter=Q(status=SCHEDULED)),
                **sums,
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

    @cached_property
    def _tally(self) -> dict[str, list[dict]]:
        """Bookings, attendance and ratings per (week, subject), summed from the tally in the
        database with the sessions (`sessions`): no scan of bookings, attendance or ratings."""
        by_kind: dict[str, list[dict]] = {kind: [] for kind in _TALLY_ROLL_UPS}
        for row in self.sessions:
            for kind, figures in _TALLY_ROLL_UPS.items():
                by_kind[kind].append({
                    "week": _week(row["week"]), "subject": row["series__subject__name"],
                    **{figure: row[f"{kind}__{figure}"] or 0 for figure in figures},
                })  # fmt: skip
        return by_kind

    def _per_session(
        self, model: type[Attendance | Booking | Rating], **counts: Aggregate
    ) -> list[tuple[SessionFacts, dict]]:
        """`counts` for each session in range, grouped by occurrence in the database (no per-row date
        arithmetic or joins there), each paired with the session's entry in occurrence_index."""
        f = self.f
        index = self.occurrence_index
        in_range = Occurrence.objects.filter(_sessions_q(f)).values("pk")
        rows = (
            model.objects.filter(_mentee_q(f, "mentee"), occurrence__in=in_range)
            .values("occurrence_id")
            .annotate(**counts)
            .order_by()
        )
        return [(index[row["occurrence_id"]], row) for row in rows if row["occurrence_id"] in index]

    @staticmethod
    def _roll_up(
        pairs: list[tuple[SessionFacts, dict]],
        keep: Callable[[SessionFacts], bool],
        figures: dict[str, Figure],
    ) -> list[dict]:
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
        if self.from_tally:
            return self._tally["bookings"]
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
        if self.from_tally:
            return self._tally["attendance"]
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
        return self._roll_up(pairs, lambda session: session.held, {n: _column(n) for n in names})

    @cached_property
    def ratings(self) -> list[dict]:
        if self.from_tally:
            return self._tally["ratings"]
        pairs = self._per_session(Rating, total=Sum("score"), count=Count("pk"))
        return self._roll_up(pairs, lambda session: session.held, {
            "total": lambda s, r: r["total"], "count": lambda s, r: r["count"],
        })  # fmt: skip

    @cached_property
    def served(self) -> tuple[int, dict[int, int]]:
        """Distinct mentees who attended a held session: in all, and per mentor (not sums of weeks).

        From the tally's per-session bitmaps of attended mentees where it keeps them (an OR per
        mentor); else one scan of attendance: the distinct (mentor, mentee) pairs, counted per
        mentor and overall.
        """
        f = self.f
        if self.from_tally and keeps_mentee_bitmaps():
            return bitmaps.mentees_served(*f.bounds, f.now, subject_id=f.subject_id, mentor_id=f.mentor_id)
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

    add(facts.sessions, {"held": "held", "cancelled": "cancelled", "upcoming": "upcoming", "hours": "held_duration"})
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
        booked = rows.get(row["subject"])
        if booked is not None:
            booked["booked"] += row["booked_scheduled"]
    return [
        {"subject": subject, **entry, "fill_rate": _rate(entry["booked"], entry["seats"])}
        for subject, entry in sorted(rows.items())
    ]
