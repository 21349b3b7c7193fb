"""Matching: requests, pairs and rounds in the range."""

from datetime import timedelta

from django.db.models import (
    Count,
    Exists,
    F,
    OuterRef,
    Q,
)

from accounts.models import User
from reports.aggregates import Median, Seconds
from reports.selectors.filters import (
    ReportFilters,
    _mentee_q,
    _rate,
)

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
