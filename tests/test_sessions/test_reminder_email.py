"""What a reminder email says, and that a stale one is never sent."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from notifications.services import deliver
from sessions.models import Reminder
from sessions.reminder_emails import prepare_reminder_email
from tests.factories import BookingFactory, MenteeFactory, OccurrenceFactory, ReviewSeriesFactory

pytestmark = pytest.mark.django_db

# A Tuesday 18:00 in Chicago (CST, UTC-6) is 00:00 UTC on Wednesday and 00:00 in London (GMT).
STARTS = datetime(2026, 12, 2, 0, 0, tzinfo=UTC)


@pytest.fixture
def travel():
    with time_machine.travel(STARTS - timedelta(minutes=45), tick=False) as traveller:
        yield traveller


def test_the_mentee_reminder_shows_the_time_in_their_zone_the_place_the_cancel_link_and_a_calendar_file(
    dispatch, travel
):
    mentee = MenteeFactory(time_zone="Europe/London", first_name="Ada")
    series = ReviewSeriesFactory(title="Brachial plexus review", location="Anatomy lab B")
    booking = BookingFactory(occurrence=OccurrenceFactory(series=series, starts_at=STARTS, ends_at=STARTS + timedelta(hours=1)), mentee=mentee)

    dispatch()

    message = next(m for m in mail.outbox if m.to == [mentee.email])
    assert message.subject == "Reminder: Brachial plexus review in 1 hour at 00:00 (GMT)"
    assert "Wednesday 2 December 2026, 00:00–01:00 (GMT)" in message.body
    assert "Where: Anatomy lab B" in message.body
    assert f"/sessions/o/{booking.occurrence.pk}/" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert "Cancel your seat" in html
    (part,) = message.attachments
    assert part.get_filename() == f"session-{booking.occurrence.pk}.ics"
    assert part.get_content_type() == "text/calendar"
    ics = part.get_payload(decode=True).decode(part.get_content_charset())
    assert "BEGIN:VEVENT" in ics and "Brachial plexus review" in ics


def test_the_mentor_reminder_is_in_the_program_zone_with_the_video_link(dispatch, travel):
    series = ReviewSeriesFactory(location="", video_link="https://video.example.edu/anatomy")
    OccurrenceFactory(series=series, starts_at=STARTS, ends_at=STARTS + timedelta(hours=1), location="", video_link=series.video_link)

    dispatch()

    (message,) = mail.outbox
    assert message.to == [series.mentor.email]
    assert "Tuesday 1 December 2026, 18:00–19:00 (CST)" in message.body
    assert "Video link: https://video.example.edu/anatomy" in message.body
    assert "You are running" in message.body


def test_an_email_queued_before_the_session_was_cancelled_is_not_sent(dispatch):
    booking = BookingFactory(occurrence=OccurrenceFactory(starts_at=timezone.now() + timedelta(minutes=50)))
    dispatch(send=False)
    reminder = Reminder.objects.get(recipient=booking.mentee, kind="1h")
    email = prepare_reminder_email(reminder_id=reminder.pk)
    booking.occurrence.status, booking.occurrence.cancelled_at = "cancelled", timezone.now()
    booking.occurrence.save()

    assert deliver(email.pk) is False

    reminder.refresh_from_db()
    email.refresh_from_db()
    assert (reminder.status, email.status) == ("skipped", "skipped")
    assert mail.outbox == []


def test_an_email_queued_whose_session_started_while_the_worker_was_down_is_not_sent_late(dispatch):
    booking = BookingFactory(occurrence=OccurrenceFactory(starts_at=timezone.now() + timedelta(minutes=50)))
    dispatch(send=False)
    email = prepare_reminder_email(reminder_id=Reminder.objects.get(recipient=booking.mentee, kind="1h").pk)

    with time_machine.travel(booking.occurrence.starts_at + timedelta(minutes=2)):
        assert deliver(email.pk) is False

    assert Reminder.objects.get(email=email).status == "skipped"
    assert mail.outbox == []
