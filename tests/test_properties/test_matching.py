"""Matching under arbitrary instances: the round solver respects capacities and eligibility and
reaches the brute-force optimum; request/accept/decline/end sequences never overfill a mentor."""

import itertools

import pytest
from hypothesis import event, example, given, target
from hypothesis import strategies as st

from accounts.availability import SLOT_CHOICES
from mentorship import matching, services
from mentorship.models import Mentorship
from mentorship.services import MatchingError
from tests.factories import SubjectFactory
from tests.test_mentorship.support import mentee_wanting, mentor_teaching
from tests.test_properties.support import FEW, rolled_back

SUBJECTS = [1, 2, 3]
NAMES = {1: "Anatomy", 2: "Biochemistry", 3: "Cardiology"}
MIN_GAP = 2
slots = st.frozensets(st.sampled_from([code for code, _ in SLOT_CHOICES[:6]]), max_size=3)
years = st.one_of(st.none(), st.integers(min_value=1, max_value=4))
specialties = st.sampled_from(["", "Surgery", "surgery ", "Pediatrics"])


@st.composite
def instances(draw):
    n_mentees = draw(st.integers(min_value=0, max_value=5))
    n_mentors = draw(st.integers(min_value=0, max_value=3))
    people = [
        matching.MenteeNeed(
            id=i, name=f"Mentee {i}", class_year=draw(years),
            wanted={s: r for r, s in enumerate(draw(st.lists(st.sampled_from(SUBJECTS), unique=True, max_size=3)), 1)},
            availability=draw(slots), specialty=draw(specialties),
        )
        for i in range(1, n_mentees + 1)
    ]
    # Mentor ids may repeat a mentee's id: someone can be both, and must never mentor themselves.
    mentor_ids = draw(st.lists(st.integers(min_value=1, max_value=8), unique=True, min_size=n_mentors, max_size=n_mentors))
    offers = [
        matching.MentorOffer(
            id=i, name=f"Mentor {i}", class_year=draw(years),
            offered=draw(st.frozensets(st.sampled_from(SUBJECTS), max_size=3)),
            free_capacity=draw(st.integers(min_value=-1, max_value=2)),
            availability=draw(slots), specialty=draw(specialties), is_approved=draw(st.booleans()),
        )
        for i in mentor_ids
    ]
    return people, offers


def brute_force_best_total(score, eligible, capacity) -> float:
    """The best total over every assignment (each mentee to one eligible mentor or nobody)."""
    n_e, n_o = score.shape
    best = 0.0
    for choice in itertools.product(range(-1, n_o), repeat=n_e):
        if any(j >= 0 and not eligible[i, j] for i, j in enumerate(choice)):
            continue
        if any(choice.count(j) > max(capacity[j], 0) for j in range(n_o)):
            continue
        best = max(best, sum(float(score[i, j]) for i, j in enumerate(choice) if j >= 0))
    return best


@FEW
@given(instance=instances())
def test_the_round_solver_respects_capacity_and_eligibility_and_finds_the_best_total(instance):
    people, offers = instance
    result = matching.solve_round(people, offers, NAMES, min_year_gap=MIN_GAP)

    assert sorted([p.mentee.id for p in result.pairs] + [u.mentee.id for u in result.unmatched]) == [m.id for m in people]
    for pair in result.pairs:
        assert matching.ineligibility(pair.mentor, pair.mentee, NAMES, min_year_gap=MIN_GAP) is None
    for offer in offers:
        assert sum(1 for p in result.pairs if p.mentor.id == offer.id) <= max(offer.free_capacity, 0)
    for unmatched in result.unmatched:
        assert unmatched.reason

    if people and offers:
        score, eligible, _ = matching.score_matrix(people, offers, min_year_gap=MIN_GAP)
        best = brute_force_best_total(score, eligible, [o.free_capacity for o in offers])
        assert result.total_score == pytest.approx(best, abs=0.01 * len(people))


# Each operation names its target by index among the pairs it applies to (pending ones for answers,
# active ones for endings), so generated sequences reach valid input instead of mostly refusals.
OPS = st.lists(
    st.one_of(
        st.tuples(st.just("request"), st.integers(0, 3), st.integers(0, 1)),
        st.tuples(st.sampled_from(["accept", "decline", "withdraw", "end_by_mentor", "end_by_mentee"]), st.integers(0, 9)),
    ),
    max_size=12,
)
ANSWERS = {"accept", "decline", "withdraw"}


@pytest.fixture
def people():
    anatomy, biochem = SubjectFactory(name="Anatomy"), SubjectFactory(name="Biochemistry")
    return [mentor_teaching(anatomy, biochem) for _ in range(2)], [mentee_wanting(anatomy, biochem) for _ in range(4)]


def _expected_request_outcome(mentee, mentor, capacity: int) -> str:
    """What asking `mentor` must give: every mentor teaches both subjects every mentee wants, so one
    open pair covers a mentee's whole need."""
    if Mentorship.objects.open().filter(mentor=mentor, mentee=mentee).exists():
        return "DuplicateRequest"
    if Mentorship.objects.active().filter(mentor=mentor).count() >= capacity:
        return "MentorFull"
    if Mentorship.objects.open().filter(mentee=mentee).exists():
        return "DuplicateRequest"
    return "Mentorship"


def _outcome(service, **arguments) -> str:
    try:
        return type(service(**arguments)).__name__
    except MatchingError as refusal:
        assert str(refusal), "a refusal must carry a message for the user"
        return type(refusal).__name__


@pytest.mark.django_db
@FEW
@given(capacities=st.tuples(st.integers(1, 2), st.integers(1, 2)), ops=OPS)
# Two requests to a one-place mentor, both accepted: the second must be refused as full.
@example(capacities=(1, 1), ops=[("request", 0, 0), ("request", 1, 0), ("accept", 0), ("accept", 0)])
def test_random_request_accept_decline_end_sequences_never_exceed_a_mentors_capacity(people, capacities, ops):
    mentors, mentees = people
    capacity_of = {}
    with rolled_back():
        for mentor, capacity in zip(mentors, capacities, strict=True):
            mentor.mentor_capacity = capacity
            mentor.save(update_fields=["mentor_capacity"])
            capacity_of[mentor.pk] = capacity
        accepted = 0
        for op in ops:
            pairs = list(Mentorship.objects.select_related("mentor", "mentee").order_by("pk"))
            if op[0] == "request":
                mentee, mentor = mentees[op[1]], mentors[op[2]]
                expected = _expected_request_outcome(mentee, mentor, capacity_of[mentor.pk])
                outcome = _outcome(services.request_mentorship, mentee=mentee, mentor=mentor, message="Help ✓")
            else:
                wanted = Mentorship.Status.REQUESTED if op[0] in ANSWERS else Mentorship.Status.ACTIVE
                candidates = [p for p in pairs if p.status == wanted]
                if not candidates:
                    event(f"{op[0]}: nothing to act on")
                    continue
                pair = candidates[op[1] % len(candidates)]
                expected = "Mentorship"
                if op[0] == "accept":
                    has_room = Mentorship.objects.active().filter(mentor=pair.mentor).count() < capacity_of[pair.mentor_id]
                    expected = "Mentorship" if has_room else "MentorFull"
                    outcome = _outcome(services.accept_request, mentorship=pair, mentor=pair.mentor)
                    accepted += outcome == "Mentorship"
                elif op[0] == "decline":
                    outcome = _outcome(services.decline_request, mentorship=pair, mentor=pair.mentor, reason="Busy")
                elif op[0] == "withdraw":
                    outcome = _outcome(services.withdraw_request, mentorship=pair, mentee=pair.mentee)
                else:
                    by = pair.mentor if op[0] == "end_by_mentor" else pair.mentee
                    outcome = _outcome(services.end_mentorship, mentorship=pair, by=by, reason="Done")
            event(f"{op[0]}: {outcome}")
            assert outcome == expected, f"{op[0]} gave {outcome}, expected {expected}"
            for mentor, capacity in zip(mentors, capacities, strict=True):
                assert Mentorship.objects.active().filter(mentor=mentor).count() <= capacity
            open_pairs = list(Mentorship.objects.open().values_list("mentor_id", "mentee_id"))
            assert len(open_pairs) == len(set(open_pairs)), "two open pairs for the same mentor and mentee"
        # Steer the search towards sequences that fill mentors, where the capacity rule is tested.
        target(float(accepted), label="accepted requests")
