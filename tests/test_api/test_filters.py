"""The list endpoints' optional filters: each one given narrows the list, one left out does not."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from sessions.models import ReviewSeries
from tests.factories import published_series

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_series():
    kept = published_series(title="Kept")
    other = published_series(title="Other", first_date=timezone.localdate() + timedelta(days=10))
    ReviewSeries.objects.filter(pk=other.pk).update(status="cancelled", cancelled_at=timezone.now())
    return kept, other


def _titles(client, headers, name, query) -> set[str]:
    response = client.get(reverse(name), query, headers=headers)
    assert response.status_code == 200
    return {row["title"] for row in response.json()["results"]}


@pytest.mark.parametrize(
    ("endpoint", "query_for"),
    [
        ("api-v1:sessions", lambda s: {"subject_id": s.subject_id}),
        ("api-v1:sessions", lambda s: {"mentor_id": s.mentor_id}),
        ("api-v1:sessions", lambda s: {"status": "active"}),
        ("api-v1:occurrences", lambda s: {"subject_id": s.subject_id}),
        ("api-v1:occurrences", lambda s: {"mentor_id": s.mentor_id}),
        ("api-v1:occurrences", lambda s: {"series_id": s.pk}),
        ("api-v1:occurrences", lambda s: {"end": (timezone.localdate() + timedelta(days=5)).isoformat()}),
    ],
    ids=["sessions by subject", "sessions by mentor", "sessions by status", "occurrences by subject",
         "occurrences by mentor", "occurrences by series", "occurrences by date range"],
)
def test_each_list_filter_keeps_only_the_matching_series_or_sessions(client, make_token, two_series, endpoint, query_for):
    kept, _ = two_series
    _, headers = make_token()

    assert _titles(client, headers, endpoint, query_for(kept)) == {"Kept"}


@pytest.mark.parametrize("endpoint", ["api-v1:sessions", "api-v1:occurrences"])
def test_a_list_without_a_filter_shows_both_series(client, make_token, two_series, endpoint):
    _, headers = make_token()

    assert _titles(client, headers, endpoint, {}) == {"Kept", "Other"}
