"""Service tier: reminders survive a broker outage (a private Redis stopped and started)."""

from datetime import timedelta

import pytest
from django.utils import timezone
from kombu.exceptions import OperationalError

from sessions.models import Reminder
from sessions.reminders import dispatch_due_reminders
from tests.factories import BookingFactory, MenteeFactory, MentorFactory, OccurrenceFactory, ReviewSeriesFactory
from tests.support.worker import eventually


def test_the_production_defaults_deliver_within_a_minute_of_the_brokers_return():
    from django.conf import settings

    from config.celery import RequeueAfterBrokerConnection, app

    # The worker never gives up on the broker (Celery's default stops after 100 tries, about
    # 50 minutes) and retries at most 30 s apart (kombu); on reconnecting it republishes what
    # was lost; beat's pass records what fell due meanwhile at most a minute later.
    assert settings.CELERY_BROKER_CONNECTION_MAX_RETRIES is None
    assert RequeueAfterBrokerConnection in app.steps["consumer"]
    assert settings.CELERY_BEAT_SCHEDULE["sessions-dispatch-reminders"]["schedule"] <= 60


@pytest.mark.service
def test_reminders_whose_messages_an_outage_lost_are_delivered_before_the_session_once_the_broker_is_back(
    private_broker, private_broker_worker
):
    series = ReviewSeriesFactory(mentor=MentorFactory(email_opt_out=True))
    occurrence = OccurrenceFactory(series=series, starts_at=timezone.now() + timedelta(seconds=45))
    mentees = [BookingFactory(occurrence=occurrence, mentee=MenteeFactory()).mentee for _ in range(3)]

    private_broker.stop()  # the outage: Redis is gone, with every message it held
    # The dispatcher pass running as the broker went away records the reminders, due now for a
    # session 45 s ahead, but cannot publish their messages.
    with pytest.raises(OperationalError):
        dispatch_due_reminders()
    reminders = Reminder.objects.filter(occurrence=occurrence, kind="1h")
    assert reminders.filter(status="pending", enqueued_at__isnull=False).count() == 3
    private_broker.start()

    mails = private_broker_worker.wait_for_mails(3, timeout=max((occurrence.starts_at - timezone.now()).total_seconds(), 0))
    assert timezone.now() < occurrence.starts_at
    assert sorted(m["To"] for m in mails) == sorted(m.email for m in mentees)
    assert eventually(lambda: set(reminders.values_list("status", flat=True)) == {"sent"})
    private_broker_worker.drain()  # every message published so far has run
    assert len(private_broker_worker.mails()) == 3
