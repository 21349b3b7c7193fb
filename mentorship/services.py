"""Every write of the matching domain: requests and their answers, ending pairs, matching rounds.

Capacity is the invariant that matters: a mentor never has more active pairs than
`mentor_capacity`. Every path that creates an active pair (accepting a request, committing a
round) locks the mentor's user row first and counts active pairs after taking the lock, so two
such paths for the same mentor run one after the other and the second sees the first's pair.
"""

import logging
from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from core import locking
from core.enqueue import delay_on_commit
from core.errors import ApplicationError, clean_or_refuse
from mentorship import matching, selectors
from mentorship.models import MatchingRound, Mentorship, MentorshipSubject
from notifications.services import queue_templated_email
from subjects.models import Subject

logger = logging.getLogger(__name__)


class MatchingError(ApplicationError):
    """A rule of mentor-mentee matching said no."""


class NotEligibleForMentorship(MatchingError):
    """This person may not ask for, take or end this mentorship."""


class MentorFull(MatchingError):
    """The mentor has no free place left."""


class DuplicateRequest(MatchingError):
    """The mentee already has an open request or pair for these subjects."""


class NotPending(MatchingError):
    """The request was already answered, withdrawn or expired."""


class NothingToMatch(MatchingError):
    """A round found no mentee to match."""


class StalePreview(MatchingError):
    """The round is no longer a preview (committed, failed or recomputed meanwhile)."""


def _names(subjects: Iterable[Subject]) -> str:
    return matching.join_words(s.name for s in subjects)


def _email(mentorship: Mentorship, *, to: User, kind: str, template: str, **context: object) -> None:
    queue_templated_email(
        to=to,
        kind=kind,
        template=f"mentorship/email/{template}",
        # One email per mentorship, event and recipient, however often a task is retried.
        dedupe_key=f"mentorship:{mentorship.pk}:{template}:{to.pk}",
        context={
            "mentorship": mentorship,
            "mentor": mentorship.mentor,
            "mentee": mentorship.mentee,
            "recipient": to,
            "subjects": _names(mentorship.subjects.all()),
            "expiry_days": settings.MENTORSHIP_REQUEST_EXPIRY_DAYS,
            **context,
        },
    )


def _lock_user(pk: int) -> User:
    return locking.lock(User.objects.all(), pk)  # FOR NO KEY UPDATE: see core.locking


def _active_count(mentor_id: int) -> int:
    return Mentorship.objects.active().filter(mentor_id=mentor_id).count()


def _close_subjects(mentorship: Mentorship) -> None:
    MentorshipSubject.objects.filter(mentorship=mentorship).update(is_open=False)


def _close(mentorship: Mentorship, *, status: str, by: User, reason: str, answered: bool = False) -> None:
    """The pair stops (declined, withdrawn or ended): who closed it, when and why; its subjects free up."""
    now = timezone.now()
    mentorship.status = status
    mentorship.ended_at = now
    mentorship.ended_by = by
    mentorship.end_reason = reason
    fields = ["status", "ended_at", "ended_by", "end_reason"]
    if answered:
        mentorship.responded_at = now
        fields.append("responded_at")
    mentorship.save(update_fields=fields)
    _close_subjects(mentorship)


# ---------------------------------------------------------------------------
# Self-service
# ---------------------------------------------------------------------------
@transaction.atomic
def request_mentorship(*, mentee: User, mentor: User, message: str = "") -> Mentorship:
    """The mentee asks `mentor` for help in the subjects they want and the mentor teaches.

    The request covers those shared subjects the mentee has no pending request or active mentor
    for yet; raises NotEligibleForMentorship, MentorFull or DuplicateRequest with a message for the mentee.
    """
    # Lock the mentee: two requests sent at once are checked one after the other.
    mentee = _lock_user(mentee.pk)
    if not mentee.is_mentee:
        raise NotEligibleForMentorship("Only mentees can ask for a mentor.")
    if Mentorship.objects.open().filter(mentor=mentor, mentee=mentee).exists():
        raise DuplicateRequest(f"You already have a request or a pair with {mentor.display_name}.")
    full_need = selectors.mentee_need_for(mentee, uncovered_only=False)
    uncovered_need = selectors.mentee_need_for(mentee)
    offer = selectors.mentor_offer_for(mentor)
    names = selectors.subject_names()
    if not full_need.wanted:
        raise NotEligibleForMentorship("Choose the subjects you want help in on your profile first.")
    # The general rules (approved, year gap, shared subject) first, then the mentor's free places.
    reason = matching.ineligibility(
        replace(offer, free_capacity=1), full_need, names, min_year_gap=settings.MATCHING_MIN_YEAR_GAP
    )
    if reason:
        raise NotEligibleForMentorship(reason)
    if offer.free_capacity <= 0:
        raise MentorFull(f"{mentor.display_name} has no free place right now. Choose another mentor.")
    fit = matching.fit(offer, uncovered_need, names, min_year_gap=settings.MATCHING_MIN_YEAR_GAP)
    if not fit.subject_ids:
        covered = _names(Subject.objects.filter(pk__in=set(full_need.wanted) & offer.offered))
        raise DuplicateRequest(
            f"You already have a pending request or a mentor for {covered}. "
            "Wait for the answer, or withdraw that request first."
        )
    now = timezone.now()
    mentorship = Mentorship(
        mentor=mentor, mentee=mentee, message=message.strip(), requested_at=now,
        score=fit.score, reasons=fit.reasons[:500],
    )
    clean_or_refuse(mentorship)
    try:
        with transaction.atomic():
            mentorship.save()
            MentorshipSubject.objects.bulk_create(
                MentorshipSubject(mentorship=mentorship, subject_id=s, mentee=mentee) for s in fit.subject_ids
            )
    except IntegrityError as exc:
        raise DuplicateRequest("You already have a pending request for one of these subjects.") from exc
    _email(mentorship, to=mentor, kind="mentorship_requested", template="requested")
    return mentorship


def _lock_pending(mentorship: Mentorship) -> Mentorship:
    locked = locking.lock(Mentorship.objects.all(), mentorship.pk)
    if locked.status != Mentorship.Status.REQUESTED:
        raise NotPending(f"This request is already {locked.get_status_display().lower()}.")
    return locked


def request_is_overdue(mentorship: Mentorship, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return mentorship.requested_at <= now - timedelta(days=settings.MENTORSHIP_REQUEST_EXPIRY_DAYS)


@transaction.atomic
def accept_request(*, mentorship: Mentorship, mentor: User) -> Mentorship:
    """The mentor takes the mentee on. Capacity is counted under a lock on the mentor."""
    mentorship = _lock_pending(mentorship)
    if mentorship.mentor_id != mentor.pk:
        raise NotPending("Only the mentor asked can answer this request.")
    if request_is_overdue(mentorship):
        raise NotPending("This request has expired; the mentee can ask again.")
    mentor = _lock_user(mentor.pk)
    if not mentor.is_mentor:
        raise NotEligibleForMentorship("Only approved mentors can take mentees.")
    taken = _active_count(mentor.pk)
    if taken >= mentor.mentor_capacity:
        raise MentorFull(
            f"You have no free place ({taken} of {mentor.mentor_capacity} taken). "
            "End a pair or raise your capacity first."
        )
    mentorship.status = Mentorship.Status.ACTIVE
    mentorship.responded_at = timezone.now()
    mentorship.save(update_fields=["status", "responded_at"])
    _email(mentorship, to=mentorship.mentee, kind="mentorship_accepted", template="accepted")
    return mentorship


@transaction.atomic
def decline_request(*, mentorship: Mentorship, mentor: User, reason: str = "") -> Mentorship:
    mentorship = _lock_pending(mentorship)
    if mentorship.mentor_id != mentor.pk:
        raise NotPending("Only the mentor asked can answer this request.")
    _close(mentorship, status=Mentorship.Status.DECLINED, by=mentor, reason=reason.strip(), answered=True)
    _email(mentorship, to=mentorship.mentee, kind="mentorship_declined", template="declined")
    return mentorship


@transaction.atomic
def withdraw_request(*, mentorship: Mentorship, mentee: User) -> Mentorship:
    """The mentee takes back a request that was not answered yet."""
    mentorship = _lock_pending(mentorship)
    if mentorship.mentee_id != mentee.pk:
        raise NotPending("Only the mentee who asked can withdraw this request.")
    _close(mentorship, status=Mentorship.Status.ENDED, by=mentee, reason="Request withdrawn by the mentee.")
    return mentorship


@transaction.atomic
def end_mentorship(*, mentorship: Mentorship, by: User, reason: str = "") -> Mentorship:
    """Either side ends an active pair; the other side is emailed."""
    mentorship = locking.lock(Mentorship.objects.all(), mentorship.pk)
    if by.pk not in (mentorship.mentor_id, mentorship.mentee_id):
        raise NotEligibleForMentorship("Only the mentor or the mentee can end this pair.")
    if mentorship.status != Mentorship.Status.ACTIVE:
        raise NotPending(f"This pair is not active (it is {mentorship.get_status_display().lower()}).")
    _close(mentorship, status=Mentorship.Status.ENDED, by=by, reason=reason.strip())
    other = mentorship.mentee if by.pk == mentorship.mentor_id else mentorship.mentor
    _email(mentorship, to=other, kind="mentorship_ended", template="ended", ended_by=by)
    return mentorship


def expire_overdue_requests(*, now: datetime | None = None) -> int:
    """Expire requests left unanswered for MENTORSHIP_REQUEST_EXPIRY_DAYS and tell the mentees.

    Each request is claimed with a conditional update, so a retry or a second worker never
    expires (or emails about) the same request twice. Returns how many this call expired.
    """
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.MENTORSHIP_REQUEST_EXPIRY_DAYS)
    due = list(Mentorship.objects.pending().filter(requested_at__lte=cutoff).values_list("pk", flat=True))
    expired = 0
    for pk in due:
        with transaction.atomic():
            won = Mentorship.objects.filter(pk=pk, status=Mentorship.Status.REQUESTED).update(
                status=Mentorship.Status.EXPIRED, ended_at=now
            )
            if not won:
                continue
            mentorship = Mentorship.objects.select_related("mentor", "mentee").get(pk=pk)
            _close_subjects(mentorship)
            _email(mentorship, to=mentorship.mentee, kind="mentorship_expired", template="expired")
            expired += 1
    return expired


# ---------------------------------------------------------------------------
# Matching rounds
# ---------------------------------------------------------------------------
def start_round(*, admin: User, subject: Subject | None = None, class_year: int | None = None) -> MatchingRound:
    """Create a round and compute it in the background. Raises NothingToMatch for an empty pool."""
    pool = selectors.round_pool(subject_id=subject.pk if subject else None, class_year=class_year)
    if not pool:
        raise NothingToMatch(
            "There is nobody to match: every mentee in this selection already has a mentor or a "
            "pending request (or there are no mentees in it)."
        )
    from mentorship.tasks import compute_matching_round

    with transaction.atomic():
        matching_round = MatchingRound(created_by=admin, subject=subject, class_year=class_year)
        clean_or_refuse(matching_round)
        matching_round.save()
        delay_on_commit(compute_matching_round, matching_round.pk)
    return matching_round


def _set_progress(round_id: int, percent: int, note: str) -> None:
    MatchingRound.objects.filter(pk=round_id, status=MatchingRound.Status.COMPUTING).update(
        progress=percent, progress_note=note[:200]
    )


def compute_round(*, round_id: int) -> MatchingRound:
    """Work out the round's proposed pairs (the Celery task calls this). Safe to run again."""
    matching_round = MatchingRound.objects.get(pk=round_id)
    if matching_round.status != MatchingRound.Status.COMPUTING:
        return matching_round
    try:
        _set_progress(round_id, 5, "Reading mentees and mentors")
        mentees = selectors.round_pool(subject_id=matching_round.subject_id, class_year=matching_round.class_year)
        mentors = [m for m in selectors.approved_mentor_offers() if m.free_capacity > 0]
        result = matching.solve_round(
            mentees, mentors, selectors.subject_names(),
            min_year_gap=settings.MATCHING_MIN_YEAR_GAP,
            progress=lambda percent, note: _set_progress(round_id, min(percent, 95), note),
        )
    except Exception as exc:
        logger.exception("Matching round %s failed", round_id)
        MatchingRound.objects.filter(pk=round_id, status=MatchingRound.Status.COMPUTING).update(
            status=MatchingRound.Status.FAILED, error=f"The round could not be computed: {exc}"[:2000]
        )
        raise
    pairs = [
        {
            "mentor_id": p.mentor.id, "mentor_name": p.mentor.name,
            "mentee_id": p.mentee.id, "mentee_name": p.mentee.name,
            "subject_ids": list(p.fit.subject_ids), "score": p.fit.score, "reasons": p.fit.reasons,
            "dropped": False,
        }
        for p in result.pairs
    ]
    unmatched = [{"mentee_id": u.mentee.id, "mentee_name": u.mentee.name, "reason": u.reason} for u in result.unmatched]
    MatchingRound.objects.filter(pk=round_id, status=MatchingRound.Status.COMPUTING).update(
        status=MatchingRound.Status.PREVIEW, progress=100, progress_note="Ready to review",
        proposed_pairs=pairs, unmatched=unmatched, total_score=result.total_score,
        computed_at=timezone.now(),
    )
    return MatchingRound.objects.get(pk=round_id)


@transaction.atomic
def set_pair_dropped(*, matching_round: MatchingRound, mentee_id: int, dropped: bool = True) -> MatchingRound:
    """Drop a proposed pair from the preview (or put it back) before committing."""
    matching_round = locking.lock(MatchingRound.objects.all(), matching_round.pk)
    if matching_round.status != MatchingRound.Status.PREVIEW:
        raise StalePreview("This round is no longer a preview; its pairs cannot be changed.")
    for pair in matching_round.proposed_pairs:
        if pair["mentee_id"] == mentee_id:
            pair["dropped"] = dropped
            break
    else:
        raise StalePreview("That pair is not part of this round.")
    matching_round.save(update_fields=["proposed_pairs"])
    return matching_round


def _stale_problems(pairs: list[dict], users: dict[int, User]) -> list[str]:
    """What changed since the preview that makes some of its pairs impossible now."""
    problems = []
    new_per_mentor: dict[int, int] = {}
    for pair in pairs:
        new_per_mentor[pair["mentor_id"]] = new_per_mentor.get(pair["mentor_id"], 0) + 1
    open_mentees = set(
        Mentorship.objects.open().filter(mentee_id__in=[p["mentee_id"] for p in pairs]).values_list("mentee_id", flat=True)
    )
    for mentor_id, new in sorted(new_per_mentor.items()):
        mentor = users.get(mentor_id)
        if mentor is None or not mentor.is_mentor or not mentor.is_active:
            problems.append(f"{mentor.display_name if mentor else 'A mentor'} is no longer an approved mentor.")
            continue
        free = mentor.mentor_capacity - _active_count(mentor_id)
        if new > free:
            problems.append(
                f"{mentor.display_name} now has {max(free, 0)} free place{'s' if free != 1 else ''} "
                f"but this round gives them {new}."
            )
    for pair in pairs:
        mentee = users.get(pair["mentee_id"])
        if mentee is None or not mentee.is_mentee or not mentee.is_active:
            problems.append(f"{pair['mentee_name']} is no longer a mentee.")
        elif pair["mentee_id"] in open_mentees:
            problems.append(f"{pair['mentee_name']} now has a mentor or a pending request.")
    return problems


@transaction.atomic
def commit_round(*, matching_round: MatchingRound, admin: User) -> list[Mentorship]:
    """Create all kept pairs of a previewed round in one transaction and email both sides.

    Idempotent: committing a committed round creates nothing and returns []. If anything changed
    since the preview (a mentor filled up, a mentee found a mentor), raises StalePreview listing
    it and saves nothing; the admin drops those pairs or runs a new round.
    """
    matching_round = locking.lock(MatchingRound.objects.all(), matching_round.pk)
    if matching_round.status == MatchingRound.Status.COMMITTED:
        return []
    if matching_round.status != MatchingRound.Status.PREVIEW:
        raise StalePreview(f"This round cannot be committed while it is {matching_round.get_status_display().lower()}.")
    pairs = matching_round.kept_pairs
    if not pairs:
        raise NothingToMatch("There are no pairs to commit: the round proposed none, or all were dropped.")
    # Lock every person in the round in one ordered query; accept_request locks the same mentor rows.
    user_ids = sorted({p["mentor_id"] for p in pairs} | {p["mentee_id"] for p in pairs})
    users = {u.pk: u for u in locking.lock_rows(User.objects.filter(pk__in=user_ids))}
    problems = _stale_problems(pairs, users)
    if problems:
        raise StalePreview(
            "The preview is out of date: " + " ".join(problems) + " Drop those pairs or run a new round."
        )
    now = timezone.now()
    created = []
    try:
        with transaction.atomic():
            for pair in pairs:
                mentorship = Mentorship.objects.create(
                    mentor=users[pair["mentor_id"]], mentee=users[pair["mentee_id"]],
                    status=Mentorship.Status.ACTIVE, requested_at=now, responded_at=now,
                    score=pair["score"], reasons=pair["reasons"][:500], round=matching_round,
                )
                MentorshipSubject.objects.bulk_create(
                    MentorshipSubject(mentorship=mentorship, subject_id=s, mentee_id=pair["mentee_id"])
                    for s in pair["subject_ids"]
                )
                created.append(mentorship)
    except IntegrityError as exc:
        raise StalePreview("The preview is out of date: some of these pairs exist already. Run a new round.") from exc
    matching_round.status = MatchingRound.Status.COMMITTED
    matching_round.committed_at = now
    matching_round.committed_by = admin
    matching_round.save(update_fields=["status", "committed_at", "committed_by"])
    for mentorship in created:
        _email(mentorship, to=mentorship.mentee, kind="mentorship_matched", template="matched_mentee")
        _email(mentorship, to=mentorship.mentor, kind="mentorship_matched", template="matched_mentor")
    return created
