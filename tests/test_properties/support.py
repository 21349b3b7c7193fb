"""Shared pieces of the property-based tests: settings small enough for CI, and per-example rollback."""

import os
from contextlib import contextmanager

from django.db import transaction
from hypothesis import HealthCheck, settings

# Few examples and no deadline: CI runs the whole suite on 2 cores, and the DB makes timings noisy.
# HYPOTHESIS_EXAMPLES=500 digs deeper locally.
FEW = settings(
    max_examples=int(os.environ.get("HYPOTHESIS_EXAMPLES", "30")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@contextmanager
def rolled_back():
    """Run one example in a savepoint that is always rolled back, so examples never see each other's rows."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)
