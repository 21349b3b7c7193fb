"""Demo mentorship pairs and requests: one committed round, some pending requests, the rest open."""

import random
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from mentorship import matching, selectors
from mentorship.models import MatchingRound, Mentorship, MentorshipSubject


def _create(
    *, mentor_id: int, mentee_id: int, fit: matching.Fit, status: str, when: datetime,
    round: MatchingRound | None = None,
) -> Mentorship:
    mentorship = Mentorship.objects.create(
        mentor_id=mentor_id, mentee_id=mentee_id, status=status, requested_at=when,
        responded_at=when if status == Mentorship.Status.ACTIVE else None,
        score=fit.score, reasons=fit.reasons[:500], round=round,
        message="" if round else "Hi! Could you help me get through this block?",
    )
    MentorshipSubject.objects.bulk_create(
        MentorshipSubject(mentorship=mentorship, subject_id=s, mentee_id=mentee_id) for s in fit.subject_ids
    )
    return mentorship


def seed_matching(rng: random.Random, people: dict) -> None:
    """Active pairs, pending requests and one committed matching round (no emails are sent)."""
    now = timezone.now()
    gap = settings.MATCHING_MIN_YEAR_GAP
    names = selectors.subject_names()
    pool = selectors.round_pool()
    mentors = [m for m in selectors.approved_mentor_offers() if m.free_capacity > 0]
    result = matching.solve_round(pool[:10], mentors, names, min_year_gap=gap)
    kept = result.pairs[:6]
    committed = MatchingRound.objects.create(
        created_by=people["admin"], status=MatchingRound.Status.COMMITTED, progress=100,
        progress_note="Ready to review", computed_at=now - timedelta(days=14),
        committed_at=now - timedelta(days=14), committed_by=people["admin"], total_score=sum(p.fit.score for p in kept),
        proposed_pairs=[
            {"mentor_id": p.mentor.id, "mentor_name": p.mentor.name, "mentee_id": p.mentee.id,
             "mentee_name": p.mentee.name, "subject_ids": list(p.fit.subject_ids), "score": p.fit.score,
             "reasons": p.fit.reasons, "dropped": False}
            for p in kept
        ],
        unmatched=[{"mentee_id": u.mentee.id, "mentee_name": u.mentee.name, "reason": u.reason} for u in result.unmatched],
    )
    for pair in kept:
        _create(mentor_id=pair.mentor.id, mentee_id=pair.mentee.id, fit=pair.fit, status=Mentorship.Status.ACTIVE,
                when=now - timedelta(days=14), round=committed)

    # A few mentees have asked a suggested mentor themselves and are waiting for the answer.
    matched = {pair.mentee.id for pair in kept}
    waiting = 0
    mentors = [m for m in selectors.approved_mentor_offers() if m.free_capacity > 0]
    for need in pool[10:]:
        if waiting == 4:
            break
        if need.id in matched:
            continue
        ranked = matching.suggestions(need, mentors, names, min_year_gap=gap)
        if ranked:
            mentor, fit = ranked[0]
            _create(mentor_id=mentor.id, mentee_id=need.id, fit=fit, status=Mentorship.Status.REQUESTED,
                    when=now - timedelta(days=rng.randint(0, 5), hours=rng.randint(0, 20)))
            waiting += 1
