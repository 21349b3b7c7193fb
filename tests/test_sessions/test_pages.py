from datetime import date, time, timedelta

import pytest
from django.utils import timezone

from sessions.models import Booking, Occurrence, ReviewSeries, WaitlistEntry
from sessions.services import book_seat, record_attendance, save_outcome_note
from tests.factories import MenteeFactory, MentorFactory, SubjectFactory, published_series, series_form_data

pytestmark = pytest.mark.django_db


def test_a_mentor_publishes_a_series_from_the_form(client):
    mentor = MentorFactory()
    client.force_login(mentor)

    skipped = timezone.localdate() + timedelta(days=3, weeks=2)

    response = client.post("/sessions/new/", series_form_data(SubjectFactory(), skip_dates=skipped.isoformat()))

    series = ReviewSeries.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/sessions/series/{series.pk}/"
    assert series.occurrences.count() == 5


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"seats": 0}, "at least one seat"),
        ({"seats": -2}, "at least one seat"),
        ({"last_date": (timezone.localdate() + timedelta(days=1)).isoformat()}, "before the first date"),
        ({"first_date": "2020-01-01", "last_date": "2020-03-01"}, "in the past"),
        ({"skip_dates": "not-a-date"}, "is not a date"),
    ],
)
def test_bad_series_input_is_shown_on_the_form_which_keeps_what_was_typed(client, overrides, message):
    client.force_login(MentorFactory())

    response = client.post("/sessions/new/", series_form_data(SubjectFactory(), **overrides))

    assert response.status_code == 400
    content = response.content.decode()
    assert message in content
    assert 'value="Renal physiology"' in content
    assert not ReviewSeries.objects.exists()


def test_a_start_time_missing_on_a_dst_day_is_explained_on_the_form(client):
    client.force_login(MentorFactory())
    # The second Sunday of March: 02:30 does not exist in Chicago that night.
    year = timezone.localdate().year + 1
    march = date(year, 3, 8)
    dst_day = march + timedelta(days=(6 - march.weekday()) % 7)

    response = client.post(
        "/sessions/new/",
        series_form_data(SubjectFactory(), weekday=6, start_time="02:30", first_date=dst_day - timedelta(weeks=1),
                         last_date=dst_day.isoformat()),
    )

    assert "does not exist" in response.content.decode()
    assert not Occurrence.objects.exists()


def test_a_mentee_cannot_open_the_publish_page(client):
    client.force_login(MenteeFactory())

    assert client.get("/sessions/new/").status_code == 403


def test_browse_shows_seats_left_and_filters_by_subject(client):
    shown = published_series(title="Neuro night", seats=5)
    published_series(title="Pharm morning", start_time=time(9, 0))
    book_seat(occurrence=shown.occurrences.first(), mentee=MenteeFactory())
    client.force_login(MenteeFactory())

    content = client.get(f"/sessions/?subject={shown.subject.pk}").content.decode()

    assert "Neuro night" in content and "Pharm morning" not in content
    assert "4 of 5 seats left" in content


def test_booking_from_browse_with_htmx_swaps_the_card(client):
    occurrence = published_series().occurrences.first()
    mentee = MenteeFactory()
    client.force_login(mentee)

    response = client.post(f"/sessions/o/{occurrence.pk}/book/", HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert "You are booked" in response.content.decode()
    assert Booking.objects.booked().filter(mentee=mentee).exists()


def test_booking_a_full_session_says_so_and_offers_the_waitlist(client):
    occurrence = published_series(seats=1).occurrences.first()
    book_seat(occurrence=occurrence, mentee=MenteeFactory())
    client.force_login(MenteeFactory())

    response = client.post(f"/sessions/o/{occurrence.pk}/book/", HTTP_HX_REQUEST="true")

    content = response.content.decode()
    assert "This session is full" in content and "Join the waitlist" in content


def test_the_card_of_a_refused_booking_shows_the_session_its_waiting_count_and_no_book_button(client):
    from sessions.services import join_waitlist

    occurrence = published_series(seats=1, title="Renal physiology").occurrences.first()
    book_seat(occurrence=occurrence, mentee=MenteeFactory())
    join_waitlist(occurrence=occurrence, mentee=MenteeFactory())
    join_waitlist(occurrence=occurrence, mentee=MenteeFactory())
    client.force_login(MenteeFactory())

    content = client.post(f"/sessions/o/{occurrence.pk}/book/", HTTP_HX_REQUEST="true").content.decode()

    assert f'id="occ-{occurrence.pk}"' in content and "Renal physiology" in content
    assert "Full" in content and "2 waiting" in content
    assert "Book a seat" not in content and f"/sessions/o/{occurrence.pk}/waitlist/" in content


def test_the_card_after_joining_the_waitlist_says_so(client):
    occurrence = published_series(seats=1).occurrences.first()
    book_seat(occurrence=occurrence, mentee=MenteeFactory())
    client.force_login(MenteeFactory())

    content = client.post(f"/sessions/o/{occurrence.pk}/waitlist/", HTTP_HX_REQUEST="true").content.decode()

    assert "On the waitlist" in content and "1 waiting" in content and "Join the waitlist" not in content


def test_booking_a_cancelled_session_shows_a_message_not_an_error_page(client):
    from sessions.services import cancel_occurrence

    series = published_series()
    occurrence = series.occurrences.first()
    cancel_occurrence(occurrence=occurrence, by=series.mentor, reason="Holiday")
    client.force_login(MenteeFactory())

    response = client.post(f"/sessions/o/{occurrence.pk}/book/", follow=True)

    assert response.status_code == 200
    assert "This session is cancelled." in response.content.decode()


def test_my_sessions_lists_bookings_and_waitlist_positions(client):
    mentee = MenteeFactory()
    booked = published_series(title="Histology").occurrences.first()
    full = published_series(title="Immunology", seats=1, start_time=time(8, 0)).occurrences.first()
    book_seat(occurrence=booked, mentee=mentee)
    book_seat(occurrence=full, mentee=MenteeFactory())
    from sessions.services import join_waitlist

    join_waitlist(occurrence=full, mentee=MenteeFactory())
    join_waitlist(occurrence=full, mentee=mentee)
    client.force_login(mentee)

    content = client.get("/sessions/mine/").content.decode()

    assert "Histology" in content
    assert "Immunology" in content and "position 2" in content
    assert f"/sessions/calendar/{mentee.calendar_token}.ics" in content


def test_cancelling_from_my_sessions_frees_the_seat(client):
    mentee = MenteeFactory()
    booking = book_seat(occurrence=published_series().occurrences.first(), mentee=mentee)
    client.force_login(mentee)

    response = client.post(f"/sessions/bookings/{booking.pk}/cancel/", follow=True)

    assert "Your seat is cancelled" in response.content.decode()
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED


def test_my_week_shows_rosters_and_sessions_waiting_for_notes(client):
    series = published_series(title="Biochem")
    occurrence = series.occurrences.first()
    mentee = MenteeFactory(first_name="Ada", last_name="Lovelace")
    book_seat(occurrence=occurrence, mentee=mentee)
    client.force_login(series.mentor)

    content = client.get("/sessions/my-week/").content.decode()

    assert "Biochem" in content and "Ada Lovelace" in content


def test_the_mentor_records_attendance_and_notes_on_one_form(client):
    series = published_series()
    occurrence = series.occurrences.first()
    mentee = MenteeFactory()
    book_seat(occurrence=occurrence, mentee=mentee)
    Occurrence.objects.filter(pk=occurrence.pk).update(
        starts_at=timezone.now() - timedelta(hours=2), ends_at=timezone.now() - timedelta(minutes=30)
    )
    client.force_login(series.mentor)

    response = client.post(
        f"/sessions/o/{occurrence.pk}/record/",
        {f"attendance_{mentee.pk}": "attended", "walk_ins": "", "topics": "Krebs cycle", "private_notes": "Good",
         "follow_ups": "", "note_to_attendees": "Read chapter 4"},
    )

    assert response.status_code == 302
    assert occurrence.attendance.get().status == "attended"
    assert occurrence.outcome_note.topics == "Krebs cycle"


def test_editing_notes_after_seven_days_is_refused_on_the_form(client):
    series = published_series()
    occurrence = series.occurrences.first()
    past = timezone.now() - timedelta(days=10)
    Occurrence.objects.filter(pk=occurrence.pk).update(starts_at=past, ends_at=past + timedelta(hours=1))
    occurrence.refresh_from_db()
    save_outcome_note(occurrence=occurrence, by=series.mentor, topics="Old", now=past + timedelta(hours=2))
    client.force_login(series.mentor)

    response = client.post(
        f"/sessions/o/{occurrence.pk}/record/",
        {"walk_ins": "", "topics": "New", "private_notes": "", "follow_ups": "", "note_to_attendees": ""},
    )

    assert response.status_code == 400
    assert "7 days" in response.content.decode()
    occurrence.outcome_note.refresh_from_db()
    assert occurrence.outcome_note.topics == "Old"


def test_rating_a_session_not_attended_is_refused_on_the_form(client):
    series = published_series()
    occurrence = series.occurrences.first()
    mentee = MenteeFactory()
    book_seat(occurrence=occurrence, mentee=mentee)
    after = occurrence.ends_at + timedelta(minutes=5)
    record_attendance(occurrence=occurrence, by=series.mentor, statuses={mentee.pk: "no_show"}, now=after)
    client.force_login(mentee)

    response = client.post(f"/sessions/o/{occurrence.pk}/rate/", {"score": 5, "feedback": "Great"})

    assert response.status_code == 400
    assert "Only mentees who attended" in response.content.decode()


def test_the_calendar_feed_needs_no_login_and_a_reset_token_stops_working(client):
    mentee = MenteeFactory()
    book_seat(occurrence=published_series(title="Genetics").occurrences.first(), mentee=mentee)
    old = mentee.calendar_token

    response = client.get(f"/sessions/calendar/{old}.ics")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    assert b"Genetics" in response.content

    client.force_login(mentee)
    client.post("/sessions/calendar/reset/")
    client.logout()
    mentee.refresh_from_db()
    assert client.get(f"/sessions/calendar/{old}.ics").status_code == 404
    assert client.get(f"/sessions/calendar/{mentee.calendar_token}.ics").status_code == 200


def test_a_booked_mentee_downloads_the_ics_of_their_session(client):
    mentee = MenteeFactory()
    occurrence = published_series().occurrences.first()
    book_seat(occurrence=occurrence, mentee=mentee)
    client.force_login(mentee)

    response = client.get(f"/sessions/o/{occurrence.pk}/session.ics")

    assert response.status_code == 200
    assert b"BEGIN:VEVENT" in response.content
    assert "attachment" in response["Content-Disposition"]


def test_joining_the_waitlist_from_the_page(client):
    occurrence = published_series(seats=1).occurrences.first()
    book_seat(occurrence=occurrence, mentee=MenteeFactory())
    mentee = MenteeFactory()
    client.force_login(mentee)

    client.post(f"/sessions/o/{occurrence.pk}/waitlist/")

    assert WaitlistEntry.objects.filter(mentee=mentee, status="waiting").exists()


def test_editing_the_series_seats_keeps_a_moved_occurrence_where_it_is(client):
    from sessions.services import edit_occurrence

    series = published_series(seats=6)
    moved = series.occurrences.first()
    new_start = moved.starts_at + timedelta(hours=1)
    edit_occurrence(occurrence=moved, editor=series.mentor, starts_at=new_start, location="Room 7")
    client.force_login(series.mentor)

    response = client.post(f"/sessions/series/{series.pk}/edit/", {
        "from_date": moved.series_date.isoformat(), "title": series.title, "description": "",
        "start_time": "18:00", "duration_minutes": 90, "seats": 9, "location": "Room 101", "video_link": "",
    })

    assert response.status_code == 302
    moved.refresh_from_db()
    assert (moved.starts_at, moved.location, moved.seats) == (new_start, "Room 7", 9)


@pytest.mark.parametrize(
    ("who", "url", "action"),
    [
        (MentorFactory, "/sessions/", "Publish a series"),
        (MentorFactory, "/sessions/my-week/", "Publish a series"),
        (MenteeFactory, "/sessions/mine/", "Find a session"),
    ],
)
def test_a_sessions_page_heading_offers_its_main_action(client, who, url, action):
    client.force_login(who())

    assert f'">{action}</a>' in client.get(url).content.decode()


def test_a_mentee_browsing_sessions_is_not_offered_to_publish_one(client):
    client.force_login(MenteeFactory())

    assert "Publish a series" not in client.get("/sessions/").content.decode()
