"""Reads of the matching domain, with the joins each page needs."""

from collections.abc import Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from accounts.class_year import class_year_for, graduation_year_for
from accounts.models import OfferedSubject, User, WantedSubject, display_name_for
from mentorship.matching import (
    Fit,
    MenteeNeed,
    MentorOffer,
    describe_shared_slots,
    match_strength,
    reasons_for_mentor,
    suggestions,
)
from mentorship.models import MatchingRound, Mentorship, MentorshipSubject
from subjects.models import Subject


def active_mentee_ids_for(mentor: User) -> set[int]:
    """Ids of the mentees in an active pair with `mentor` (used by the sessions app)."""
    return set(Mentorship.objects.active().filter(mentor=mentor).values_list("mentee_id", flat=True))


def active_pair_count(mentor: User) -> int:
    return Mentorship.objects.active().filter(mentor=mentor).count()


def subject_names() -> dict[int, str]:
    return dict(Subject.objects.values_list("pk", "name"))


def _mentee_need(user: User, *, exclude_subjects: AbstractSet[int] = frozenset()) -> MenteeNeed:
    wanted = {
        w.subject_id: w.rank for w in user.wanted_subjects.all()
        if w.subject.is_active and w.subject_id not in exclude_subjects
    }
    return MenteeNeed(
        id=user.pk,
        name=user.display_name,
        class_year=user.class_year,
        wanted=wanted,
        availability=frozenset(user.availability or []),
        specialty=user.specialty_interest or "",
    )


def _mentor_offers(queryset: QuerySet[User]) -> list[MentorOffer]:
    """The mentors of `queryset` (in its order) as the matcher sees them, in two queries and without
    User objects: Find a mentor reads every approved mentor on each request."""
    offered: dict[int, set[int]] = {}
    for user_id, subject_id in OfferedSubject.objects.filter(
        user__in=queryset.values("pk"), subject__is_active=True
    ).values_list("user_id", "subject_id"):
        offered.setdefault(user_id, set()).add(subject_id)
    # By id: a GROUP BY query drops Meta.ordering, and the round solver breaks ties by position.
    rows = queryset.annotate(
        active_pairs=Count("mentorships_as_mentor", filter=Q(mentorships_as_mentor__status="active"))
    ).order_by("pk").values_list(
        "pk", "first_name", "last_name", "email", "graduation_year", "mentor_capacity", "active_pairs",
        "availability", "specialty_interest", "is_mentor", "is_active",
    )  # fmt: skip
    today = timezone.localdate()  # once: class_year_for() would look up the date for every mentor
    return [
        MentorOffer(
            id=pk,
            name=display_name_for(first_name, last_name, email),
            class_year=class_year_for(graduation_year, today),
            offered=frozenset(offered.get(pk, ())),
            free_capacity=max(capacity - active_pairs, 0),
            availability=frozenset(availability or []),
            specialty=specialty or "",
            is_approved=is_mentor and is_active,
        )
        for (pk, first_name, last_name, email, graduation_year, capacity, active_pairs,
             availability, specialty, is_mentor, is_active) in rows
    ]  # fmt: skip


def mentee_need_for(mentee: User, *, uncovered_only: bool = True) -> MenteeNeed:
    """The mentee's need as stored now: by default only wanted subjects with no pending request or
    active mentor. Two value queries: Find a mentor asks for it on every request."""
    first_name, last_name, email, graduation_year, availability, specialty = User.objects.values_list(
        "first_name", "last_name", "email", "graduation_year", "availability", "specialty_interest"
    ).get(pk=mentee.pk)
    wanted = WantedSubject.objects.filter(user_id=mentee.pk, subject__is_active=True)
    if uncovered_only:
        wanted = wanted.exclude(
            Exists(MentorshipSubject.objects.filter(mentee_id=mentee.pk, is_open=True, subject_id=OuterRef("subject_id")))
        )
    return MenteeNeed(
        id=mentee.pk,
        name=display_name_for(first_name, last_name, email),
        class_year=class_year_for(graduation_year),
        wanted=dict(wanted.values_list("subject_id", "rank")),
        availability=frozenset(availability or []),
        specialty=specialty or "",
    )


def mentor_offer_for(mentor: User) -> MentorOffer:
    (offer,) = _mentor_offers(User.objects.filter(pk=mentor.pk))
    return offer


def approved_mentors() -> QuerySet[User]:
    """Mentors the program approved, still active: the only people a mentee may look up by id."""
    return User.objects.filter(is_mentor=True, is_active=True, deleted_at__isnull=True)


def approved_mentor_offers() -> list[MentorOffer]:
    return _mentor_offers(approved_mentors())


def suggestions_for(
    mentee: User,
    *,
    limit: int = 10,
    names: Mapping[int, str] | None = None,
    open_mentor_ids: AbstractSet[int] | None = None,
) -> list[tuple[MentorOffer, Fit]]:
    """Eligible mentors with free places for the mentee's uncovered subjects, best fit first.

    `open_mentor_ids` (the mentors of the mentee's pending or active pairs, left out) and `names`
    (subject_names()) save their queries when the caller has them already."""
    need = mentee_need_for(mentee)
    if not need.wanted:
        return []
    if open_mentor_ids is None:
        open_mentor_ids = set(Mentorship.objects.open().filter(mentee=mentee).values_list("mentor_id", flat=True))
    # Only a mentor who teaches a wanted subject can be eligible (matching.score_matrix): the
    # database leaves out the others rather than the matcher scoring every approved mentor.
    teaching = approved_mentors().filter(
        Exists(OfferedSubject.objects.filter(user=OuterRef("pk"), subject_id__in=list(need.wanted)))
    )
    mentors = [m for m in _mentor_offers(teaching) if m.id not in open_mentor_ids]
    return suggestions(
        need, mentors, subject_names() if names is None else names,
        min_year_gap=settings.MATCHING_MIN_YEAR_GAP, limit=limit,
    )  # fmt: skip


@dataclass(frozen=True)
class MentorCard:
    """A suggested mentor as the Find a mentor page shows them: why first, then who they are."""

    mentor: MentorOffer
    reasons: str
    strength: str  # "strong match", "good match", "possible match"
    bio: str
    subjects: list[str]
    free_times: str


def mentor_cards_for(
    mentee: User, *, limit: int = 10, open_mentor_ids: AbstractSet[int] | None = None
) -> list[MentorCard]:
    """suggestions_for() with each mentor's bio, subjects and free times, for the page."""
    names = subject_names()
    ranked = suggestions_for(mentee, limit=limit, names=names, open_mentor_ids=open_mentor_ids)
    bios = dict(User.objects.filter(pk__in=[m.id for m, _ in ranked]).values_list("pk", "bio"))
    return [
        MentorCard(
            mentor=mentor,
            reasons=fit.reasons,
            strength=match_strength(fit.score),
            bio=bios.get(mentor.id, ""),
            subjects=sorted(names[s] for s in mentor.offered if s in names),
            free_times=describe_shared_slots(mentor.availability),
        )
        for mentor, fit in ranked
    ]


def reasons_seen_by_mentor(mentor: User, pairs: list[Mentorship]) -> dict[int, str]:
    """Why each pair fits, told from the mentor's side ("Wants Anatomy; 3 years behind you; ..."),
    from the pair's subjects and both people's current profiles; `pairs` come from
    mentorships_for_mentor() (mentee and subjects already fetched)."""
    names: dict[int, str] = {}
    reasons: dict[int, str] = {}
    for pair in pairs:
        subjects = list(pair.subjects.all())
        names.update({s.pk: s.name for s in subjects})
        offer = MentorOffer(
            id=mentor.pk, name=mentor.display_name, class_year=mentor.class_year,
            offered=frozenset(s.pk for s in subjects), free_capacity=0,
            availability=frozenset(mentor.availability or []), specialty=mentor.specialty_interest or "",
        )
        need = MenteeNeed(
            id=pair.mentee.pk, name=pair.mentee.display_name, class_year=pair.mentee.class_year,
            wanted={s.pk: rank for rank, s in enumerate(subjects, start=1)},
            availability=frozenset(pair.mentee.availability or []), specialty=pair.mentee.specialty_interest or "",
        )
        reasons[pair.pk] = reasons_for_mentor(offer, need, names)
    return reasons


def round_pool(*, subject_id: int | None = None, class_year: int | None = None) -> list[MenteeNeed]:
    """Unmatched mentees for a round: no active pair and no pending request, optionally filtered."""
    open_pairs = Mentorship.objects.open().filter(mentee=OuterRef("pk"))
    mentees = (
        User.objects.filter(is_mentee=True, is_active=True, deleted_at__isnull=True)
        .exclude(Exists(open_pairs))
        .prefetch_related(Prefetch("wanted_subjects", queryset=WantedSubject.objects.select_related("subject")))
        .order_by("pk")
    )
    if subject_id:
        mentees = mentees.filter(wanted_subjects__subject_id=subject_id)
    if class_year:
        mentees = mentees.filter(graduation_year=graduation_year_for(class_year))
    return [_mentee_need(m) for m in mentees]


def _pairs_of(side: str, user: User, other_side: str) -> QuerySet[Mentorship]:
    """`user`'s pairs (as `side`), latest request first, with the other person and the subjects read along."""
    pairs = Mentorship.objects.filter(**{side: user}).select_related(other_side, "ended_by")
    return pairs.prefetch_related("subjects").order_by("-requested_at")


def mentorships_for_mentee(mentee: User) -> QuerySet[Mentorship]:
    return _pairs_of("mentee", mentee, "mentor")


def mentorships_for_mentor(mentor: User) -> QuerySet[Mentorship]:
    return _pairs_of("mentor", mentor, "mentee")


def recent_rounds(limit: int = 20) -> QuerySet[MatchingRound]:
    return MatchingRound.objects.select_related("created_by", "subject", "committed_by")[:limit]
