"""Shared test fixtures: the real-service tier (PostgreSQL, Redis, a Celery worker process)
and the browser tier (Playwright driving the system Chromium).

Without the services those tests skip with a reason; with REQUIRE_SERVICE_TESTS=1 (as in
.ci/run) a skip of a service or browser test is a failure.
"""

import os
import shutil

import pytest
from django.conf import settings
from django.db import connection

from tests.support.tiers import is_tiered, missing_services_reason
from tests.support.worker import CeleryWorkerProcess, redis_reachable

REQUIRE_SERVICE_TESTS = os.environ.get("REQUIRE_SERVICE_TESTS") == "1"
CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if REQUIRE_SERVICE_TESTS and report.skipped and is_tiered(item):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = f"REQUIRE_SERVICE_TESTS=1 but this service/browser test was skipped: {reason}"


@pytest.fixture(autouse=True)
def _fresh_cache(request, django_db_blocker):
    # allauth's rate limits live in the cache; one test's failed logins must not lock out the next.
    # The cache is the test database's cache table (as in `bin/run`), so only a test that has the test
    # database can reach it; for any other test no test database may exist, and the real one is not ours.
    if not (request.node.get_closest_marker("django_db") or "_django_db_helper" in request.fixturenames):
        return
    request.getfixturevalue("django_db_setup")
    from django.core.cache import cache

    with django_db_blocker.unblock():
        cache.clear()


@pytest.fixture
def postgres(transactional_db):
    """The real PostgreSQL database, with commits visible to other connections and processes."""
    if connection.vendor != "postgresql":
        pytest.skip(missing_services_reason(["PostgreSQL"]))
    return connection


def _redis_url_or_skip() -> str:
    url = settings.CELERY_BROKER_URL
    if not url.startswith("redis"):
        pytest.skip(missing_services_reason(["Redis"]))
    if not redis_reachable(url):
        pytest.skip(f"Redis at {url} does not answer")
    return url


@pytest.fixture
def redis_broker():
    return _redis_url_or_skip()


@pytest.fixture
def _services_for_worker():
    # Name every missing service at once, not only the first fixture that gives up.
    missing = [name for name, absent in (
        ("PostgreSQL", connection.vendor != "postgresql"),
        ("Redis", not settings.CELERY_BROKER_URL.startswith("redis")),
    ) if absent]
    if missing:
        pytest.skip(missing_services_reason(missing))


@pytest.fixture
def celery_worker(_services_for_worker, postgres, redis_broker, tmp_path):
    """A real `celery worker` process on Redis and the test's PostgreSQL database.

    Tasks the test enqueues go to a queue private to this test; mails the worker sends are
    files under tmp_path (see CeleryWorkerProcess.mails()).
    """
    from config.celery import app

    worker = CeleryWorkerProcess(
        database=connection.settings_dict, broker_url=redis_broker, workdir=tmp_path
    )
    previous = app.conf.task_always_eager, app.conf.task_default_queue
    app.conf.task_always_eager = False
    app.conf.task_default_queue = worker.queue
    worker.start()
    try:
        yield worker
    finally:
        worker.stop()
        app.conf.task_always_eager, app.conf.task_default_queue = previous


@pytest.fixture
def chromium_path():
    if not CHROMIUM:
        pytest.skip("needs Chromium: apt-get install chromium (or set CHROMIUM_PATH)")
    try:
        import playwright  # noqa: F401
    except ImportError:
        pytest.skip("needs the playwright package (requirements-dev.txt)")
    return CHROMIUM


@pytest.fixture
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; Django's ORM calls made by the
    # test itself (arranging data, reading mail) are still plain synchronous calls.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=chromium_path,
            args=[
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
            ],
        )
        try:
            yield browser
        finally:
            browser.close()
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        yield page
    finally:
        context.close()
        # ORM calls made while Playwright's loop runs open their own connection; close it, or
        # PostgreSQL refuses to drop the test database at the end of the run.
        from django.db import connections

        connections.close_all()
