"""Shared test fixtures: the real-service tier (PostgreSQL, Redis, a Celery worker process)
and the browser tier (Playwright driving the system Chromium).

Without the services those tests skip with a reason; with REQUIRE_SERVICE_TESTS=1 (as in
.ci/run) a skip of a service or browser test is a failure.
"""

import os
import shutil
import time

import pytest
import time_machine
from django.conf import settings
from django.db import connection

from tests.support.tiers import is_tiered, missing_services_reason
from tests.support.worker import CeleryWorkerProcess, redis_reachable

REQUIRE_SERVICE_TESTS = os.environ.get("REQUIRE_SERVICE_TESTS") == "1"
CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")


def running(server):
    """Start a helper process or server the test needs (SMTP, Redis, a Celery worker), yield it, always stop it."""
    server.start()
    try:
        yield server
    finally:
        server.stop()


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
def start_of_a_rate_window():
    """Rate limits count in fixed windows of whole minutes (api.services.consume_rate): the clock starts
    a second into the next minute and runs on, so no window ends for 59 seconds and a test's few
    requests fall in one window."""
    with time_machine.travel((time.time() // 60 + 1) * 60 + 1, tick=True):
        yield


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
    try:
        yield from running(worker)
    finally:
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
    from tests.support.browser import open_page

    try:
        with open_page(browser, live_server.url, width=1280, height=900) as page:
            yield page
    finally:
        # ORM calls made while Playwright's loop runs open their own connection; close it, or
        # PostgreSQL refuses to drop the test database at the end of the run.
        from django.db import connections

        connections.close_all()


@pytest.fixture
def admin_client(client):
    """The test client signed in as a program admin with MFA (this project's admin; it replaces
    pytest-django's fixture of the same name, which signs in a Django superuser)."""
    from tests.factories import ProgramAdminFactory

    client.admin = ProgramAdminFactory()  # for tests that check what was logged under their name
    client.force_login(client.admin)
    return client


# ---------------------------------------------------------------------------
# Email and reminder delivery: the dispatcher, a real SMTP server, a private broker
# ---------------------------------------------------------------------------
@pytest.fixture
def dispatch(django_capture_on_commit_callbacks):
    """Run the dispatcher as beat would; with send=True the (eager) tasks it publishes run too."""
    from sessions.reminders import dispatch_due_reminders

    def run(now=None, *, send: bool = True):
        with django_capture_on_commit_callbacks(execute=send):
            return dispatch_due_reminders(now=now)

    return run


@pytest.fixture
def smtp_server():
    """A real SMTP server on a free local port (tests.support.smtp.SMTPServer)."""
    from tests.support.smtp import SMTPServer

    server = SMTPServer()
    yield from running(server)


@pytest.fixture
def smtp_worker(celery_worker, smtp_server, settings):
    """The real worker, sending through `smtp_server`, with the retry schedule compressed to
    1 s doubling up to 2 s (production: 30 s doubling up to 15 min)."""
    schedule = {"EMAIL_RETRY_FIRST_SECONDS": "1", "EMAIL_RETRY_MAX_SECONDS": "2"}
    for name, value in schedule.items():
        setattr(settings, name, float(value))
    celery_worker.stop()
    celery_worker.env.update(EMAIL_URL=smtp_server.url, **schedule)
    celery_worker.start()
    return celery_worker


@pytest.fixture
def private_broker(postgres, tmp_path):
    """A Redis of this test's own (tests.support.broker), which the test may stop and start."""
    import shutil

    from tests.support.broker import RedisServerProcess

    if not shutil.which("redis-server"):
        pytest.skip("needs the redis-server binary to stop and start a private broker")
    (tmp_path / "redis").mkdir()
    server = RedisServerProcess(workdir=tmp_path / "redis")
    yield from running(server)


@pytest.fixture
def private_broker_worker(postgres, private_broker, tmp_path):
    """A real worker on `private_broker`; the test process publishes there too."""
    from django.db import connection

    from config.celery import app
    from tests.support.worker import CeleryWorkerProcess

    def use_broker(url: str) -> None:
        app.conf.broker_write_url = url  # what publishing uses (broker_url is read from Django's settings)
        app._pool = None  # the connection pool was made for the old URL
        app.amqp._producer_pool = None

    worker = CeleryWorkerProcess(database=connection.settings_dict, broker_url=private_broker.url, workdir=tmp_path)
    previous = app.conf.broker_write_url, app.conf.task_always_eager, app.conf.task_default_queue
    use_broker(private_broker.url)
    app.conf.task_always_eager = False
    app.conf.task_default_queue = worker.queue
    try:
        yield from running(worker)
    finally:
        app.pool.force_close_all()
        use_broker(previous[0])
        app.conf.task_always_eager, app.conf.task_default_queue = previous[1:]
