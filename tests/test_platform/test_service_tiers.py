"""CI cannot pass with a real-service test skipped, and a local skip says what is missing."""

from types import SimpleNamespace

from tests.support.tiers import is_tiered, missing_services_reason


def fake_item(markers=(), fixtures=()):
    return SimpleNamespace(
        get_closest_marker=lambda name: object() if name in markers else None,
        fixturenames=list(fixtures),
    )


def test_a_test_using_the_postgres_fixture_without_a_marker_is_a_service_test():
    assert is_tiered(fake_item(fixtures=["db", "postgres"]))


def test_a_test_using_the_worker_or_the_browser_page_is_a_service_test():
    assert is_tiered(fake_item(fixtures=["celery_worker"]))
    assert is_tiered(fake_item(fixtures=["page", "live_server"]))


def test_a_marked_test_is_a_service_test_whatever_its_fixtures():
    assert is_tiered(fake_item(markers=["service"]))
    assert is_tiered(fake_item(markers=["browser"]))


def test_a_plain_database_test_is_not_a_service_test():
    assert not is_tiered(fake_item(fixtures=["db", "client", "settings"]))


def test_the_skip_reason_names_both_missing_services_and_how_to_provide_them():
    reason = missing_services_reason(["PostgreSQL", "Redis"])

    assert "PostgreSQL and Redis" in reason
    assert "DATABASE_URL=postgres://" in reason and "CELERY_BROKER_URL=redis://" in reason
