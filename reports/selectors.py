"""Every figure of the impact report, each computed by database aggregation.

Each function runs a fixed number of queries (grouped aggregates, never one query per row),
so the report costs the same number of queries for ten bookings or a million.

Definitions (also shown on the page, "How these figures are counted"):
- A session is in the report when it *starts* within the date range (program time zone, both
  days included). It was *held* if it was not cancelled and has ended; *cancelled* if cancelled.
- Tutoring hours: the scheduled length of held sessions.
- Bookings: every seat booked for a session in range (later cancelled or not). Late cancellations
  are bookings cancelled after the cutoff; the late-cancel rate is their share of bookings.
- Attendance and no-show rates: of seats still booked at held sessions, the share whose mentee the
  mentor marked attended / no-show there. Walk-ins (attended without a booking) are counted apart and
  are not in the rate.
- Mentees served: distinct mentees who attended (walk-ins included) a held session.
- Filters: subject and mentor narrow to their sessions. Class year narrows the mentee figures
  (bookings, attendance, mentees served, ratings, waitlists, wanted subjects, exam results); the
  supply figures (sessions, hours, seats, fill rate) stay those of all mentees.
- Deleted (anonymised) accounts: what happened still counts (their sessions and bookings), but they
  are never named; they are left out of current demand and of exam outcomes.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import (
    Avg,
    Case,
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    Min,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncDate, TruncWeek
from django.utils import timezone

from accounts.class_year import graduation_year_for
from accounts.models import OfferedSubject, User, WantedSubject
from reports.aggregates import Median, Seconds
from reports.models import ExamResult
from reports.periods import day_bounds, program_zone
from sessions.models import Attendance, Booking, Occurrence, Rating, WaitlistEntry

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


def _marked(status: str) -> Exists:
    """The booking's mentee was marked `status` at the booked session."""
    return Exists(
        Attendance.objects.filter(occurrence=OuterRef("occurrence"), mentee=OuterRef("mentee"), status=status)
    )


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
# Activity
# ---------------------------------------------------------------------------
def activity_summary(f: ReportFilters) -> dict:
    """The headline figures: sessions held and cancelled, hours, bookings, attendance, ratings."""
    held = _held_q(f)
    sessions = Occurrence.objects.filter(_sessions_q(f)).aggregate(
        held=Count("pk", filter=held),
        cancelled=Count("pk", filter=Q(status=CANCELLED)),
        upcoming=Count("pk", filter=Q(status=SCHEDULED, ends_at__gt=f.now)),
        duration=Sum(_duration(), filter=held),
    )
    bookings = Booking.objects.filter(_sessions_q(f, "occurrence__"), _mentee_q(f, "mentee")).aggregate(
        total=Count("pk"),
        cancelled=Count("pk", filter=Q(status=Booking.Status.CANCELLED)),
        late_cancelled=Count("pk", filter=Q(status=Booking.Status.CANCELLED, late_cancel=True)),
        at_held=Count("pk", filter=Q(status=Booking.Status.BOOKED) & _held_q(f, "occurrence__")),
        attended=Count("pk", filter=Q(_marked(ATTENDED), status=Booking.Status.BOOKED) & _held_q(f, "occurrence__")),
        no_shows=Count("pk", filter=Q(_marked(NO_SHOW), status=Booking.Status.BOOKED) & _held_q(f, "occurrence__")),
    )
    attendance = Attendance.objects.filter(
        _sessions_q(f, "occurrence__"), _held_q(f, "occurrence__"), _mentee_q(f, "mentee")
    ).aggregate(
        walk_ins=Count("pk", filter=Q(status=ATTENDED, walk_in=True)),
        no_shows=Count("pk", filter=Q(status=NO_SHOW)),
        excused=Count("pk", filter=Q(status=Attendance.Status.EXCUSED)),
        mentees_served=Count("mentee", filter=Q(status=ATTENDED), distinct=True),
    )
    ratings = Rating.objects.filter(
        _sessions_q(f, "occurrence__"), _held_q(f, "occurrence__"), _mentee_q(f, "mentee")
    ).aggregate(average=Avg("score"), count=Count("pk"))
    return {
        "sessions_held": sessions["held"],
        "sessions_cancelled": sessions["cancelled"],
        "sessions_upcoming": sessions["upcoming"],
        "hours_delivered": _hours(sessions["duration"]),
        "bookings": bookings["total"],
        "bookings_cancelled": bookings["cancelled"],
        "late_cancellations": bookings["late_cancelled"],
        "late_cancel_rate": _rate(bookings["late_cancelled"], bookings["total"]),
        "seats_booked_at_held_sessions": bookings["at_held"],
        "attended_with_booking": bookings["attended"],
        "walk_ins": attendance["walk_ins"],
        "no_shows": attendance["no_shows"],
        "excused": attendance["excused"],
        "attendance_rate": _rate(bookings["attended"], bookings["at_held"]),
        "no_show_rate": _rate(bookings["no_shows"], bookings["at_held"]),
        "mentees_served": attendance["mentees_served"],
        "average_rating": float(ratings["average"]) if ratings["average"] is not None else None,
        "ratings": ratings["count"],
    }


def weekly_trends(f: ReportFilters) -> list[dict]:
    """The main figures for every week (Monday, program time zone) of the range, empty weeks included."""
    zone = program_zone()
    held = _held_q(f)
    sessions = (
        Occurrence.objects.filter(_sessions_q(f))
        .annotate(week=TruncWeek("starts_at", tzinfo=zone))
        .values("week")
        .annotate(
            held=Count("pk", filter=held),
            cancelled=Count("pk", filter=Q(status=CANCELLED)),
            duration=Sum(_duration(), filter=held),
        )
        .order_by()
    )
    bookings = (
        Booking.objects.filter(_sessions_q(f, "occurrence__"), _mentee_q(f, "mentee"))
        .annotate(week=TruncWeek("occurrence__starts_at", tzinfo=zone))
        .values("week")
        .annotate(
            total=Count("pk"),
            late_cancelled=Count("pk", filter=Q(status=Booking.Status.CANCELLED, late_cancel=True)),
            at_held=Count("pk", filter=Q(status=Booking.Status.BOOKED) & _held_q(f, "occurrence__")),
            attended_booked=Count(
                "pk", filter=Q(_marked(ATTENDED), status=Booking.Status.BOOKED) & _held_q(f, "occurrence__")
            ),
            no_shows_booked=Count(
                "pk", filter=Q(_marked(NO_SHOW), status=Booking.Status.BOOKED) & _held_q(f, "occurrence__")
            ),
        )
        .order_by()
    )
    attendance = (
        Attendance.objects.filter(_sessions_q(f, "occurrence__"), _held_q(f, "occurrence__"), _mentee_q(f, "mentee"))
        .annotate(week=TruncWeek("occurrence__starts_at", tzinfo=zone))
        .values("week")
        .annotate(
            attended=Count("pk", filter=Q(status=ATTENDED)),
            no_shows=Count("pk", filter=Q(status=NO_SHOW)),
            mentees=Count("mentee", filter=Q(status=ATTENDED), distinct=True),
        )
        .order_by()
    )
    ratings = (
        Rating.objects.filter(_sessions_q(f, "occurrence__"), _held_q(f, "occurrence__"), _mentee_q(f, "mentee"))
        .annotate(week=TruncWeek("occurrence__starts_at", tzinfo=zone))
        .values("week")
        .annotate(average=Avg("score"))
        .order_by()
    )
    by_week: dict[date, dict] = {}
    monday = f.start - timedelta(days=f.start.weekday())
    while monday <= f.end:
        by_week[monday] = {
            "week": monday, "held": 0, "cancelled": 0, "hours": 0.0, "bookings": 0, "late_cancellations": 0,
            "seats_at_held": 0, "attended": 0, "attended_booked": 0, "no_shows": 0, "no_shows_booked": 0, "mentees": 0,
            "average_rating": None,
        }  # fmt: skip
        monday += timedelta(days=7)
    for row in sessions:
        week = by_week.get(_week(row["week"]))
        if week is not None:
            week.update(held=row["held"], cancelled=row["cancelled"], hours=_hours(row["duration"]))
    for row in bookings:
        week = by_week.get(_week(row["week"]))
        if week is not None:
            week.update(
                bookings=row["total"], late_cancellations=row["late_cancelled"], seats_at_held=row["at_held"],
                attended_booked=row["attended_booked"], no_shows_booked=row["no_shows_booked"],
            )  # fmt: skip
    for row in attendance:
        week = by_week.get(_week(row["week"]))
        if week is not None:
            week.update({k: row[k] for k in ("attended", "no_shows", "mentees")})
    for row in ratings:
        week = by_week.get(_week(row["week"]))
        if week is not None and row["average"] is not None:
            week["average_rating"] = float(row["average"])
    for week in by_week.values():
        week["attendance_rate"] = _rate(week["attended_booked"], week["seats_at_held"])
        week["no_show_rate"] = _rate(week["no_shows_booked"], week["seats_at_held"])
    return list(by_week.values())


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


def fill_rate_by_subject(f: ReportFilters) -> list[dict]:
    """Seats offered and still booked in non-cancelled sessions, per subject."""
    seats = (
        Occurrence.objects.filter(_sessions_q(f), status=SCHEDULED)
        .values("series__subject__name")
        .annotate(sessions=Count("pk"), seats=Sum("seats"))
        .order_by()
    )
    booked = (
        Booking.objects.filter(_sessions_q(f, "occurrence__"), occurrence__status=SCHEDULED, status=Booking.Status.BOOKED)
        .values("occurrence__series__subject__name")
        .annotate(booked=Count("pk"))
        .order_by()
    )
    booked_by_subject = {row["occurrence__series__subject__name"]: row["booked"] for row in booked}
    rows = [
        {
            "subject": row["series__subject__name"],
            "sessions": row["sessions"],
            "seats": row["seats"] or 0,
            "booked": booked_by_subject.get(row["series__subject__name"], 0),
        }
        for row in seats
    ]
    for row in rows:
        row["fill_rate"] = _rate(row["booked"], row["seats"])
    return sorted(rows, key=lambda row: row["subject"])


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
def mentor_activity(f: ReportFilters) -> list[dict]:
    """Per mentor with a session in range: sessions held, hours, mentees served, notes, rating, active pairs."""
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
    served = (
        Attendance.objects.filter(
            _sessions_q(f, "occurrence__"), _held_q(f, "occurrence__"), _mentee_q(f, "mentee"), status=ATTENDED
        )
        .values("occurrence__series__mentor")
        .annotate(mentees=Count("mentee", distinct=True))
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
    served_by = {row["occurrence__series__mentor"]: row["mentees"] for row in served}
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
def exam_outcomes(f: ReportFilters) -> list[dict]:
    """Per exam (by name, sat in the range): score of students grouped by sessions attended before it.

    Groups: 0, 1-3, 4+ held sessions attended (of the filtered subject and mentor) on a day before
    the exam day (program time zone). `change` is the group's mean of each student's score minus
    their score on their previous exam, over students who have one. Groups with fewer than
    settings.REPORT_MIN_GROUP_SIZE students are returned with `hidden=True` and no figures.
    """
    zone = program_zone()
    attended = Attendance.objects.filter(mentee=OuterRef("student"), status=ATTENDED, occurrence__status=SCHEDULED)
    if f.subject_id:
        attended = attended.filter(occurrence__series__subject_id=f.subject_id)
    if f.mentor_id:
        attended = attended.filter(occurrence__series__mentor_id=f.mentor_id)
    sessions_before = (
        attended.annotate(day=TruncDate("occurrence__starts_at", tzinfo=zone))
        .filter(day__lt=OuterRef("exam_date"))
        .order_by()
        .values("mentee")
        .annotate(n=Count("pk"))
        .values("n")
    )
    previous_score = (
        ExamResult.objects.filter(student=OuterRef("student"), exam_date__lt=OuterRef("exam_date"))
        .order_by("-exam_date", "-pk")
        .values("score")[:1]
    )
    results = (
        ExamResult.objects.filter(
            exam_date__gte=f.start, exam_date__lte=f.end, student__deleted_at__isnull=True, **(
                {"student__graduation_year": f.graduation_year} if f.graduation_year is not None else {}
            )
        )
        .annotate(
            sessions_before=Coalesce(Subquery(sessions_before, output_field=IntegerField()), 0),
            previous_score=Subquery(previous_score),
        )
        .annotate(
            group=Case(
                When(sessions_before=0, then=Value("0")),
                When(sessions_before__lte=3, then=Value("1-3")),
                default=Value("4+"),
            )
        )
        .values("exam_name", "group")
        .annotate(
            students=Count("pk"),
            first_date=Min("exam_date"),
            mean=Avg("score"),
            median=Median("score"),
            change=Avg(F("score") - F("previous_score")),
            with_previous=Count("previous_score"),
        )
        .order_by("first_date", "exam_name", "group")
    )
    minimum = settings.REPORT_MIN_GROUP_SIZE
    rows = []
    for row in results:
        hidden = row["students"] < minimum
        show_change = not hidden and row["with_previous"] >= minimum and row["change"] is not None
        rows.append({
            "exam": row["exam_name"],
            "group": row["group"],
            "hidden": hidden,
            "students": None if hidden else row["students"],
            "mean": None if hidden else float(row["mean"]),
            "median": None if hidden else float(row["median"]),
            "change": float(row["change"]) if show_change else None,
            "with_previous": row["with_previous"] if show_change else None,
        })  # fmt: skip
    return rows
