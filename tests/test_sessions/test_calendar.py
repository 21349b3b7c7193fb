from datetime import UTC, time
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from sessions.calendar import build_calendar, occurrence_calendar
from sessions.selectors import calendar_occurrences
from sessions.services import book_seat, cancel_booking, cancel_occurrence
from tests.factories import MenteeFactory, published_series

pytestmark = pytest.mark.django_db


def _events(ics: bytes):
    cal = Calendar.from_ical(ics)
    return cal, {str(e["uid"]): e for e in cal.walk("VEVENT")}


def test_an_occurrence_ics_carries_every_field_with_its_time_zone():
    series = published_series(title="Cardio review", location="Room 12", start_time=time(18, 0), duration_minutes=90)
    occurrence = series.occurrences.first()

    cal, events = _events(occurrence_calendar(occurrence))

    assert cal["version"] == "2.0" and cal["method"] == "PUBLISH"
    event = events[f"occurrence-{occurrence.pk}@testserver"]
    start = event.decoded("dtstart")
    assert event["dtstart"].params["TZID"] == "America/Chicago"
    assert start.tzinfo == ZoneInfo("America/Chicago") and start.time() == time(18, 0)
    assert start.astimezone(UTC) == occurrence.starts_at
    assert event.decoded("dtend").astimezone(UTC) == occurrence.ends_at
    assert str(event["summary"]) == f"Cardio review ({series.subject.name})"
    assert str(event["location"]) == "Room 12"
    assert str(event["status"]) == "CONFIRMED"
    assert str(event["url"]).endswith(f"/sessions/o/{occurrence.pk}/")
    assert str(event["organizer"]) == f"mailto:{series.mentor.email}"
    assert [str(tz["tzid"]) for tz in cal.walk("VTIMEZONE")] == ["America/Chicago"]


def test_a_cancelled_occurrence_is_cancelled_in_the_calendar_with_a_higher_sequence():
    series = published_series()
    occurrence = series.occurrences.first()
    cancel_occurrence(occurrence=occurrence, by=series.mentor, reason="Flu")
    occurrence.refresh_from_db()

    _cal, events = _events(occurrence_calendar(occurrence))

    event = next(iter(events.values()))
    assert str(event["status"]) == "CANCELLED"
    assert event["sequence"] == 1
    assert "Flu" in str(event["description"])


def test_the_mentee_feed_lists_booked_sessions_and_shows_their_own_cancellation():
    mentee = MenteeFactory()
    kept = published_series(start_time=time(9, 0)).occurrences.first()
    dropped = published_series(start_time=time(12, 0)).occurrences.first()
    published_series(start_time=time(15, 0))  # not booked: not in the feed
    book_seat(occurrence=kept, mentee=mentee)
    cancel_booking(booking=book_seat(occurrence=dropped, mentee=mentee), by=mentee)

    occurrences, seats = calendar_occurrences(user=mentee)
    _cal, events = _events(build_calendar(occurrences, name="My sessions", seats=seats))

    assert {str(e["status"]) for e in events.values()} == {"CONFIRMED", "CANCELLED"}
    assert str(events[f"occurrence-{kept.pk}@testserver"]["status"]) == "CONFIRMED"
    assert str(events[f"occurrence-{dropped.pk}@testserver"]["status"]) == "CANCELLED"


def test_the_mentor_feed_lists_every_occurrence_they_run():
    series = published_series()

    occurrences, _ = calendar_occurrences(user=series.mentor)

    assert [o.pk for o in occurrences] == list(series.occurrences.values_list("pk", flat=True))
