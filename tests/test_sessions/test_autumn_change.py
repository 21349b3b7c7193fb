"""The night the clocks go back: 01:00-02:00 happens twice. A start in that hour is refused with
a message (as the spring gap is), and a session across the change shows its real end, each end
with its zone ("00:30 (CDT) – 01:00 (CST)" is 90 minutes)."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from sessions.calendar import occurrence_calendar
from sessions.models import Occurrence, ReviewSeries
from tests.factories import MentorFactory, OccurrenceFactory, ReviewSeriesFactory, SubjectFactory
from tests.support.ical import parse_everywhere

pytestmark = pytest.mark.django_db

CHICAGO = ZoneInfo("America/Chicago")


def _fall_back_sunday() -> date:
    """The next first Sunday of November (Chicago goes from CDT back to CST at 02:00)."""
    today = timezone.localdate()
    year = today.year if today < date(today.year, 11, 1) else today.year + 1
    november = date(year, 11, 1)
    return november + timedelta(days=(6 - november.weekday()) % 7)


def test_publishing_a_start_in_the_repeated_hour_is_refused_on_the_form(client):
    client.force_login(MentorFactory())
    sunday = _fall_back_sunday()

    response = client.post(
        reverse("sessions:series_new"),
        {
            "subject": SubjectFactory().pk,
            "title": "Night owls",
            "weekday": 6,
            "start_time": "01:30",
            "duration_minutes": 90,
            "seats": 6,
            "location": "Room 4",
            "first_date": (sunday - timedelta(weeks=1)).isoformat(),
            "last_date": sunday.isoformat(),
        },
    )

    assert response.status_code == 400
    content = response.content.decode()
    assert f"01:30 happens twice on {sunday:%A %d %B %Y} in America/Chicago (CDT, then CST)" in content
    assert 'value="Night owls"' in content
    assert not ReviewSeries.objects.exists()


def test_moving_a_session_into_the_repeated_hour_is_refused_on_the_form(client):
    sunday = _fall_back_sunday()
    occurrence = OccurrenceFactory(starts_at=datetime.combine(sunday - timedelta(days=1), time(18), CHICAGO))
    client.force_login(occurrence.series.mentor)

    response = client.post(
        reverse("sessions:occurrence_edit", args=[occurrence.pk]),
        {"date": sunday.isoformat(), "start_time": "01:30", "duration_minutes": 90, "seats": 6, "location": "Room 101"},
    )

    assert response.status_code == 400
    assert "happens twice" in response.content.decode()
    unchanged = Occurrence.objects.get(pk=occurrence.pk)
    assert unchanged.starts_at == occurrence.starts_at


def test_a_session_across_the_change_shows_each_end_with_its_zone(client):
    sunday = _fall_back_sunday()
    # 00:30 CDT; in UTC, since adding minutes to a Chicago-aware datetime would add wall-clock time.
    starts_at = datetime.combine(sunday, time(0, 30), CHICAGO).astimezone(UTC)
    occurrence = OccurrenceFactory(
        series=ReviewSeriesFactory(), starts_at=starts_at, ends_at=starts_at + timedelta(minutes=90)
    )
    client.force_login(occurrence.series.mentor)

    page = client.get(reverse("sessions:occurrence", args=[occurrence.pk])).content.decode()

    assert f"{sunday:%A} {sunday.day} November {sunday.year}, 00:30 (CDT) – 01:00 (CST)" in page


def test_a_session_across_the_change_ends_at_its_real_end_in_every_calendar_parser():
    sunday = _fall_back_sunday()
    starts_at = datetime.combine(sunday, time(0, 30), CHICAGO).astimezone(UTC)  # 00:30 CDT
    occurrence = OccurrenceFactory(starts_at=starts_at, ends_at=starts_at + timedelta(minutes=90))  # 01:00 CST

    event = parse_everywhere(occurrence_calendar(occurrence)).events[f"occurrence-{occurrence.pk}@testserver"]

    assert (event.start, event.end) == (occurrence.starts_at, occurrence.ends_at)
