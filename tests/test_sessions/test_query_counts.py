"""The browse page and "My week" cost the same number of queries with few or many occurrences."""

from datetime import time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sessions.models import Booking, Occurrence
from tests.factories import MenteeFactory, MentorFactory, OccurrenceFactory, ReviewSeriesFactory

pytestmark = pytest.mark.django_db


def _occurrences(mentor, count, mentees):
    series = ReviewSeriesFactory(mentor=mentor, start_time=time(18, 0))
    start = timezone.now() + timedelta(hours=1)
    occurrences = Occurrence.objects.bulk_create(
        Occurrence(series=series, series_date=(start + timedelta(days=i)).date(), starts_at=start + timedelta(days=i, minutes=i),
                   ends_at=start + timedelta(days=i, minutes=i + 60), seats=6, location="Room 1")
        for i in range(count)
    )
    Booking.objects.bulk_create(Booking(occurrence=o, mentee=m) for o in occurrences for m in mentees)


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("url", ["/sessions/", "/sessions/my-week/", "/sessions/mine/"])
def test_page_query_count_does_not_grow_with_occurrences(client, url):
    mentor = MentorFactory()
    mentees = [MenteeFactory() for _ in range(3)]
    _occurrences(mentor, 10, mentees)
    viewer = mentees[0] if url == "/sessions/mine/" else mentor
    client.force_login(viewer)
    few = _queries(client, url)

    _occurrences(mentor, 300, mentees)
    OccurrenceFactory.create_batch(5)
    many = _queries(client, url)

    assert many == few
