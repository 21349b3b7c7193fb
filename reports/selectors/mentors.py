"""Mentors: sessions held, hours, mentees served, notes written, ratings."""

from django.db import connection
from django.db.models import (
    Avg,
    Count,
    F,
    Q,
    Subquery,
    Sum,
)

from accounts.models import User
from reports.aggregates import NumericQuotient
from reports.models import SessionTally
from reports.selectors.activity import ActivityFacts
from reports.selectors.demand import active_pairs_by_mentor
from reports.selectors.filters import (
    CANCELLED,
    ReportFilters,
    _duration,
    _held_q,
    _hours,
    _mentee_q,
    _rate,
    _sessions_q,
    person_name,
)
from sessions.models import Occurrence, Rating


# ---------------------------------------------------------------------------
# Mentors
# ---------------------------------------------------------------------------
def _ratings_by_mentor(f: ReportFilters, facts: ActivityFacts) -> list[dict]:
    """Average and count of ratings of each mentor's held sessions in range.

    From the tally when it can answer: on PostgreSQL the average is the same numeric division
    AVG(score) does (sum over count, both numeric), so the figure is exactly the raw one; SQLite's
    AVG is a float division, which Python's matches.
    """
    held = (_sessions_q(f, "occurrence__"), _held_q(f, "occurrence__"))
    if not facts.from_tally:
        return list(
            Rating.objects.filter(*held, _mentee_q(f, "mentee"))
            .values("occurrence__series__mentor")
            .annotate(average=Avg("score"), count=Count("pk"))
            .order_by()
        )
    sums = SessionTally.objects.filter(*held).values("occurrence__series__mentor").order_by()
    if connection.vendor == "postgresql":
        averaged = sums.annotate(count=Sum("ratings"), average=NumericQuotient(Sum("rating_total"), Sum("ratings")))
        return [row for row in averaged if row["count"]]
    summed = sums.annotate(count=Sum("ratings"), total=Sum("rating_total"))
    return [{**row, "average": row["total"] / row["count"]} for row in summed if row["count"]]


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
            held_duration=Sum(_duration(), filter=held),  # not "duration": Occurrence.duration exists
            noted=Count("pk", filter=held & Q(outcome_note__isnull=False)),
        )
        .order_by()
    )
    ratings = _ratings_by_mentor(f, facts)
    pairs = (
        User.objects.filter(review_series__in=Subquery(Occurrence.objects.filter(_sessions_q(f)).values("series")))
        .annotate(user=F("pk"))
        .annotate(pairs=active_pairs_by_mentor())
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
            "hours": _hours(row["held_duration"]),
            "mentees_served": served_by.get(mentor_id, 0),
            "notes_written": row["noted"],
            "notes_missing": row["held"] - row["noted"],
            "notes_completion": _rate(row["noted"], row["held"]),
            "average_rating": float(rating["average"]) if rating.get("average") is not None else None,
            "ratings": rating.get("count", 0),
            "active_pairs": pairs_by.get(mentor_id, 0),
        })  # fmt: skip
    return sorted(rows, key=lambda row: (-row["held"], row["mentor"]))
