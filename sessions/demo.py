"""Demo review sessions (filled in by the scheduling work)."""


def seed_sessions(rng, people: dict) -> None:
    """A term of weekly series with past occurrences, attendance, notes and ratings."""
