"""The mentor is nudged once when notes are still missing 2 hours after a session ends."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from sessions.models import Reminder
from tests.factories import OccurrenceFactory, OutcomeNoteFactory

pytestmark = pytest.mark.django_db


def ended(ago):
    ends_at = timezone.now() - ago
    return OccurrenceFactory(starts_at=ends_at - timedelta(hours=1), ends_at=ends_at)


def test_the_mentor_is_nudged_once_when_notes_are_missing_two_hours_after_the_end(dispatch):
    occurrence = ended(timedelta(hours=2, minutes=1))

    dispatch()
    dispatch()

    (message,) = mail.outbox
    assert message.to == [occurrence.series.mentor.email]
    assert message.subject.startswith("Notes missing for")
    assert f"/sessions/o/{occurrence.pk}/" in message.body
    assert Reminder.objects.get(kind="notes_nudge").status == "sent"


def test_no_nudge_before_two_hours_have_passed(dispatch):
    ended(timedelta(hours=1, minutes=50))

    dispatch()

    assert not Reminder.objects.filter(kind="notes_nudge").exists()


def test_no_nudge_when_the_notes_were_written(dispatch):
    OutcomeNoteFactory(occurrence=ended(timedelta(hours=3)))

    dispatch()

    assert not Reminder.objects.filter(kind="notes_nudge").exists()
    assert mail.outbox == []


def test_no_nudge_for_a_cancelled_session(dispatch):
    occurrence = ended(timedelta(hours=3))
    occurrence.status, occurrence.cancelled_at = "cancelled", timezone.now()
    occurrence.save()

    dispatch()

    assert mail.outbox == []
