from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from notifications.models import OutboundEmail
from sessions.errors import InvalidSchedule, NotAllowed, Overlap, TooLate
from sessions.models import Booking, Occurrence, ReviewSeries, StandingBooking
from sessions.services import (
    book_seat,
    cancel_occurrence,
    cancel_series_from,
    edit_occurrence,
    edit_series_from,
    publish_series,
)
from tests.factories import MenteeFactory, MentorFactory, SubjectFactory, UserFactory, published_series

pytestmark = pytest.mark.django_db

CHICAGO = ZoneInfo("America/Chicago")
WINTER = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)


def test_publishing_creates_one_occurrence_per_week_of_the_term_minus_skipped_dates():
    series = published_series(
        first_date=date(2026, 2, 3), last_date=date(2026, 3, 31), weekday=1,
        skip_dates=[date(2026, 3, 17)], now=WINTER,
    )

    dates = list(series.occurrences.values_list("series_date", flat=True))
    assert len(dates) == 8
    assert date(2026, 3, 17) not in dates
    assert all(d.weekday() == 1 for d in dates)


def test_published_occurrences_keep_the_local_wall_clock_time_across_dst():
    series = published_series(
        first_date=date(2026, 2, 24), last_date=date(2026, 3, 17), weekday=1, start_time=time(18, 0), now=WINTER
    )

    local_times = {o.starts_at.astimezone(CHICAGO).time() for o in series.occurrences.all()}
    assert local_times == {time(18, 0)}
    assert len({o.starts_at.astimezone(UTC).hour for o in series.occurrences.all()}) == 2


def test_occurrences_copy_seats_and_room_and_end_after_the_duration():
    series = published_series(seats=4, location="Lab 3", duration_minutes=75)

    occurrence = series.occurrences.first()
    assert (occurrence.seats, occurrence.location) == (4, "Lab 3")
    assert occurrence.ends_at - occurrence.starts_at == timedelta(minutes=75)


def test_default_class_years_are_those_below_the_mentor():
    series = published_series(mentor=MentorFactory())  # an MS4

    assert series.allowed_class_years == [1, 2, 3]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"seats": 0}, "at least one seat"),
        ({"seats": -3}, "at least one seat"),
        ({"last_date": date(2026, 1, 1), "first_date": date(2026, 2, 1)}, "before the first date"),
        ({"first_date": date(2025, 12, 1)}, "in the past"),
        ({"location": "", "video_link": ""}, "room or a video link"),
        ({"first_date": date(2026, 3, 3), "last_date": date(2026, 3, 17), "weekday": 6, "start_time": time(2, 30)},
         "does not exist"),
    ],
)
def test_bad_series_input_is_refused_and_nothing_is_saved(overrides, message):
    with pytest.raises(InvalidSchedule, match=message):
        published_series(now=WINTER, **{"first_date": date(2026, 2, 3), **overrides})

    assert not ReviewSeries.objects.exists()
    assert not Occurrence.objects.exists()


def test_a_student_who_is_not_an_approved_mentor_cannot_publish():
    with pytest.raises(NotAllowed):
        published_series(mentor=UserFactory())


def test_a_mentor_cannot_publish_a_series_overlapping_their_own():
    mentor = MentorFactory()
    first = published_series(mentor=mentor, start_time=time(18, 0), duration_minutes=90)

    with pytest.raises(Overlap, match="overlaps"):
        published_series(mentor=mentor, start_time=time(19, 0), subject=first.subject)

    assert ReviewSeries.objects.count() == 1


def test_two_mentors_may_run_sessions_at_the_same_time():
    published_series(start_time=time(18, 0))
    published_series(start_time=time(18, 0))

    assert Occurrence.objects.count() == 8


def test_moving_one_occurrence_changes_only_that_one_and_emails_its_booked_mentees():
    series = published_series()
    occurrence, other = series.occurrences.all()[:2]
    mentee = MenteeFactory()
    book_seat(occurrence=occurrence, mentee=mentee)
    new_start = occurrence.starts_at + timedelta(hours=1)

    edit_occurrence(occurrence=occurrence, editor=series.mentor, starts_at=new_start, location="Room 7")

    occurrence.refresh_from_db()
    other.refresh_from_db()
    assert occurrence.starts_at == new_start and occurrence.location == "Room 7"
    assert other.starts_at.astimezone(CHICAGO).hour == 18 and other.location == "Room 101"
    assert OutboundEmail.objects.filter(recipient=mentee, kind="session_changed").count() == 1


def test_seats_of_an_occurrence_cannot_drop_below_the_seats_booked():
    series = published_series(seats=3)
    occurrence = series.occurrences.first()
    for _ in range(2):
        book_seat(occurrence=occurrence, mentee=MenteeFactory())

    with pytest.raises(InvalidSchedule, match="2 mentees are already booked"):
        edit_occurrence(occurrence=occurrence, editor=series.mentor, seats=1)


def test_only_the_series_mentor_can_edit_an_occurrence():
    series = published_series()

    with pytest.raises(NotAllowed):
        edit_occurrence(occurrence=series.occurrences.first(), editor=MentorFactory(), seats=9)


def test_editing_the_series_from_a_date_changes_that_date_and_later_only():
    series = published_series(first_date=date(2026, 2, 3), last_date=date(2026, 3, 24), weekday=1, now=WINTER)
    from_date = date(2026, 3, 3)

    edit_series_from(
        series=series, editor=series.mentor, from_date=from_date, start_time=time(17, 0), location="Room 9",
        seats=10, now=WINTER,
    )

    for occ in series.occurrences.all():
        local = occ.starts_at.astimezone(CHICAGO)
        if occ.series_date >= from_date:
            assert (local.time(), occ.location, occ.seats) == (time(17, 0), "Room 9", 10)
        else:
            assert (local.time(), occ.location, occ.seats) == (time(18, 0), "Room 101", 6)
    series.refresh_from_db()
    assert series.start_time == time(17, 0)


def test_editing_the_series_into_another_of_my_sessions_is_refused_and_nothing_changes():
    mentor = MentorFactory()
    series = published_series(mentor=mentor, start_time=time(18, 0), first_date=date(2026, 2, 3), weekday=1, now=WINTER)
    published_series(mentor=mentor, start_time=time(15, 0), first_date=date(2026, 2, 3), weekday=1, now=WINTER)

    with pytest.raises(Overlap):
        edit_series_from(series=series, editor=mentor, from_date=date(2026, 2, 3), start_time=time(15, 30), now=WINTER)

    assert {o.starts_at.astimezone(CHICAGO).hour for o in series.occurrences.all()} == {18}


def test_cancelling_an_occurrence_emails_every_booked_mentee_the_reason():
    series = published_series()
    occurrence = series.occurrences.first()
    mentees = [MenteeFactory() for _ in range(3)]
    for mentee in mentees:
        book_seat(occurrence=occurrence, mentee=mentee)

    cancel_occurrence(occurrence=occurrence, by=series.mentor, reason="Exam week moved")

    occurrence.refresh_from_db()
    assert occurrence.is_cancelled and occurrence.cancel_reason == "Exam week moved"
    emails = OutboundEmail.objects.filter(kind="session_cancelled")
    assert {e.recipient for e in emails} == set(mentees)
    assert all("Exam week moved" in e.body_text for e in emails)


def test_cancelling_needs_a_reason():
    series = published_series()

    with pytest.raises(InvalidSchedule, match="reason"):
        cancel_occurrence(occurrence=series.occurrences.first(), by=series.mentor, reason="  ")


def test_cancelling_the_rest_of_the_series_cancels_it_and_ends_standing_bookings():
    from sessions.services import book_series

    series = published_series()
    mentee = MenteeFactory()
    book_series(series=series, mentee=mentee)
    first = series.occurrences.first()

    cancel_series_from(series=series, by=series.mentor, from_date=first.series_date, reason="Mentor on rotation")

    series.refresh_from_db()
    assert series.status == ReviewSeries.Status.CANCELLED
    assert not series.occurrences.scheduled().exists()
    assert not StandingBooking.objects.filter(active=True).exists()
    assert OutboundEmail.objects.filter(recipient=mentee, kind="session_cancelled").count() == 1
    assert Booking.objects.attending().count() == 0


def test_a_started_occurrence_can_no_longer_be_cancelled():
    series = published_series()
    occurrence = series.occurrences.first()

    with pytest.raises(TooLate):
        cancel_occurrence(occurrence=occurrence, by=series.mentor, reason="x", now=occurrence.starts_at)


def test_publishing_uses_the_program_time_zone():
    series = publish_series(
        mentor=MentorFactory(), subject=SubjectFactory(), title="Physiology", weekday=2, start_time=time(7, 30),
        duration_minutes=60, seats=5, first_date=timezone.localdate() + timedelta(days=1),
        last_date=timezone.localdate() + timedelta(days=20), video_link="https://meet.example.edu/phys",
    )

    assert series.time_zone == "America/Chicago"
    assert {o.starts_at.astimezone(CHICAGO).time() for o in series.occurrences.all()} == {time(7, 30)}
