"""The round solver finds the best total fit within every mentor's capacity, and says why not."""

import itertools
import random

import pytest

from mentorship.matching import MenteeNeed, MentorOffer, score_matrix, solve_round

NAMES = {s: f"Subject {s}" for s in range(1, 5)}
SLOTS = ["mon-evening", "tue-evening", "wed-evening", "thu-morning", "sat-afternoon"]


def random_instance(rng: random.Random, n_mentees: int, n_mentors: int):
    mentees = [
        MenteeNeed(
            id=i, name=f"Mentee {i}", class_year=rng.choice([1, 1, 2, 3]),
            wanted={s: rank for rank, s in enumerate(rng.sample(range(1, 5), rng.randint(1, 3)), start=1)},
            availability=frozenset(rng.sample(SLOTS, rng.randint(0, 4))),
            specialty=rng.choice(["", "Surgery", "Pediatrics"]),
        )
        for i in range(1, n_mentees + 1)
    ]
    mentors = [
        MentorOffer(
            id=100 + j, name=f"Mentor {j}", class_year=rng.choice([3, 4]),
            offered=frozenset(rng.sample(range(1, 5), rng.randint(1, 3))),
            free_capacity=rng.randint(0, 2),
            availability=frozenset(rng.sample(SLOTS, rng.randint(0, 4))),
            specialty=rng.choice(["", "Surgery", "Pediatrics"]),
        )
        for j in range(1, n_mentors + 1)
    ]
    return mentees, mentors


def brute_force_best(mentees, mentors) -> float:
    """Try every way of giving each mentee one eligible mentor or none, within capacities."""
    score, eligible, _ = score_matrix(mentees, mentors, min_year_gap=2)
    options = [[None] + [j for j in range(len(mentors)) if eligible[i, j]] for i in range(len(mentees))]
    best = 0.0
    for choice in itertools.product(*options):
        load = [0] * len(mentors)
        total = 0.0
        for i, j in enumerate(choice):
            if j is not None:
                load[j] += 1
                total += score[i, j]
        if all(load[j] <= mentors[j].free_capacity for j in range(len(mentors))):
            best = max(best, total)
    return best


@pytest.mark.parametrize("seed", range(40))
def test_round_total_fit_equals_the_brute_force_optimum_on_small_random_instances(seed):
    rng = random.Random(seed)
    mentees, mentors = random_instance(rng, rng.randint(1, 6), rng.randint(1, 4))

    result = solve_round(mentees, mentors, NAMES, min_year_gap=2)

    assert result.total_score == pytest.approx(brute_force_best(mentees, mentors), rel=1e-12, abs=1e-9)


@pytest.mark.parametrize("seed", range(20))
def test_no_mentor_gets_more_mentees_than_free_places_and_everyone_is_accounted_for(seed):
    rng = random.Random(1000 + seed)
    mentees, mentors = random_instance(rng, 30, 8)

    result = solve_round(mentees, mentors, NAMES, min_year_gap=2)

    for mentor in mentors:
        assert sum(1 for p in result.pairs if p.mentor.id == mentor.id) <= mentor.free_capacity
    matched = [p.mentee.id for p in result.pairs]
    assert len(matched) == len(set(matched))
    assert sorted(matched + [u.mentee.id for u in result.unmatched]) == [m.id for m in mentees]


def need(mentee_id=1, wanted=None, year=1):
    return MenteeNeed(id=mentee_id, name=f"Mentee {mentee_id}", class_year=year, wanted={1: 1} if wanted is None else wanted)


def offer(mentor_id=100, offered=(1,), year=4, free=1):
    return MentorOffer(id=mentor_id, name=f"Mentor {mentor_id}", class_year=year, offered=frozenset(offered), free_capacity=free)


def test_an_unmatched_mentee_is_told_nobody_teaches_their_subject():
    result = solve_round([need(wanted={3: 1})], [offer(offered=(1,))], {1: "Anatomy", 3: "Biochemistry"}, min_year_gap=2)

    assert result.unmatched[0].reason == "No eligible mentor for Biochemistry: no approved mentor teaches it."


def test_an_unmatched_mentee_is_told_when_all_eligible_mentors_are_full():
    result = solve_round([need()], [offer(free=0), offer(101, free=0)], {1: "Anatomy"}, min_year_gap=2)

    assert result.unmatched[0].reason == "All 2 eligible mentors are full."


def test_an_unmatched_mentee_is_told_when_no_teacher_is_far_enough_ahead():
    result = solve_round([need(year=2)], [offer(year=3)], {1: "Anatomy"}, min_year_gap=2)

    assert result.unmatched[0].reason == "No mentor teaching Anatomy is at least 2 class years ahead."


def test_a_mentee_who_lost_the_last_place_to_a_better_fit_is_told_so():
    better = need(1, wanted={1: 1})
    worse = need(2, wanted={2: 1, 1: 2})

    result = solve_round([better, worse], [offer(offered=(1,), free=1)], {1: "Anatomy", 2: "Histology"}, min_year_gap=2)

    assert [p.mentee.id for p in result.pairs] == [1]
    assert result.unmatched[0].reason == "The free places of the 1 eligible mentor went to mentees with a better fit."


def test_a_mentee_with_no_subjects_is_unmatched_with_that_reason():
    result = solve_round([need(wanted={})], [offer()], {1: "Anatomy"}, min_year_gap=2)

    assert result.unmatched[0].reason == "Has not chosen any subjects to get help in."


def test_a_mentor_with_capacity_zero_gets_nobody():
    result = solve_round([need()], [offer(free=0)], {1: "Anatomy"}, min_year_gap=2)

    assert result.pairs == []


def test_a_round_with_nobody_to_match_proposes_nothing():
    result = solve_round([], [offer()], {1: "Anatomy"}, min_year_gap=2)

    assert result.pairs == [] and result.unmatched == []


def test_round_total_is_the_exact_sum_of_scores_not_a_sum_of_rounded_ones():
    # Each pair scores 10/3 (a third-ranked subject): rounding each to 3.33 first would give 999.00.
    mentees = [MenteeNeed(id=i, name=f"Mentee {i}", class_year=1, wanted={9: 1, 8: 2, 1: 3}) for i in range(1, 301)]
    mentors = [MentorOffer(id=1000, name="Mentor", class_year=3, offered=frozenset({1}), free_capacity=300)]

    result = solve_round(mentees, mentors, NAMES, min_year_gap=2)

    assert len(result.pairs) == 300
    assert f"{result.total_score:.2f}" == "1000.00"
