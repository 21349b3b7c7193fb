"""Benchmark: a matching round of 5,000 mentees x 1,000 mentors (capacities 1..8, 15 subjects).

Measures the round solver (mentorship.matching.solve_round: scoring, the exact b-matching and
the reasons), compares its total fit with a greedy baseline and with the optimum computed by an
independent exact method (SciPy's dense linear_sum_assignment on the capacity-expanded matrix),
and reports peak memory. Runs without a database: the solver works on plain profiles.

    .venv/bin/python bench/matching_round.py [--mentees 5000] [--mentors 1000] [--seed 1] [--no-verify]
"""

import argparse
import os
import random
import resource
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

import django  # noqa: E402

django.setup()

from scipy.optimize import linear_sum_assignment  # noqa: E402

from accounts.availability import SLOT_CHOICES  # noqa: E402
from mentorship.matching import MenteeNeed, MentorOffer, best_assignment, score_matrix, solve_round  # noqa: E402

SLOTS = [code for code, _ in SLOT_CHOICES]
SPECIALTIES = ["Internal Medicine", "Surgery", "Pediatrics", "Psychiatry", "Emergency Medicine", ""]
MIN_GAP = 2


def instance(n_mentees: int, n_mentors: int, n_subjects: int, seed: int):
    rng = random.Random(seed)
    subjects = list(range(1, n_subjects + 1))
    mentees = [
        MenteeNeed(
            id=i, name=f"Mentee {i}", class_year=rng.choice([1, 1, 1, 2]),
            wanted={s: r for r, s in enumerate(rng.sample(subjects, rng.randint(1, 3)), start=1)},
            availability=frozenset(rng.sample(SLOTS, rng.randint(2, 8))), specialty=rng.choice(SPECIALTIES),
        )
        for i in range(1, n_mentees + 1)
    ]
    mentors = [
        MentorOffer(
            id=100_000 + j, name=f"Mentor {j}", class_year=rng.choice([3, 4, 4]),
            offered=frozenset(rng.sample(subjects, rng.randint(1, 4))), free_capacity=rng.randint(1, 8),
            availability=frozenset(rng.sample(SLOTS, rng.randint(2, 8))), specialty=rng.choice(SPECIALTIES),
        )
        for j in range(1, n_mentors + 1)
    ]
    return mentees, mentors, {s: f"Subject {s}" for s in subjects}


def greedy(score: np.ndarray, eligible: np.ndarray, capacity: np.ndarray) -> float:
    """Baseline: take the best remaining eligible pair while the mentee is free and the mentor has room."""
    rows, cols = np.nonzero(eligible)
    order = np.argsort(-score[rows, cols], kind="stable")
    left = capacity.copy()
    taken = np.zeros(score.shape[0], dtype=bool)
    total = 0.0
    for i, j in zip(rows[order].tolist(), cols[order].tolist(), strict=True):
        if not taken[i] and left[j] > 0:
            taken[i] = True
            left[j] -= 1
            total += score[i, j]
    return total


def dense_optimum(score: np.ndarray, eligible: np.ndarray, capacity: np.ndarray) -> float:
    """The optimum by another exact method: dense assignment over one column per mentor place."""
    places = np.repeat(np.arange(score.shape[1]), capacity)
    cost = -np.where(eligible, score, 0.0)[:, places]
    rows, cols = linear_sum_assignment(cost)
    return float(-cost[rows, cols].sum())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mentees", type=int, default=5000)
    parser.add_argument("--mentors", type=int, default=1000)
    parser.add_argument("--subjects", type=int, default=15)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-verify", action="store_true", help="skip the slow independent optimum")
    args = parser.parse_args()

    mentees, mentors, names = instance(args.mentees, args.mentors, args.subjects, args.seed)
    capacity = np.array([m.free_capacity for m in mentors])
    print(f"Instance: {len(mentees)} mentees x {len(mentors)} mentors, {args.subjects} subjects, "
          f"{capacity.sum()} mentor places (capacities 1..8), seed {args.seed}")

    marks: list[tuple[float, str]] = []
    start = time.perf_counter()
    result = solve_round(
        mentees, mentors, names, min_year_gap=MIN_GAP,
        progress=lambda percent, note: marks.append((time.perf_counter(), note)),
    )
    total_time = time.perf_counter() - start
    phases = ", ".join(
        f"{note.lower()} {later - at:.2f} s" for (at, note), (later, _) in zip(marks, marks[1:], strict=False)
    )

    start = time.perf_counter()
    score, eligible, _ = score_matrix(mentees, mentors, min_year_gap=MIN_GAP)
    scoring_time = time.perf_counter() - start
    start = time.perf_counter()
    assignment = best_assignment(score, eligible, capacity)
    solver_time = time.perf_counter() - start
    matched = assignment >= 0
    # Totals from the unrounded scores (the preview shows each pair's score rounded to 0.01).
    optimum = float(score[np.nonzero(matched)[0], assignment[matched]].sum())

    tracemalloc.start()
    solve_round(mentees, mentors, names, min_year_gap=MIN_GAP)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    greedy_total = greedy(score, eligible, capacity)
    print(f"Eligible pairs: {int(eligible.sum()):,}")
    print(f"solve_round total: {total_time:.2f} s ({phases})")
    print(f"Again, alone: score_matrix {scoring_time:.2f} s, best_assignment (the b-matching) {solver_time:.2f} s")
    print(f"Matched: {len(result.pairs)} pairs, {len(result.unmatched)} unmatched")
    print(f"Total fit: solver {optimum:,.2f}; greedy {greedy_total:,.2f} ({100 * greedy_total / optimum:.2f}% of the solver)")
    print(f"Peak traced memory during solve_round: {peak / 2**20:.0f} MiB; "
          f"process max RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
    if not args.no_verify:
        start = time.perf_counter()
        exact = dense_optimum(score, eligible, capacity)
        print(f"Independent optimum (dense linear_sum_assignment, {time.perf_counter() - start:.1f} s): {exact:,.2f}; "
              f"solver gap {abs(exact - optimum):.6f}")
        assert abs(exact - optimum) < 1e-6 * max(exact, 1), "the solver missed the optimum"


if __name__ == "__main__":
    main()
