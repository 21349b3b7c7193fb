"""Service tier: booked mentees are told of a cancellation by a real Celery worker."""

import pytest

from sessions.services import book_seat, cancel_occurrence
from tests.factories import MenteeFactory, published_series

pytestmark = pytest.mark.service


def test_a_mentor_cancellation_reaches_every_booked_mentee_through_the_worker(celery_worker):
    series = published_series(title="Pathology review")
    occurrence = series.occurrences.first()
    mentees = [MenteeFactory() for _ in range(2)]
    for mentee in mentees:
        book_seat(occurrence=occurrence, mentee=mentee)
    celery_worker.wait_for_mails(2)  # the two booking confirmations

    cancel_occurrence(occurrence=occurrence, by=series.mentor, reason="Mentor on call")

    mails = [m for m in celery_worker.wait_for_mails(4) if m["Subject"].startswith("Session cancelled")]
    assert sorted(m["To"] for m in mails) == sorted(m.email for m in mentees)
    assert all("Mentor on call" in _part(m, "text/plain") for m in mails)
    # The updated event rides along, so a calendar that imported the booking removes it.
    assert all("STATUS:CANCELLED" in _part(m, "text/calendar") for m in mails)


def _part(message, content_type: str) -> str:
    part = next(p for p in message.walk() if p.get_content_type() == content_type)
    return part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")
