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
