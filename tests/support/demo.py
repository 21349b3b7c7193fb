"""The demo's first steps, in the order `manage.py demo` takes them: the subjects, the people and
(unless told otherwise) their review sessions, from one seeded random generator."""

import random

from accounts.demo import seed_people
from sessions.demo import seed_sessions
from subjects.services import ensure_seed_subjects


def seed_demo_start(*, sessions: bool = True, seed: int = 2026) -> tuple[random.Random, dict]:
    """The generator (to pass on to the next seeding step) and the demo's people by role."""
    ensure_seed_subjects()
    rng = random.Random(seed)
    people = seed_people(rng)
    if sessions:
        seed_sessions(rng, people)
    return rng, people
