"""value_rows: a values_list() read in PostgreSQL's binary format gives the rows Django reads."""

import pytest

from core.queries import value_rows
from reports.models import SessionTally
from reports.tally import keeps_mentee_bitmaps
from tests.test_reports.factories import AttendanceFactory, OccurrenceFactory

pytestmark = pytest.mark.django_db


def test_binary_rows_equal_the_rows_django_reads_and_are_logged_with_their_values(django_assert_num_queries):
    if not keeps_mentee_bitmaps():
        pytest.skip("the binary format is PostgreSQL's")
    for occurrence in (OccurrenceFactory(), OccurrenceFactory()):
        AttendanceFactory(occurrence=occurrence)
    rows = SessionTally.objects.values_list("occurrence_id", "occurrence__starts_at", "attended_mentees").order_by("pk")
    expected = [(pk, starts_at, bytes(bitmap)) for pk, starts_at, bitmap in rows]
    first = expected[0][0]

    with django_assert_num_queries(1) as captured:
        read = value_rows(rows.filter(occurrence_id__gte=first))

    assert [(pk, starts_at, bytes(bitmap)) for pk, starts_at, bitmap in read] == expected and any(expected[0][2])
    assert f">= {first}" in captured.captured_queries[0]["sql"]  # the value, not a placeholder
