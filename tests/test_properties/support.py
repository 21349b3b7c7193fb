"""Shared pieces of the property-based tests: settings small enough for CI, and per-example rollback."""

from contextlib import contextmanager

from django.db import transaction
from hypothesis import HealthCheck, settings

# Few examples and no deadline: CI runs the whole suite on 2 cores, and the DB makes timings noisy.
FEW = settings(max_examples=int(__import__("os").environ.get("HYPO_N", "30")), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                     HealthCheck.too_slow])


@contextmanager
def rolled_back():
    """Run one example in a savepoint that is always rolled back, so examples never see each other's rows."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)
