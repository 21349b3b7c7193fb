"""Which tests belong to the service and browser tiers, and what a skipped one is missing.

With REQUIRE_SERVICE_TESTS=1 (as in .ci/run) a skipped tier test is a failure. A test is in a
tier when it carries the `service` or `browser` marker *or* uses a fixture of a real service,
so a test that asks for PostgreSQL without the marker cannot skip silently in CI.
"""

from collections.abc import Iterable

# Fixtures that skip when their service is absent (tests/conftest.py).
SERVICE_FIXTURES = frozenset({"postgres", "redis_broker", "celery_worker", "chromium_path", "browser", "page"})


def is_tiered(item) -> bool:
    """True if a skip of this pytest item means a real service or browser was not exercised."""
    if item.get_closest_marker("service") or item.get_closest_marker("browser"):
        return True
    return bool(SERVICE_FIXTURES.intersection(getattr(item, "fixturenames", ())))


def missing_services_reason(missing: Iterable[str]) -> str:
    """One skip reason naming every missing service and how to provide it."""
    how = {
        "PostgreSQL": "DATABASE_URL=postgres://...",
        "Redis": "CELERY_BROKER_URL=redis://...",
    }
    names = list(missing)
    settings = ", ".join(how[name] for name in names)
    return f"needs {' and '.join(names)}: set {settings} (bin/test skips it without; .ci/run sets both)"
