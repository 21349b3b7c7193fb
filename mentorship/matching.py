"""Who may mentor whom, how well they fit, and the best assignment for a whole round.

Pure functions over plain profiles (no database): selectors build the profiles, services act on
the results. The fit score is computed in one vectorised function (`score_matrix`), used by the
suggestions, the round solver and the single-pair `fit`, so all of them agree.

Fit score weights (all in `WEIGHTS`, change them here and only here):

    score =  SUBJECT_POINTS  x  sum over shared subjects of 1 / (mentee's rank of the subject)
          +  SLOT_POINTS     x  shared availability slots (at most MAX_COUNTED_SLOTS)
          +  YEAR_POINTS     x  class years ahead beyond the required minimum gap
          +  SPECIALTY_POINTS   if both name the same specialty interest

Subjects dominate (a mentee's first choice is worth more than everything else together), shared
free time comes next (a pair that can never meet is no pair), then seniority and specialty.
The round solver maximises the total score subject to each mentor's free capacity: a maximum
weight b-matching, solved exactly by SciPy's sparse assignment solver (LAPJVsp,
scipy.sparse.csgraph.min_weight_full_bipartite_matching) on a graph in which each mentor appears
once per free place.
"""

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from accounts.availability import PARTS_OF_DAY, SLOT_CHOICES, WEEKDAYS


@dataclass(frozen=True)
class Weights:
    subject_points: float = 10.0
    slot_points: float = 1.0
    max_counted_slots: int = 3
    year_points: float = 1.0
    specialty_points: float = 2.0


WEIGHTS = Weights()
SLOT_INDEX = {code: i for i, (code, _) in enumerate(SLOT_CHOICES)}


@dataclass(frozen=True)
class MenteeNeed:
    """A mentee as the matcher sees them. `wanted` maps subject id -> rank (1 = most wanted)."""

    id: int
    name: str
    class_year: int | None
    wanted: Mapping[int, int]
    availability: frozenset[str] = frozenset()
    specialty: str = ""


@dataclass(frozen=True)
class MentorOffer:
    """An approved (or not) mentor with the places they have left (capacity minus active pairs)."""

    id: int
    name: str
    class_year: int | None
    offered: frozenset[int]
    free_capacity: int
    availability: frozenset[str] = frozenset()
    specialty: str = ""
    is_approved: bool = True


@dataclass(frozen=True)
class Fit:
    score: float  # exact; rounded only for display, so totals add up to the true optimum
    subject_ids: tuple[int, ...]
    reasons: str


@dataclass(frozen=True)
class ProposedPair:
    mentor: MentorOffer
    mentee: MenteeNeed
    fit: Fit


@dataclass(frozen=True)
class UnmatchedMentee:
    mentee: MenteeNeed
    reason: str


@dataclass
class RoundResult:
    pairs: list[ProposedPair] = field(default_factory=list)
    unmatched: list[UnmatchedMentee] = field(default_factory=list)

    @property
    def total_score(self) -> float:
        return float(sum(pair.fit.score for pair in self.pairs))


Progress = Callable[[int, str], None]


# ---------------------------------------------------------------------------
# Words
# ---------------------------------------------------------------------------
def join_words(words: Iterable[str]) -> str:
    """["A"] -> "A"; ["A", "B"] -> "A and B"; ["A", "B", "C"] -> "A, B and C"."""
    words = list(words)
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} and {words[-1]}"


def describe_shared_slots(slots: Iterable[str]) -> str:
    """{"tue-evening", "thu-evening", "mon-morning"} -> "Monday morning, Tuesday and Thursday evenings"."""
    slots = set(slots)
    groups = []
    for part, part_label in PARTS_OF_DAY:
        days = [k for k, (day, _) in enumerate(WEEKDAYS) if f"{day}-{part}" in slots]
        if days:
            groups.append((days[0], [WEEKDAYS[k][1] for k in days], part_label))
    groups.sort(key=lambda group: group[0])
    return ", ".join(f"{join_words(days)} {label}{'s' if len(days) > 1 else ''}" for _, days, label in groups)


def _shared_subjects(mentor: MentorOffer, mentee: MenteeNeed) -> list[int]:
    return sorted((s for s in mentee.wanted if s in mentor.offered), key=lambda s: (mentee.wanted[s], s))


def _same_specialty(a: str, b: str) -> bool:
    return bool(a.strip()) and a.strip().casefold() == b.strip().casefold()


def reasons_for(mentor: MentorOffer, mentee: MenteeNeed, subject_names: Mapping[int, str]) -> str:
    """Why the pair fits, told to the mentee: "Teaches Anatomy; 3 years ahead; both free Tuesday evenings"."""
    return _reasons(mentor, mentee, subject_names, teaches="Teaches", gap="ahead")


def reasons_for_mentor(mentor: MentorOffer, mentee: MenteeNeed, subject_names: Mapping[int, str]) -> str:
    """The same, told to the mentor: "Wants Anatomy; 3 years behind you; both free Tuesday evenings"."""
    return _reasons(mentor, mentee, subject_names, teaches="Wants", gap="behind you")


def _reasons(
    mentor: MentorOffer, mentee: MenteeNeed, subject_names: Mapping[int, str], *, teaches: str, gap: str
) -> str:
    parts = [f"{teaches} {join_words(subject_names.get(s, '?') for s in _shared_subjects(mentor, mentee))}"]
    if mentor.class_year and mentee.class_year:
        years = mentor.class_year - mentee.class_year
        parts.append(f"{years} year{'s' if years != 1 else ''} {gap}")
    shared = mentor.availability & mentee.availability
    parts.append(f"both free {describe_shared_slots(shared)}" if shared else "no shared free time listed")
    if _same_specialty(mentor.specialty, mentee.specialty):
        parts.append(f"both interested in {mentor.specialty.strip()}")
    return "; ".join(parts)


def match_strength(score: float, w: Weights = WEIGHTS) -> str:
    """The fit score in a student's words. A first-choice subject plus two more points (shared free
    time, seniority, specialty) is a strong match; any second-choice subject or better a good one."""
    if score >= w.subject_points + 2 * w.slot_points:
        return "strong match"
    if score >= w.subject_points / 2:
        return "good match"
    return "possible match"


# ---------------------------------------------------------------------------
# Eligibility and score
# ---------------------------------------------------------------------------
def ineligibility(
    mentor: MentorOffer, mentee: MenteeNeed, subject_names: Mapping[int, str], *, min_year_gap: int
) -> str | None:
    """None if the pair is eligible, else the first reason it is not, in words."""
    if mentor.id == mentee.id:
        return "You cannot mentor yourself."
    if not mentor.is_approved:
        return f"{mentor.name} is not an approved mentor."
    if not mentee.wanted:
        return f"{mentee.name} has not chosen any subjects to get help in."
    if mentor.class_year is None or mentee.class_year is None:
        return "Class year unknown, so the year gap cannot be checked."
    if mentor.class_year - mentee.class_year < min_year_gap:
        return f"{mentor.name} is not at least {min_year_gap} class years ahead of {mentee.name}."
    if not _shared_subjects(mentor, mentee):
        wanted = join_words(subject_names.get(s, "?") for s in sorted(mentee.wanted, key=lambda s: mentee.wanted[s]))
        return f"{mentor.name} does not teach {wanted}."
    if mentor.free_capacity <= 0:
        return f"{mentor.name} has no free place for another mentee."
    return None


def score_matrix(
    mentees: list[MenteeNeed], mentors: list[MentorOffer], *, min_year_gap: int
) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:
    """Fit score of every (mentee, mentor) pair, the eligibility mask, and the masks behind it.

    Rows are mentees, columns mentors. Ineligible pairs score 0.
    """
    subject_ids = sorted({s for m in mentees for s in m.wanted} | {s for m in mentors for s in m.offered})
    column = {s: i for i, s in enumerate(subject_ids)}
    n_e, n_o, n_s = len(mentees), len(mentors), len(subject_ids)

    wanted = np.zeros((n_e, n_s))
    for i, mentee in enumerate(mentees):
        for subject, rank in mentee.wanted.items():
            wanted[i, column[subject]] = 1.0 / max(rank, 1)
    offered = np.zeros((n_o, n_s))
    for j, mentor in enumerate(mentors):
        offered[j, [column[s] for s in mentor.offered]] = 1.0

    def slot_grid(people: Sequence[MenteeNeed | MentorOffer]) -> np.ndarray:
        grid = np.zeros((len(people), len(SLOT_INDEX)), dtype=np.float32)
        for i, person in enumerate(people):
            grid[i, [SLOT_INDEX[s] for s in person.availability if s in SLOT_INDEX]] = 1.0
        return grid

    # Unknown class years: a mentee "far ahead", a mentor "far behind", so the gap never qualifies.
    mentee_year = np.array([100 if m.class_year is None else m.class_year for m in mentees], dtype=np.int16)
    mentor_year = np.array([-100 if m.class_year is None else m.class_year for m in mentors], dtype=np.int16)
    gap = mentor_year[None, :] - mentee_year[:, None]

    specialty_code: dict[str, int] = {}

    def specialty_codes(people: Sequence[MenteeNeed | MentorOffer]) -> np.ndarray:
        # 0 for "none given", which never counts as shared.
        return np.array([
            specialty_code.setdefault(p.specialty.strip().casefold(), len(specialty_code) + 1)
            if p.specialty.strip() else 0
            for p in people
        ])

    mentee_specialty, mentor_specialty = specialty_codes(mentees), specialty_codes(mentors)

    # Built in place: at 5,000 x 1,000 every temporary matrix costs 40 MB and time.
    w = WEIGHTS
    score = wanted @ offered.T
    teaches = score > 0
    score *= w.subject_points
    shared_slots = slot_grid(mentees) @ slot_grid(mentors).T
    np.minimum(shared_slots, w.max_counted_slots, out=shared_slots)
    shared_slots *= w.slot_points
    score += shared_slots
    del shared_slots
    years_beyond = np.maximum(gap - min_year_gap, 0).astype(np.float32)
    years_beyond *= w.year_points
    score += years_beyond
    del years_beyond
    same_specialty = mentee_specialty[:, None] == mentor_specialty[None, :]
    same_specialty &= (mentee_specialty > 0)[:, None]
    score[same_specialty] += w.specialty_points

    approved = np.array([m.is_approved for m in mentors], dtype=bool)
    has_room = np.array([m.free_capacity > 0 for m in mentors], dtype=bool)
    base = teaches & approved[None, :]
    mentee_row = {m.id: i for i, m in enumerate(mentees)}
    for j, mentor in enumerate(mentors):
        if mentor.id in mentee_row:  # nobody mentors themselves
            base[mentee_row[mentor.id], j] = False
    ahead = base & (gap >= min_year_gap)
    eligible = ahead & has_room[None, :]
    score *= eligible  # ineligible pairs score 0
    return score, eligible, {"teaches": base, "ahead": ahead}


def fit(mentor: MentorOffer, mentee: MenteeNeed, subject_names: Mapping[int, str], *, min_year_gap: int) -> Fit:
    """Score, subjects and reasons of one pair (the caller checks eligibility first)."""
    score, _, _ = score_matrix([mentee], [mentor], min_year_gap=min_year_gap)
    return Fit(
        score=float(score[0, 0]),
        subject_ids=tuple(_shared_subjects(mentor, mentee)),
        reasons=reasons_for(mentor, mentee, subject_names),
    )


def suggestions(
    mentee: MenteeNeed,
    mentors: list[MentorOffer],
    subject_names: Mapping[int, str],
    *,
    min_year_gap: int,
    limit: int | None = None,
) -> list[tuple[MentorOffer, Fit]]:
    """Eligible mentors for one mentee, best fit first (ties: by name), the first `limit` of them."""
    if not mentors or not mentee.wanted:
        return []
    score, eligible, _ = score_matrix([mentee], mentors, min_year_gap=min_year_gap)
    ranked = sorted(
        ((float(score[0, j]), mentor) for j, mentor in enumerate(mentors) if eligible[0, j]),
        key=lambda item: (-item[0], item[1].name, item[1].id),
    )
    # Words only for the mentors shown: the reasons cost more than the scores.
    return [
        (mentor, Fit(
            score=mentor_score,
            subject_ids=tuple(_shared_subjects(mentor, mentee)),
            reasons=reasons_for(mentor, mentee, subject_names),
        ))
        for mentor_score, mentor in ranked[:limit]
    ]  # fmt: skip


# ---------------------------------------------------------------------------
# The round solver
# ---------------------------------------------------------------------------
def best_assignment(score: np.ndarray, eligible: np.ndarray, capacity: np.ndarray) -> np.ndarray:
    """Maximum-weight b-matching: for each mentee (row) the mentor column it gets, or -1.

    Each mentor j appears capacity[j] times as a "place". Every place is matched, either to an
    eligible mentee (cost M - score) or to a dummy of its own (cost M), so the minimum-cost full
    matching that SciPy finds (LAPJVsp) is the maximum total score. Exact, not a heuristic.
    The graph is built with places as rows, already in CSR form, so SciPy neither transposes nor
    converts it.
    """
    # Imported here: scipy.sparse is ~35 MiB in every web worker, and only a round's solver needs it.
    from scipy import sparse
    from scipy.sparse.csgraph import min_weight_full_bipartite_matching

    n_e, n_o = score.shape
    assignment = np.full(n_e, -1)
    # A mentor never needs more places than eligible mentees.
    capacity = np.minimum(np.maximum(np.asarray(capacity, dtype=np.int64), 0), eligible.sum(axis=0))
    n_places = int(capacity.sum())
    if n_places == 0:
        return assignment
    big = float(score.max()) + 1.0
    # Mentor rows, eligible mentee columns, cost M - score (always > 0, so no edge is lost).
    by_mentor = sparse.csr_matrix(np.where(eligible, big - score, 0.0).T)
    # int32 indices (SciPy's own index type) keep the 6-million-entry graph small and uncopied.
    owner = np.repeat(np.arange(n_o, dtype=np.int32), capacity)  # place -> mentor
    degree = np.diff(by_mentor.indptr).astype(np.int32)[owner]  # eligible mentees per place
    indptr = np.zeros(n_places + 1, dtype=np.int32)
    np.cumsum(degree + 1, out=indptr[1:])  # + 1: the place's dummy, last in its row
    offset = np.arange(int(degree.sum()), dtype=np.int32) - np.repeat(np.cumsum(degree, dtype=np.int32) - degree, degree)
    source = np.repeat(by_mentor.indptr[owner].astype(np.int32), degree) + offset
    target = np.repeat(indptr[:-1], degree) + offset
    indices = np.empty(indptr[-1], dtype=np.int32)
    costs = np.empty(indptr[-1])
    indices[target], costs[target] = by_mentor.indices[source], by_mentor.data[source]
    indices[indptr[1:] - 1], costs[indptr[1:] - 1] = n_e + np.arange(n_places, dtype=np.int32), big
    graph = sparse.csr_matrix((costs, indices, indptr), shape=(n_places, n_e + n_places))
    places, columns = min_weight_full_bipartite_matching(graph)
    real = columns < n_e
    assignment[columns[real]] = owner[places[real]]
    return assignment


def solve_round(
    mentees: list[MenteeNeed],
    mentors: list[MentorOffer],
    subject_names: Mapping[int, str],
    *,
    min_year_gap: int,
    progress: Progress | None = None,
) -> RoundResult:
    """The assignment of mentees to mentors with the highest total fit, within free capacities,
    with reasons for every pair and for every mentee left unmatched."""
    report = progress or (lambda percent, note: None)
    result = RoundResult()
    if not mentees:
        return result
    report(10, "Scoring every possible pair")
    if mentors:
        score, eligible, masks = score_matrix(mentees, mentors, min_year_gap=min_year_gap)
        report(40, "Finding the best assignment")
        assignment = best_assignment(score, eligible, np.array([m.free_capacity for m in mentors]))
    else:
        score = eligible = np.zeros((len(mentees), 0))
        masks = {"teaches": eligible.astype(bool), "ahead": eligible.astype(bool)}
        assignment = np.full(len(mentees), -1)
    report(80, "Writing the reasons")
    for i, mentee in enumerate(mentees):
        j = int(assignment[i])
        if j >= 0:
            mentor = mentors[j]
            result.pairs.append(ProposedPair(mentor=mentor, mentee=mentee, fit=Fit(
                score=float(score[i, j]),
                subject_ids=tuple(_shared_subjects(mentor, mentee)),
                reasons=reasons_for(mentor, mentee, subject_names),
            )))
        else:
            reason = _unmatched_reason(
                mentee, subject_names, min_year_gap=min_year_gap,
                teaches=int(masks["teaches"][i].sum()), ahead=int(masks["ahead"][i].sum()),
                eligible=int(np.asarray(eligible[i], dtype=bool).sum()),
            )
            result.unmatched.append(UnmatchedMentee(mentee=mentee, reason=reason))
    result.pairs.sort(key=lambda pair: (pair.mentor.name, pair.mentor.id, -pair.fit.score, pair.mentee.name))
    report(100, "Done")
    return result


def _unmatched_reason(
    mentee: MenteeNeed, subject_names: Mapping[int, str], *, min_year_gap: int, teaches: int, ahead: int, eligible: int
) -> str:
    wanted = join_words(subject_names.get(s, "?") for s in sorted(mentee.wanted, key=lambda s: mentee.wanted[s]))
    if not mentee.wanted:
        return "Has not chosen any subjects to get help in."
    if mentee.class_year is None:
        return "Class year unknown, so no mentor can be checked as far enough ahead."
    if teaches == 0:
        return f"No eligible mentor for {wanted}: no approved mentor teaches it."
    if ahead == 0:
        return f"No mentor teaching {wanted} is at least {min_year_gap} class years ahead."
    if eligible == 0:
        return f"All {ahead} eligible mentor{'s are' if ahead != 1 else ' is'} full."
    return (
        f"The free places of the {eligible} eligible mentor{'s' if eligible != 1 else ''} "
        "went to mentees with a better fit."
    )
