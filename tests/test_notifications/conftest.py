import pytest


@pytest.fixture
def dispatch(django_capture_on_commit_callbacks):
    """Run the dispatcher as beat would; with send=True the (eager) tasks it publishes run too."""
    from notifications.services import dispatch_due_reminders

    def run(now=None, *, send: bool = True):
        with django_capture_on_commit_callbacks(execute=send):
            return dispatch_due_reminders(now=now)

    return run


@pytest.fixture
def smtp_server():
    """A real SMTP server on a free local port (tests.support.smtp.SMTPServer)."""
    from tests.support.smtp import SMTPServer

    server = SMTPServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()


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
    server.start()
    try:
        yield server
    finally:
        server.stop()


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
    worker.start()
    try:
        yield worker
    finally:
        worker.stop()
        app.pool.force_close_all()
        use_broker(previous[0])
        app.conf.task_always_eager, app.conf.task_default_queue = previous[1:]
