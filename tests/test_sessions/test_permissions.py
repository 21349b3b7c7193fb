from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.permissions import can
from sessions.models import Occurrence
from sessions.services import book_seat, record_attendance, save_outcome_note
from tests.factories import MenteeFactory, MentorFactory, ProgramAdminFactory, published_series

pytestmark = pytest.mark.django_db


def _session_with_notes():
    series = published_series()
    occurrence = series.occurrences.first()
    attendee, absentee = MenteeFactory(), MenteeFactory()
    for mentee in (attendee, absentee):
        book_seat(occurrence=occurrence, mentee=mentee)
    # The session took place: move it into the past, then record it now.
    past = timezone.now() - timedelta(hours=3)
    Occurrence.objects.filter(pk=occurrence.pk).update(starts_at=past, ends_at=past + timedelta(hours=1))
    occurrence.refresh_from_db()
    after = timezone.now()
    record_attendance(
        occurrence=occurrence, by=series.mentor, statuses={attendee.pk: "attended", absentee.pk: "no_show"}, now=after
    )
    save_outcome_note(
        occurrence=occurrence, by=series.mentor, private_notes="Struggles with acid-base",
        note_to_attendees="Practise ABGs", now=after,
    )
    return series, occurrence, attendee, absentee


def test_only_the_series_mentor_may_edit_it():
    series = published_series()

    assert can(series.mentor, "sessions.edit_series", series)
    assert not can(MentorFactory(), "sessions.edit_series", series)
    assert not can(ProgramAdminFactory(), "sessions.edit_series", series)


def test_another_mentor_gets_403_on_the_edit_and_cancel_pages(client):
    series = published_series()
    occurrence = series.occurrences.first()
    client.force_login(MentorFactory())

    for url in (
        f"/sessions/series/{series.pk}/edit/",
        f"/sessions/series/{series.pk}/cancel/",
        f"/sessions/o/{occurrence.pk}/edit/",
        f"/sessions/o/{occurrence.pk}/cancel/",
        f"/sessions/o/{occurrence.pk}/record/",
    ):
        assert client.get(url).status_code == 403, url


def test_only_approved_mentors_may_publish():
    assert can(MentorFactory(), "sessions.publish")
    assert not can(MenteeFactory(), "sessions.publish")


def test_private_notes_are_shown_to_the_mentor_and_admins_only(client):
    series, occurrence, attendee, _absentee = _session_with_notes()
    url = f"/sessions/o/{occurrence.pk}/"

    for reader in (series.mentor, ProgramAdminFactory()):
        client.force_login(reader)
        assert "Struggles with acid-base" in client.get(url).content.decode()
    for outsider in (attendee, MentorFactory(), MenteeFactory()):
        client.force_login(outsider)
        assert "Struggles with acid-base" not in client.get(url).content.decode()


def test_the_note_to_attendees_is_shown_to_those_who_came_only(client):
    _series, occurrence, attendee, absentee = _session_with_notes()
    url = f"/sessions/o/{occurrence.pk}/"

    client.force_login(attendee)
    assert "Practise ABGs" in client.get(url).content.decode()
    assert "Practise ABGs" in client.get("/sessions/mine/").content.decode()
    client.force_login(absentee)
    assert "Practise ABGs" not in client.get(url).content.decode()


def test_a_mentee_cannot_cancel_or_see_another_mentees_booking(client):
    occurrence = published_series().occurrences.first()
    booking = book_seat(occurrence=occurrence, mentee=MenteeFactory(first_name="Zelda"))
    other = MenteeFactory()
    client.force_login(other)

    assert client.post(f"/sessions/bookings/{booking.pk}/cancel/").status_code == 403
    assert "Zelda" not in client.get(f"/sessions/o/{occurrence.pk}/").content.decode()
    assert "Zelda" not in client.get("/sessions/mine/").content.decode()


def test_a_mentee_cannot_download_the_ics_of_a_session_they_did_not_book(client):
    occurrence = published_series().occurrences.first()
    client.force_login(MenteeFactory())

    assert client.get(f"/sessions/o/{occurrence.pk}/session.ics").status_code == 403


def test_the_roster_is_shown_to_the_mentor_not_to_mentees(client):
    series = published_series()
    occurrence = series.occurrences.first()
    book_seat(occurrence=occurrence, mentee=MenteeFactory(first_name="Quentin"))

    client.force_login(series.mentor)
    assert "Quentin" in client.get(f"/sessions/o/{occurrence.pk}/").content.decode()


def test_anonymous_visitors_are_sent_to_sign_in(client):
    assert client.get("/sessions/").status_code == 302
    assert client.get("/sessions/mine/").status_code == 302


def test_an_admin_reading_outcome_notes_is_logged_and_the_mentor_is_not(client):
    from audit.models import AccessEvent

    series, occurrence, _attendee, _absentee = _session_with_notes()
    admin = ProgramAdminFactory()

    client.force_login(series.mentor)
    client.get(f"/sessions/o/{occurrence.pk}/")
    client.force_login(admin)
    client.get(f"/sessions/o/{occurrence.pk}/")

    assert list(AccessEvent.objects.values_list("actor", "action")) == [(admin.pk, "outcome_note.read")]
