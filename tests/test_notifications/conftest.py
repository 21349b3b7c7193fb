import pytest


@pytest.fixture
def dispatch(django_capture_on_commit_callbacks):
    """Run the dispatcher as beat would; with send=True the (eager) tasks it publishes run too."""
    from notifications.services import dispatch_due_reminders

    def run(now=None, *, send: bool = True):
        with django_capture_on_commit_callbacks(execute=send):
            return dispatch_due_reminders(now=now)

    return run
