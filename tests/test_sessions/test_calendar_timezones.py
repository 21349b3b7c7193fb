"""The VTIMEZONE of our calendars, read by vobject (dateutil builds its tzinfo from our VTIMEZONE,
not from the system's tz database), must change offset at the same instants as zoneinfo."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar, Event

from sessions.calendar import build_calendar, occurrence_calendar
from tests.factories import OccurrenceFactory, ReviewSeriesFactory
from tests.support.ical import parse_everywhere, transitions

pytestmark = pytest.mark.django_db

ZONES = ["America/Chicago", "Australia/Sydney", "Europe/London"]


def _calendar_in(tzid: str):
    starts_at = datetime(2027, 6, 15, 18, 0, tzinfo=ZoneInfo(tzid))
    occurrence = OccurrenceFactory(
        series=ReviewSeriesFactory(time_zone=tzid), starts_at=starts_at, ends_at=starts_at + timedelta(minutes=90)
    )
    parsed = parse_everywhere(occurrence_calendar(occurrence))
    assert next(iter(parsed.events.values())).start == starts_at.astimezone(UTC)
    return parsed


@pytest.mark.parametrize("tzid", ZONES)
def test_every_onset_in_the_vtimezone_is_the_instant_the_zone_changes_offset(tzid):
    parsed = _calendar_in(tzid)

    first, last = datetime(2026, 7, 1, tzinfo=UTC), datetime(2028, 6, 1, tzinfo=UTC)
    announced = [onset for onset in parsed.vtimezone_onsets(tzid) if first <= onset[0] < last]
    real = transitions(ZoneInfo(tzid), first.date(), last.date())
    assert len(real) == 4  # two years, two changes each
    assert announced == real


@pytest.mark.parametrize("tzid", ZONES)
def test_a_client_using_our_vtimezone_shows_the_hour_after_the_spring_change_in_summer_time(tzid):
    # dateutil's own fromutc is unreliable in the autumn's repeated hour, so only forward changes here.
    parsed = _calendar_in(tzid)
    from_vtimezone = parsed.vtimezone_tzinfo(tzid)

    forward = [t for t in transitions(ZoneInfo(tzid), date(2026, 7, 1), date(2028, 6, 1)) if t[2] > t[1]]
    assert len(forward) == 2
    for instant, before, after in forward:
        assert (instant - timedelta(minutes=1)).astimezone(from_vtimezone).utcoffset() == before
        assert (instant + timedelta(minutes=30)).astimezone(from_vtimezone).utcoffset() == after


def test_the_chicago_daylight_onset_is_written_at_two_in_the_offset_before():
    starts_at = datetime(2027, 3, 16, 18, 0, tzinfo=ZoneInfo("America/Chicago"))
    occurrence = OccurrenceFactory(starts_at=starts_at, ends_at=starts_at + timedelta(minutes=90))

    cal = Calendar.from_ical(occurrence_calendar(occurrence))

    (spring,) = [o for o in cal.walk("DAYLIGHT") if o["TZOFFSETFROM"].td == timedelta(hours=-6)]
    assert spring.DTSTART == datetime(2027, 3, 14, 2, 0)


def test_icalendar_itself_still_writes_the_daylight_onset_an_hour_late():
    """A canary: when an icalendar release fixes docs/upstream/icalendar-vtimezone-onset.md this
    fails, and sessions.calendar.correct_onsets (then a no-op) can go."""
    cal = Calendar()
    event = Event()
    event.add("uid", "canary")
    event.add("dtstart", datetime(2027, 3, 16, 18, 0, tzinfo=ZoneInfo("America/Chicago")))
    cal.add_component(event)
    cal.add_missing_timezones(first_date=date(2027, 1, 1), last_date=date(2027, 12, 31))

    assert b"DTSTART:20270314T030000\r\nTZNAME:CDT\r\nTZOFFSETFROM:-0600" in cal.to_ical()


def test_a_calendar_of_sessions_in_two_zones_carries_each_vtimezone_once_before_the_events():
    starts_at = datetime(2027, 3, 2, 18, 0, tzinfo=UTC)
    occurrences = [
        OccurrenceFactory(series=ReviewSeriesFactory(time_zone=tzid), starts_at=starts_at, ends_at=starts_at + timedelta(hours=1))
        for tzid in ("Europe/London", "America/Chicago", "Europe/London")
    ]  # fmt: skip

    document = build_calendar(occurrences, name="Feed")

    components = [c.name for c in Calendar.from_ical(document).subcomponents]
    assert components == ["VTIMEZONE", "VTIMEZONE", "VEVENT", "VEVENT", "VEVENT"]
    zones = [str(c["TZID"]) for c in Calendar.from_ical(document).walk("VTIMEZONE")]
    assert zones == ["America/Chicago", "Europe/London"]
    assert document.startswith(b"BEGIN:VCALENDAR\r\n") and document.endswith(b"END:VCALENDAR\r\n")
    assert len(parse_everywhere(document).events) == 3
