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
    "query_for",
    [
        lambda s: {"subject_id": s.subject_id},
        lambda s: {"mentor_id": s.mentor_id},
        lambda s: {"status": "active"},
    ],
    ids=["subject", "mentor", "status"],
)
def test_each_sessions_filter_keeps_only_the_matching_series(client, make_token, two_series, query_for):
    kept, _ = two_series
    _, headers = make_token()

    assert _titles(client, headers, "api-v1:sessions", query_for(kept)) == {"Kept"}


def test_sessions_without_a_filter_lists_every_series(client, make_token, two_series):
    _, headers = make_token()

    assert _titles(client, headers, "api-v1:sessions", {}) == {"Kept", "Other"}


@pytest.mark.parametrize(
    "query_for",
    [
        lambda s: {"subject_id": s.subject_id},
        lambda s: {"mentor_id": s.mentor_id},
        lambda s: {"series_id": s.pk},
        lambda s: {"end": (timezone.localdate() + timedelta(days=5)).isoformat()},
    ],
    ids=["subject", "mentor", "series", "date range"],
)
def test_each_occurrences_filter_keeps_only_the_matching_sessions(client, make_token, two_series, query_for):
    kept, _ = two_series
    _, headers = make_token()

    assert _titles(client, headers, "api-v1:occurrences", query_for(kept)) == {"Kept"}


def test_occurrences_without_a_filter_list_both_series_sessions(client, make_token, two_series):
    _, headers = make_token()

    assert _titles(client, headers, "api-v1:occurrences", {}) == {"Kept", "Other"}
