"""A feed holds a window: sessions from FEED_PAST_DAYS (90) days ago on and every upcoming one,
and says so in its X-WR-CALDESC, so a heavy user's feed stays small."""

from datetime import timedelta

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import BookingFactory, MenteeFactory, OccurrenceFactory, ReviewSeriesFactory
from tests.support.ical import parse_everywhere

pytestmark = pytest.mark.django_db


def _feed(client, user) -> bytes:
    response = client.get(reverse("sessions:feed", args=[user.calendar_token]))
    assert response.status_code == 200
    return response.content


def _run_days_from_now(series, *days):
    now = timezone.now().replace(second=0, microsecond=0)
    return [OccurrenceFactory(series=series, starts_at=now + timedelta(days=d)) for d in days]


def test_a_mentors_feed_holds_the_last_90_days_and_everything_ahead(client):
    series = ReviewSeriesFactory()
    too_old, oldest_kept, recent, far_ahead = _run_days_from_now(series, -91, -89, -3, 400)

    uids = set(parse_everywhere(_feed(client, series.mentor)).events)

    assert uids == {f"occurrence-{o.pk}@testserver" for o in (oldest_kept, recent, far_ahead)}
    assert f"occurrence-{too_old.pk}@testserver" not in uids


def test_a_mentees_feed_holds_the_same_window_of_their_seats(client):
    mentee = MenteeFactory()
    too_old, kept = _run_days_from_now(ReviewSeriesFactory(), -120, -30)
    for occurrence in (too_old, kept):
        BookingFactory(occurrence=occurrence, mentee=mentee)

    assert set(parse_everywhere(_feed(client, mentee)).events) == {f"occurrence-{kept.pk}@testserver"}


def test_the_feed_names_its_window_in_its_description(client):
    mentee = MenteeFactory()

    calendar = icalendar.Calendar.from_ical(_feed(client, mentee))

    assert str(calendar["X-WR-CALDESC"]) == "Review sessions from 90 days ago on, and every upcoming one."


def _feed_queries(client, user) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        _feed(client, user)
    return len(queries)


def test_the_feed_costs_the_same_queries_however_many_seats_it_lists(client):
    few, many = MenteeFactory(), MenteeFactory()
    for occurrence in _run_days_from_now(ReviewSeriesFactory(), 1, 2):
        BookingFactory(occurrence=occurrence, mentee=few)
    for series in ReviewSeriesFactory.create_batch(3):
        for occurrence in _run_days_from_now(series, -10, 3, 10):
            BookingFactory(occurrence=occurrence, mentee=many)

    assert _feed_queries(client, many) == _feed_queries(client, few)
