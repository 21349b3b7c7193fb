"""A session's video link is for those who may book it (and its mentor and the program admins):
a matched-only series' link never reaches a mentee the mentor has not been matched with, on a page,
in an email or in a calendar file."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from mentorship.models import Mentorship
from sessions.services import book_seat
from tests.factories import (
    MenteeFactory,
    MentorFactory,
    MentorshipFactory,
    ProgramAdminFactory,
    published_series,
)

pytestmark = pytest.mark.django_db

LINK = "https://meet.example.edu/secret-anatomy-room"


@pytest.fixture
def matched_only():
    series = published_series(matched_mentees_only=True, location="", video_link=LINK)
    matched = MenteeFactory()
    MentorshipFactory(mentor=series.mentor, mentee=matched)
    return series, matched


def _page(client, user, occurrence) -> str:
    client.force_login(user)
    return client.get(reverse("sessions:occurrence", args=[occurrence.pk])).content.decode()


def test_an_unmatched_mentee_does_not_see_the_video_link_of_a_matched_only_session(client, matched_only):
    series, _ = matched_only

    page = _page(client, MenteeFactory(), series.occurrences.first())

    assert LINK not in page
    assert "Online" in page  # the page itself still opens


@pytest.mark.parametrize("who", ["matched mentee", "the mentor", "a program admin"])
def test_those_who_may_book_or_run_a_matched_only_session_see_its_video_link(client, matched_only, who):
    series, matched = matched_only
    viewer = {"matched mentee": matched, "the mentor": series.mentor, "a program admin": ProgramAdminFactory()}[who]

    assert f'href="{LINK}"' in _page(client, viewer, series.occurrences.first())


def test_a_mentee_outside_the_allowed_class_years_does_not_see_the_video_link(client):
    from accounts.class_year import graduation_year_for

    series = published_series(allowed_class_years=[1], location="", video_link=LINK)

    page = _page(client, MenteeFactory(graduation_year=graduation_year_for(2)), series.occurrences.first())

    assert LINK not in page


def test_another_mentor_does_not_see_the_video_link(client, matched_only):
    series, _ = matched_only

    assert LINK not in _page(client, MentorFactory(), series.occurrences.first())


def test_the_browse_list_never_shows_a_video_link_to_an_unmatched_mentee(client, matched_only):
    client.force_login(MenteeFactory())

    page = client.get(reverse("sessions:browse")).content.decode()

    assert "Anatomy review" in page and LINK not in page


def test_the_booking_email_and_its_calendar_file_carry_the_link_to_the_matched_mentee(matched_only, django_capture_on_commit_callbacks):
    series, matched = matched_only

    with django_capture_on_commit_callbacks(execute=True):
        book_seat(occurrence=series.occurrences.first(), mentee=matched)

    (message,) = [m for m in mail.outbox if m.to == [matched.email]]
    assert LINK in message.body
    assert LINK in message.attachments[0].get_payload(decode=True).decode()


@pytest.fixture
def former(matched_only):
    """A mentee who booked while matched; the pair has ended since, so they may not book again."""
    series, matched = matched_only
    occurrence = series.occurrences.first()
    book_seat(occurrence=occurrence, mentee=matched)
    Mentorship.objects.filter(mentee=matched).update(status="ended", ended_at=timezone.now())
    return series, occurrence, matched


def test_a_mentee_whose_pair_ended_gets_no_video_link_in_the_session_calendar_file(client, former):
    _, occurrence, mentee = former
    client.force_login(mentee)

    response = client.get(reverse("sessions:occurrence_ics", args=[occurrence.pk]))

    assert response.status_code == 200
    assert "BEGIN:VEVENT" in response.content.decode()
    assert LINK not in response.content.decode()


def test_a_mentee_whose_pair_ended_gets_no_video_link_in_their_calendar_feed(client, former):
    _, occurrence, mentee = former

    response = client.get(reverse("sessions:feed", args=[mentee.calendar_token]))

    assert f"occurrence-{occurrence.pk}@" in response.content.decode()
    assert LINK not in response.content.decode()


def test_the_mentors_own_feed_keeps_the_video_link(client, former):
    series, _, _ = former

    assert LINK in client.get(reverse("sessions:feed", args=[series.mentor.calendar_token])).content.decode()


def test_a_mentee_whose_pair_ended_gets_no_video_link_in_a_reminder_or_a_change_email(
    former, django_capture_on_commit_callbacks
):
    from sessions.models import Reminder
    from sessions.reminder_emails import prepare_reminder_email
    from sessions.services import edit_occurrence

    series, occurrence, mentee = former
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        edit_occurrence(occurrence=occurrence, editor=series.mentor, seats=occurrence.seats + 1, location="Room 9")
    reminder = Reminder.objects.create(
        occurrence=occurrence, recipient=mentee, kind="1h", session_starts_at=occurrence.starts_at, due_at=timezone.now()
    )
    email = prepare_reminder_email(reminder_id=reminder.pk)

    changed = [m for m in mail.outbox if m.to == [mentee.email]]
    assert changed and all(LINK not in m.body for m in changed)
    assert LINK not in email.body_text
    assert LINK not in email.body_html
    assert all(LINK not in a["content"] for a in email.attachments)
