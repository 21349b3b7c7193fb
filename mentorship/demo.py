"""Demo mentorship pairs and requests (filled in by the matching work)."""


def seed_matching(rng, people: dict) -> None:
    """Active pairs, pending requests and one committed matching round."""
