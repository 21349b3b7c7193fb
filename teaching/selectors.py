"""Reads of the teaching record and of mentor readiness.

How the record counts (docs/teaching-record.md, also on the page):
- A session counts in a term when it starts on one of the term's days (program time zone). It was
  *held* when it was not cancelled and has ended.
- Verified teaching hours: the scheduled length of held sessions whose attendance was recorded.
- Unique mentees: distinct mentees marked attended at held sessions (walk-ins included; deleted,
  anonymised accounts still count, unnamed).
- Attendance rate: of the booked mentees on the recorded rosters, the share marked attended
  (walk-ins are not in the rate).
- One-to-one mentees: distinct mentees of accepted mentorship pairs running during the term.
"""

import hashlib
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import Avg, Count, Exists, Max, Min, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from feedback import selectors as feedback_selectors
from mentorship.models import Mentorship
from program.models import EARLIEST_DAY, LATEST_DAY, Term
from reports import periods
from sessions.models import Attendance, Occurrence, Rating
from teaching.models import (
    ERAS_DESCRIPTION_LIMIT,
    Certificate,
    Endorsement,
    ExperienceEntry,
    MilestoneAward,
    Requirement,
    RequirementCompletion,
)

if TYPE_CHECKING:
    from accounts.models import User

HUNDREDTH = Decimal("0.01")


@dataclass(frozen=True)
class RecordTerm:
    name: str
    first_day: date | None  # None: all time (the record's totals)
    last_day: date | None

    @property
    def key(self) -> str:
        """How a form names the term: "2026-08-24..2026-12-18"."""
        return f"{self.first_day}..{self.last_day}"


@dataclass(frozen=True)
class TermRecord:
    """The figures of one term (or of all terms) of a mentor's teaching record."""

    term: RecordTerm
    subjects: list[str]
    sessions_held: int
    verified_sessions: int
    verified_hours: Decimal
    unique_mentees: int
    attendance_rate: float | None
    average_rating: float | None
    ratings: int
    confidence_gain: float | None  # filled by _confidence_gain
    confidence_answers: int
    one_to_one_mentees: int
    quotable_comments: list[str] = field(default_factory=list)
    endorsement: Endorsement | None = None

    live: "TermRecord | None" = None  # an endorsed term's figures as they are now, when they changed since

    @property
    def is_empty(self) -> bool:
        return self.sessions_held == 0

    @classmethod
    def frozen(cls, endorsement: Endorsement, live: "TermRecord") -> "TermRecord":
        """The figures as endorsed (what the certificate states), with today's beside them if they differ."""
        record = cls(
            term=live.term, subjects=[s for s in endorsement.subjects.split(", ") if s],
            sessions_held=endorsement.sessions_held, verified_sessions=live.verified_sessions,
            verified_hours=endorsement.verified_hours, unique_mentees=endorsement.unique_mentees,
            attendance_rate=endorsement.attendance_rate, average_rating=endorsement.average_rating,
            ratings=endorsement.ratings, confidence_gain=endorsement.confidence_gain,
            confidence_answers=endorsement.confidence_answers, one_to_one_mentees=endorsement.one_to_one_mentees,
            quotable_comments=live.quotable_comments, endorsement=endorsement,
        )  # fmt: skip
        changed = (live.sessions_held, live.verified_hours, live.unique_mentees) != (
            record.sessions_held, record.verified_hours, record.unique_mentees)  # fmt: skip
        return replace(record, live=live if changed else None)


@dataclass(frozen=True)
class TeachingRecord:
    mentor: "User"
    terms: list[TermRecord]  # terms with at least one held session, newest first
    total: TermRecord
    milestones: list[dict]


def _bounds(term: RecordTerm) -> Q:
    if term.first_day is None or term.last_day is None:
        return Q()
    lo, hi = periods.day_bounds(term.first_day, term.last_day)
    return Q(starts_at__gte=lo, starts_at__lt=hi)


def _held(mentor: "User", term: RecordTerm, now: datetime) -> QuerySet[Occurrence]:
    return Occurrence.objects.filter(
        _bounds(term), series__mentor=mentor, status=Occurrence.Status.SCHEDULED, ends_at__lte=now
    )


def _confidence_gain(*, mentor: "User", first_day: date | None, last_day: date | None) -> tuple[float | None, int]:
    """The mentees' average confidence gain in the mentor's sessions (the session survey), and from how many answers."""
    return feedback_selectors.confidence_gain(
        mentor=mentor, first_day=first_day or EARLIEST_DAY, last_day=last_day or LATEST_DAY
    )


def _quotable_comments(*, mentor: "User", first_day: date | None, last_day: date | None) -> list[str]:
    """Comments the mentees allowed to be quoted in the mentor's record (never with their names)."""
    return feedback_selectors.quotable_comments(mentor=mentor, first_day=first_day, last_day=last_day)


def _one_to_one_mentees(mentor: "User", term: RecordTerm) -> int:
    pairs = Mentorship.objects.filter(
        mentor=mentor, status__in=[Mentorship.Status.ACTIVE, Mentorship.Status.ENDED]
    ).annotate(began=Coalesce("responded_at", "requested_at"))
    if term.first_day is not None and term.last_day is not None:
        lo, hi = periods.day_bounds(term.first_day, term.last_day)
        pairs = pairs.filter(Q(ended_at__isnull=True) | Q(ended_at__gte=lo), began__lt=hi)
    return pairs.values("mentee").distinct().count()


def term_record(*, mentor: "User", term: RecordTerm, now: datetime | None = None) -> TermRecord:
    """The figures of `term` for `mentor`, computed now (a fixed number of queries)."""
    now = now or timezone.now()
    held = _held(mentor, term, now)
    recorded = held.filter(Exists(Attendance.objects.filter(occurrence=OuterRef("pk"))))
    spans = list(recorded.values_list("starts_at", "ends_at"))
    seconds = sum((end - start).total_seconds() for start, end in spans)
    roster = Attendance.objects.filter(occurrence__in=held)
    on_roster = roster.filter(walk_in=False).aggregate(
        booked=Count("pk"), attended=Count("pk", filter=Q(status=Attendance.Status.ATTENDED))
    )
    rating = Rating.objects.filter(occurrence__in=held).aggregate(average=Avg("score"), count=Count("pk"))
    gain, answers = _confidence_gain(mentor=mentor, first_day=term.first_day, last_day=term.last_day)
    return TermRecord(
        term=term,
        subjects=sorted(set(held.values_list("series__subject__name", flat=True))),
        sessions_held=held.count(),
        verified_sessions=len(spans),
        verified_hours=(Decimal(seconds) / 3600).quantize(HUNDREDTH, rounding=ROUND_HALF_UP),
        unique_mentees=roster.filter(status=Attendance.Status.ATTENDED).values("mentee").distinct().count(),
        attendance_rate=on_roster["attended"] / on_roster["booked"] if on_roster["booked"] else None,
        average_rating=float(rating["average"]) if rating["average"] is not None else None,
        ratings=rating["count"],
        confidence_gain=gain,
        confidence_answers=answers,
        one_to_one_mentees=_one_to_one_mentees(mentor, term),
        quotable_comments=_quotable_comments(mentor=mentor, first_day=term.first_day, last_day=term.last_day),
    )


def candidate_terms(mentor: "User", now: datetime | None = None) -> list[RecordTerm]:
    """The program's terms (program.Term), or, when none are defined, the half-year terms of
    reports.periods in which the mentor held a session; newest first."""
    zone = periods.program_zone()
    held = _held(mentor, RecordTerm("all", None, None), now or timezone.now())
    if Term.objects.exists():
        span = held.aggregate(first=Min("starts_at"), last=Max("starts_at"))
        if span["first"] is None:
            return []
        first, last = (timezone.localtime(span[k], zone).date() for k in ("first", "last"))
        return [RecordTerm(t.name, t.first_day, t.last_day) for t in Term.objects.overlapping(first, last).order_by("-first_day")]
    starts = held.values_list("starts_at", flat=True)
    halves = {periods.term_containing(timezone.localtime(s, zone).date()) for s in starts}
    return [RecordTerm(h.label, h.start, h.end) for h in sorted(halves, key=lambda h: h.start, reverse=True)]


def find_term(mentor: "User", first_day: date, last_day: date) -> RecordTerm | None:
    """The program's term with exactly these days (or, with no terms defined, the half-year term), if any."""
    if Term.objects.exists():
        term = Term.objects.filter(first_day=first_day, last_day=last_day).first()
        return RecordTerm(term.name, term.first_day, term.last_day) if term else None
    half = periods.term_containing(first_day)
    return RecordTerm(half.label, half.start, half.end) if (half.start, half.end) == (first_day, last_day) else None


def milestone_hours() -> list[int]:
    """The program's recognition thresholds in hours (settings.TEACHING_MILESTONE_HOURS), ascending."""
    return sorted({h for h in settings.TEACHING_MILESTONE_HOURS if h > 0})  # a 0 or negative threshold means nothing


def total_verified_hours(mentor: "User", now: datetime | None = None) -> Decimal:
    return term_record(mentor=mentor, term=RecordTerm("All terms", None, None), now=now).verified_hours


def teaching_record(*, mentor: "User", now: datetime | None = None) -> TeachingRecord:
    """Every term the mentor held a session in, each with its endorsement if any, and the totals."""
    now = now or timezone.now()
    endorsed: dict[tuple[date | None, date | None], Endorsement] = {(e.first_day, e.last_day): e for e in Endorsement.objects.filter(mentor=mentor).select_related("endorsed_by")}
    terms = []
    candidates = candidate_terms(mentor, now)
    shown = {(t.first_day, t.last_day) for t in candidates}
    candidates += [RecordTerm(e.term_name, e.first_day, e.last_day) for key, e in endorsed.items() if key not in shown]
    for term in sorted(candidates, key=lambda t: t.first_day or date.min, reverse=True):
        record = term_record(mentor=mentor, term=term, now=now)
        endorsement = endorsed.get((term.first_day, term.last_day))
        if endorsement is not None:
            terms.append(TermRecord.frozen(endorsement, record))
        elif not record.is_empty:
            terms.append(record)
    total = term_record(mentor=mentor, term=RecordTerm("All terms", None, None), now=now)
    reached = {m.hours: m.reached_at for m in MilestoneAward.objects.filter(mentor=mentor)}
    milestones = [
        {"hours": h, "reached_at": reached.get(h), "reached": h in reached or total.verified_hours >= h,
         "to_go": max(Decimal(h) - total.verified_hours, Decimal(0))}
        for h in milestone_hours()
    ]  # fmt: skip
    return TeachingRecord(mentor=mentor, terms=terms, total=total, milestones=milestones)


def experience_text(record: TeachingRecord) -> str:
    """A draft of the residency application's experience description, within ERAS_DESCRIPTION_LIMIT."""
    total = record.total
    weeks = sum(((t.term.last_day - t.term.first_day).days + 1) / 7 for t in record.terms if t.term.last_day and t.term.first_day)
    per_week = (float(total.verified_hours) / weeks) if weeks else 0.0
    subjects = ", ".join(total.subjects) or "medical school subjects"
    # "Over N terms" and a weekly figure only when the terms hold every session the totals count.
    within_terms = sum(t.sessions_held for t in record.terms) == total.sessions_held and weeks
    span = f" over {len(record.terms)} term{'s' if len(record.terms) != 1 else ''}" if within_terms else ""
    weekly = f", about {per_week:.1f} hours per week" if within_terms else ""
    parts = [
        f"Peer tutor and near-peer mentor in the {settings.PROGRAM_NAME}.",
        f"Planned and led {total.sessions_held} small-group review sessions in {subjects}{span}"
        f" ({_hours(total.verified_hours)} verified teaching hours{weekly})"
        f" for {total.unique_mentees} junior medical students.",
    ]
    if total.one_to_one_mentees:
        n = total.one_to_one_mentees
        parts.append(f"Mentored {n} student{'s' if n != 1 else ''} one to one.")
    if total.attendance_rate is not None:
        parts.append(f"Attendance was {total.attendance_rate:.0%} of booked seats.")
    if total.average_rating is not None:
        parts.append(f"Learners rated the sessions {total.average_rating:.1f} out of 5 ({total.ratings} ratings).")
    if total.confidence_gain is not None:
        gain = total.confidence_gain
        change = f"rose by {gain:.1f}" if gain >= 0.05 else f"fell by {-gain:.1f}" if gain <= -0.05 else "stayed the same"
        parts.append(f"Learners' confidence in the topics {change} points on a 5-point scale." if abs(gain) >= 0.05
                     else f"Learners' confidence in the topics {change} on a 5-point scale.")  # fmt: skip
    text = ""
    for part in parts:
        if len(text) + len(part) + 1 > ERAS_DESCRIPTION_LIMIT:
            break
        text = f"{text} {part}".strip()
    return text


def _hours(value: Decimal) -> str:
    return f"{value.normalize():f}" if value != value.to_integral() else f"{int(value)}"


def saved_experience_text(mentor: "User") -> str | None:
    entry = ExperienceEntry.objects.filter(mentor=mentor).first()
    return entry.text if entry else None


# ---------------------------------------------------------------------------
# Certificates
# ---------------------------------------------------------------------------
def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def certificate_for_token(raw: str) -> Certificate | None:
    """The valid certificate this link's token belongs to, or None (unknown, altered or revoked)."""
    if not raw or len(raw) > 100:
        return None
    return (
        Certificate.objects.valid()
        .select_related("endorsement__mentor", "endorsement__endorsed_by")
        .filter(token_hash=hash_token(raw))
        .first()
    )


def endorsements_for(mentor: "User") -> QuerySet[Endorsement]:
    return Endorsement.objects.filter(mentor=mentor).select_related("endorsed_by").prefetch_related("certificates")


def mentors_for_records() -> "QuerySet[User]":
    """Every mentor (current or past) with a series, for the admins' list of records."""
    from accounts.models import User

    return (
        User.objects.filter(Q(is_mentor=True) | Q(review_series__isnull=False))
        .distinct()
        .annotate(endorsements=Count("teaching_endorsements", distinct=True))
        .order_by("last_name", "first_name", "pk")
    )


# ---------------------------------------------------------------------------
# Readiness
# ---------------------------------------------------------------------------
@dataclass(frozen=True)
class ReadinessItem:
    requirement: Requirement
    completion: RequirementCompletion | None
    status: str  # "complete", "missing" or "expired"

    @property
    def expires_on(self) -> date | None:
        return self.completion.expires_on() if self.completion else None

    def describe(self) -> str:
        if self.status == "expired" and self.expires_on:
            return f"{self.requirement.name} (expired on {self.expires_on:%d %b %Y})"
        return f"{self.requirement.name} ({self.status})"


def _item(requirement: Requirement, completion: RequirementCompletion | None, today: date) -> ReadinessItem:
    if completion is None or completion.completed_on > today:
        return ReadinessItem(requirement, None, "missing")
    return ReadinessItem(requirement, completion, "complete" if completion.is_current(today) else "expired")


def readiness_for(mentor: "User", today: date | None = None) -> list[ReadinessItem]:
    """Each active requirement with the mentor's completion and whether it still counts."""
    today = today or periods.program_today()
    done = {c.requirement_id: c for c in RequirementCompletion.objects.filter(mentor=mentor).select_related("requirement")}
    return [_item(r, done.get(r.pk), today) for r in Requirement.objects.filter(active=True)]


def missing_requirements(mentor: "User", today: date | None = None) -> list[ReadinessItem]:
    return [item for item in readiness_for(mentor, today) if item.status != "complete"]


def readiness_overview(today: date | None = None) -> list[dict]:
    """Per current mentor: the active requirements missing or expired (two queries)."""
    from accounts.models import User

    today = today or periods.program_today()
    requirements = list(Requirement.objects.filter(active=True))
    mentors = list(User.objects.filter(is_mentor=True, is_active=True).order_by("last_name", "first_name", "pk"))
    done: dict[tuple[int, int], RequirementCompletion] = {
        (c.mentor_id, c.requirement_id): c
        for c in RequirementCompletion.objects.filter(mentor__in=mentors, requirement__in=requirements).select_related("requirement")
    }
    rows = []
    for mentor in mentors:
        items = [_item(r, done.get((mentor.pk, r.pk)), today) for r in requirements]
        rows.append({"mentor": mentor, "items": items, "missing": [i for i in items if i.status != "complete"]})
    return rows


def requirements_for_page() -> QuerySet[Requirement]:
    return Requirement.objects.annotate(completed=Count("completions")).order_by("-active", "name")
