"""Calendars that imported an event update it: every change a viewer can see raises SEQUENCE
(it never goes down) and moves LAST-MODIFIED, in the feed and in the .ics download."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from sessions.services import book_seat, cancel_booking, cancel_occurrence, edit_series_from
from tests.factories import MenteeFactory, published_series
from tests.support.ical import parse_everywhere

pytestmark = pytest.mark.django_db


def _feed_event(client, user, occurrence):
    response = client.get(reverse("sessions:feed", args=[user.calendar_token]))
    assert response.status_code == 200
    return parse_everywhere(response.content).events[f"occurrence-{occurrence.pk}@testserver"]


def test_booking_cancelling_and_booking_again_only_ever_raises_the_sequence(client):
    mentee = MenteeFactory()
    occurrence = published_series().occurrences.first()
    start = timezone.now()
    seen = []
    with time_machine.travel(start, tick=False) as traveller:
        booking = book_seat(occurrence=occurrence, mentee=mentee)
        seen.append(_feed_event(client, mentee, occurrence))
        traveller.shift(timedelta(minutes=5))
        cancel_booking(booking=booking, by=mentee)
        seen.append(_feed_event(client, mentee, occurrence))
        traveller.shift(timedelta(minutes=5))
        book_seat(occurrence=occurrence, mentee=mentee)
        seen.append(_feed_event(client, mentee, occurrence))

    assert [e.status for e in seen] == ["CONFIRMED", "CANCELLED", "CONFIRMED"]
    assert [e.sequence for e in seen] == [0, 1, 2]
    assert seen[0].last_modified < seen[1].last_modified < seen[2].last_modified


def test_the_downloaded_ics_shows_the_viewers_seat_with_the_feeds_sequence(client):
    mentee = MenteeFactory()
    occurrence = published_series().occurrences.first()
    cancel_booking(booking=book_seat(occurrence=occurrence, mentee=mentee), by=mentee)
    client.force_login(mentee)

    body = client.get(reverse("sessions:occurrence_ics", args=[occurrence.pk])).content
    event = parse_everywhere(body).events[f"occurrence-{occurrence.pk}@testserver"]

    assert (event.status, event.sequence) == ("CANCELLED", 1)
    assert event == _feed_event(client, mentee, occurrence)


def test_cancelling_a_session_moves_its_last_modified_and_raises_its_sequence(client):
    mentee = MenteeFactory()
    series = published_series()
    occurrence = series.occurrences.first()
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        book_seat(occurrence=occurrence, mentee=mentee)
        before = _feed_event(client, mentee, occurrence)
        traveller.shift(timedelta(minutes=5))
        cancel_occurrence(occurrence=occurrence, by=series.mentor, reason="Flu")
        after = _feed_event(client, mentee, occurrence)

    assert after.status == "CANCELLED"
    assert after.sequence > before.sequence
    assert after.last_modified > before.last_modified


def test_editing_a_series_from_a_date_moves_last_modified_of_every_changed_session(client):
    series = published_series()
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        before = {o.pk: _feed_event(client, series.mentor, o) for o in series.occurrences.all()}
        traveller.shift(timedelta(minutes=5))
        edit_series_from(series=series, editor=series.mentor, from_date=series.first_date, location="Room 7")
        after = {o.pk: _feed_event(client, series.mentor, o) for o in series.occurrences.all()}

    for pk, event in after.items():
        assert event.location == "Room 7"
        assert event.sequence == before[pk].sequence + 1
        assert event.last_modified > before[pk].last_modified
