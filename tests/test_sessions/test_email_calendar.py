"""Emailed calendar files: RFC 6047's Content-Type, and every mail about a change carries the
updated event, so a calendar that imported the first mail's event updates or removes it."""

from email import message_from_bytes

import pytest
from django.core import mail

from notifications.models import OutboundEmail
from notifications.services import deliver
from sessions.services import book_seat, cancel_booking, cancel_occurrence, edit_occurrence, edit_series_from
from tests.factories import MenteeFactory, published_series
from tests.support.ical import parse_everywhere

pytestmark = pytest.mark.django_db


def _attached_event(mentee, kind, occurrence):
    email = OutboundEmail.objects.filter(recipient=mentee, kind=kind).latest("pk")
    (attachment,) = email.attachments
    return parse_everywhere(attachment["content"]).events[f"occurrence-{occurrence.pk}@testserver"]


def test_a_sent_calendar_file_names_method_publish_and_utf8_in_its_content_type():
    occurrence = published_series(title="Café review").occurrences.first()
    mentee = MenteeFactory()
    book_seat(occurrence=occurrence, mentee=mentee)

    deliver(OutboundEmail.objects.get(recipient=mentee, kind="booking_confirmed").pk)

    sent = message_from_bytes(mail.outbox[-1].message().as_bytes())
    (part,) = [p for p in sent.walk() if p.get_content_type() == "text/calendar"]
    # Each parameter once: a repeated charset is what Django's attach() writes for this mimetype.
    assert sorted(part.get_params()) == [("charset", "utf-8"), ("method", "PUBLISH"), ("text/calendar", "")]
    assert part.get_filename() == f"session-{occurrence.pk}.ics"
    calendar = parse_everywhere(part.get_payload(decode=True).decode("utf-8"))
    assert calendar.events[f"occurrence-{occurrence.pk}@testserver"].summary.startswith("Café review")


def test_the_changed_and_the_seat_cancelled_mails_carry_the_event_with_a_higher_sequence():
    series = published_series()
    occurrence = series.occurrences.first()
    mentee = MenteeFactory()
    booking = book_seat(occurrence=occurrence, mentee=mentee)
    booked = _attached_event(mentee, "booking_confirmed", occurrence)

    edit_occurrence(occurrence=occurrence, editor=series.mentor, location="Room 7")
    changed = _attached_event(mentee, "session_changed", occurrence)
    cancel_booking(booking=booking, by=mentee)
    dropped = _attached_event(mentee, "booking_cancelled", occurrence)

    assert (booked.status, changed.status, dropped.status) == ("CONFIRMED", "CONFIRMED", "CANCELLED")
    assert booked.sequence < changed.sequence < dropped.sequence
    assert changed.location == "Room 7"


def test_the_session_cancelled_mail_carries_every_cancelled_event():
    series = published_series()
    first, second = series.occurrences.all()[:2]
    mentee = MenteeFactory()
    book_seat(occurrence=first, mentee=mentee)
    before = _attached_event(mentee, "booking_confirmed", first).sequence
    book_seat(occurrence=second, mentee=mentee)

    cancel_occurrence(occurrence=first, by=series.mentor, reason="Flu")
    edit_series_from(series=series, editor=series.mentor, from_date=second.series_date, location="Room 9")

    cancelled = _attached_event(mentee, "session_cancelled", first)
    assert cancelled.status == "CANCELLED" and cancelled.sequence > before
    assert _attached_event(mentee, "session_changed", second).location == "Room 9"
