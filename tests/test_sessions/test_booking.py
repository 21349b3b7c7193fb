from datetime import time, timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from accounts.class_year import graduation_year_for
from notifications.models import OutboundEmail
from sessions.errors import AlreadyBooked, NotBookable, NotEligibleToBook, Overlap, SeatsLeft, SessionFull, TooLate
from sessions.models import Booking, WaitlistEntry
from sessions.selectors import seats_left, upcoming_occurrences
from sessions.services import (
    book_seat,
    book_series,
    cancel_booking,
    cancel_occurrence,
    end_standing_booking,
    join_waitlist,
)
from tests.factories import MenteeFactory, MentorFactory, MentorshipFactory, published_series

pytestmark = pytest.mark.django_db


def _full_occurrence(seats=2):
    series = published_series(seats=seats)
    occurrence = series.occurrences.first()
    for _ in range(seats):
        book_seat(occurrence=occurrence, mentee=MenteeFactory())
    return occurrence


def test_booking_a_seat_emails_a_confirmation_with_a_calendar_file():
    occurrence = published_series().occurrences.first()
    mentee = MenteeFactory()

    booking = book_seat(occurrence=occurrence, mentee=mentee)

    assert booking.status == Booking.Status.BOOKED
    email = OutboundEmail.objects.get(recipient=mentee, kind="booking_confirmed")
    assert "Anatomy review" in email.subject
    assert email.attachments[0]["mimetype"] == "text/calendar; method=PUBLISH; charset=utf-8"
    assert "BEGIN:VEVENT" in email.attachments[0]["content"]


def test_the_confirmation_shows_the_program_local_time():
    occurrence = published_series(start_time=time(18, 0)).occurrences.first()

    book_seat(occurrence=occurrence, mentee=MenteeFactory())

    assert "18:00" in OutboundEmail.objects.get(kind="booking_confirmed").subject


def test_the_last_seat_cannot_be_exceeded():
    occurrence = _full_occurrence(seats=2)

    with pytest.raises(SessionFull, match="waitlist"):
        book_seat(occurrence=occurrence, mentee=MenteeFactory())

    assert seats_left(occurrence) == 0
    assert occurrence.bookings.booked().count() == 2


@pytest.mark.parametrize(
    "book",
    [
        lambda series, mentee: book_seat(occurrence=series.occurrences.first(), mentee=mentee),
        lambda series, mentee: book_series(series=series, mentee=mentee),
    ],
    ids=["one session", "the whole series"],
)
def test_a_mentee_cannot_book_the_same_session_or_series_twice(book):
    series = published_series()
    mentee = MenteeFactory()
    book(series, mentee)

    with pytest.raises(AlreadyBooked):
        book(series, mentee)


def test_a_cancelled_session_cannot_be_booked():
    series = published_series()
    occurrence = series.occurrences.first()
    cancel_occurrence(occurrence=occurrence, by=series.mentor, reason="Ill")

    with pytest.raises(NotBookable, match="cancelled"):
        book_seat(occurrence=occurrence, mentee=MenteeFactory())


def test_a_past_session_cannot_be_booked():
    occurrence = published_series().occurrences.first()

    with pytest.raises(NotBookable, match="started"):
        book_seat(occurrence=occurrence, mentee=MenteeFactory(), now=occurrence.starts_at + timedelta(minutes=5))


def test_a_mentee_outside_the_allowed_class_years_cannot_book():
    occurrence = published_series(allowed_class_years=[1]).occurrences.first()
    ms2 = MenteeFactory(graduation_year=graduation_year_for(2))

    with pytest.raises(NotEligibleToBook, match="MS1"):
        book_seat(occurrence=occurrence, mentee=ms2)


def test_a_matched_only_series_takes_the_mentors_matched_mentees_and_refuses_others():
    series = published_series(matched_mentees_only=True)
    occurrence = series.occurrences.first()
    matched, stranger = MenteeFactory(), MenteeFactory()
    MentorshipFactory(mentor=series.mentor, mentee=matched)

    assert book_seat(occurrence=occurrence, mentee=matched).status == Booking.Status.BOOKED
    with pytest.raises(NotEligibleToBook, match="matched mentees only"):
        book_seat(occurrence=occurrence, mentee=stranger)


def test_a_matched_only_series_refuses_a_mentee_whose_pair_has_ended():
    series = published_series(matched_mentees_only=True)
    former = MenteeFactory()
    MentorshipFactory(mentor=series.mentor, mentee=former, status="ended", ended_at=timezone.now())

    with pytest.raises(NotEligibleToBook, match="matched mentees only"):
        book_seat(occurrence=series.occurrences.first(), mentee=former)


def test_a_mentor_cannot_book_their_own_session():
    series = published_series()
    series.mentor.is_mentee = True

    with pytest.raises(NotEligibleToBook):
        book_seat(occurrence=series.occurrences.first(), mentee=series.mentor)


def test_a_mentee_cannot_book_two_sessions_that_overlap():
    mentee = MenteeFactory()
    first = published_series(start_time=time(18, 0)).occurrences.first()
    second = published_series(start_time=time(19, 0)).occurrences.first()
    book_seat(occurrence=first, mentee=mentee)

    with pytest.raises(Overlap, match="already have a session"):
        book_seat(occurrence=second, mentee=mentee)


def test_back_to_back_sessions_do_not_overlap():
    mentee = MenteeFactory()
    first = published_series(start_time=time(16, 0), duration_minutes=120).occurrences.first()
    second = published_series(start_time=time(18, 0)).occurrences.first()
    book_seat(occurrence=first, mentee=mentee)

    assert book_seat(occurrence=second, mentee=mentee).is_active


def test_booking_the_series_books_every_future_occurrence_each_against_its_own_seats():
    series = published_series(seats=2)
    occurrences = list(series.occurrences.all())
    book_seat(occurrence=occurrences[1], mentee=MenteeFactory())
    mentee = MenteeFactory()

    result = book_series(series=series, mentee=mentee)

    assert len(result.booked) == 4
    assert [seats_left(o) for o in upcoming_occurrences().filter(series=series)] == [1, 0, 1, 1]
    assert OutboundEmail.objects.filter(recipient=mentee, kind="series_booked").count() == 1


def test_a_standing_booking_waitlists_the_weeks_that_are_full():
    series = published_series(seats=1)
    full = series.occurrences.all()[2]
    book_seat(occurrence=full, mentee=MenteeFactory())

    result = book_series(series=series, mentee=MenteeFactory())

    assert len(result.booked) == 3
    assert [w.occurrence for w in result.waitlisted] == [full]


def test_ending_a_standing_booking_frees_every_future_seat():
    series = published_series()
    mentee = MenteeFactory()
    result = book_series(series=series, mentee=mentee)

    end_standing_booking(standing=result.standing, by=mentee)

    assert not Booking.objects.booked().filter(mentee=mentee).exists()


def _booked_and_cancelled(before_start: timedelta) -> Booking:
    """A mentee's booking, cancelled by them `before_start` the session."""
    occurrence = published_series().occurrences.first()
    mentee = MenteeFactory()
    booking = book_seat(occurrence=occurrence, mentee=mentee)
    cancel_booking(booking=booking, by=mentee, now=occurrence.starts_at - before_start)
    booking.refresh_from_db()
    return booking


def test_cancelling_before_the_cutoff_is_not_late():
    booking = _booked_and_cancelled(timedelta(hours=2, minutes=1))

    assert booking.status == Booking.Status.CANCELLED and not booking.late_cancel
    assert OutboundEmail.objects.filter(recipient=booking.mentee, kind="booking_cancelled").exists()


def test_cancelling_after_the_cutoff_is_recorded_as_late():
    assert _booked_and_cancelled(timedelta(minutes=30)).late_cancel


@override_settings(BOOKING_CANCEL_CUTOFF_HOURS=24)
def test_the_cutoff_comes_from_the_setting():
    assert _booked_and_cancelled(timedelta(hours=5)).late_cancel


def test_a_started_session_cannot_be_cancelled():
    occurrence = published_series().occurrences.first()
    mentee = MenteeFactory()
    booking = book_seat(occurrence=occurrence, mentee=mentee)

    with pytest.raises(TooLate):
        cancel_booking(booking=booking, by=mentee, now=occurrence.starts_at)


def _one_seat_booked_and_two_waiting():
    """A one-seat occurrence, the booking of its seat, and the first and the second mentee on its waitlist."""
    occurrence = _full_occurrence(seats=1)
    first, second = MenteeFactory(), MenteeFactory()
    for mentee in (first, second):
        join_waitlist(occurrence=occurrence, mentee=mentee)
    return occurrence, occurrence.bookings.get(), first, second


def test_a_full_session_offers_the_waitlist_and_the_first_waiting_mentee_gets_the_freed_seat():
    occurrence, booking, first, second = _one_seat_booked_and_two_waiting()

    cancel_booking(booking=booking, by=booking.mentee)

    assert list(occurrence.bookings.booked().values_list("mentee", flat=True)) == [first.pk]
    assert occurrence.bookings.get(mentee=first).source == Booking.Source.WAITLIST
    assert WaitlistEntry.objects.get(mentee=first).status == WaitlistEntry.Status.PROMOTED
    assert WaitlistEntry.objects.get(mentee=second).status == WaitlistEntry.Status.WAITING
    assert OutboundEmail.objects.filter(recipient=first, kind="waitlist_promoted").count() == 1


def test_a_waiting_mentee_with_a_clash_is_passed_over_and_keeps_their_place():
    occurrence, booking, busy, free = _one_seat_booked_and_two_waiting()
    clash = published_series(start_time=time(18, 30)).occurrences.first()
    book_seat(occurrence=clash, mentee=busy)

    cancel_booking(booking=booking, by=booking.mentee)

    assert occurrence.bookings.booked().get().mentee == free
    assert WaitlistEntry.objects.get(mentee=busy).status == WaitlistEntry.Status.WAITING


def test_more_seats_promote_the_waitlist_in_order():
    from sessions.services import edit_occurrence

    occurrence = _full_occurrence(seats=1)
    waiting = [MenteeFactory() for _ in range(3)]
    for mentee in waiting:
        join_waitlist(occurrence=occurrence, mentee=mentee)

    edit_occurrence(occurrence=occurrence, editor=occurrence.series.mentor, seats=3)

    booked = set(occurrence.bookings.booked().values_list("mentee", flat=True))
    assert {waiting[0].pk, waiting[1].pk} <= booked and waiting[2].pk not in booked


def test_joining_the_waitlist_of_a_session_with_seats_is_refused():
    occurrence = published_series().occurrences.first()

    with pytest.raises(SeatsLeft, match="seats left"):
        join_waitlist(occurrence=occurrence, mentee=MenteeFactory())


def test_a_mentee_cannot_cancel_someone_elses_booking():
    from sessions.errors import NotAllowed

    occurrence = published_series().occurrences.first()
    booking = book_seat(occurrence=occurrence, mentee=MenteeFactory())

    with pytest.raises(NotAllowed):
        cancel_booking(booking=booking, by=MenteeFactory())


def test_booking_again_after_cancelling_makes_a_new_booking():
    occurrence = published_series().occurrences.first()
    mentee = MenteeFactory()
    cancel_booking(booking=book_seat(occurrence=occurrence, mentee=mentee), by=mentee)

    book_seat(occurrence=occurrence, mentee=mentee)

    assert occurrence.bookings.filter(mentee=mentee).count() == 2
    assert occurrence.bookings.booked().filter(mentee=mentee).count() == 1


def test_browse_filters_by_subject_mentor_weekday_time_and_seats():
    mentor = MentorFactory()
    morning = published_series(mentor=mentor, start_time=time(9, 0))
    evening = published_series(start_time=time(19, 0), seats=1)
    for occ in evening.occurrences.all():
        book_seat(occurrence=occ, mentee=MenteeFactory())

    assert {o.series for o in upcoming_occurrences(mentor=mentor)} == {morning}
    assert {o.series for o in upcoming_occurrences(subject=evening.subject)} == {evening}
    assert {o.series for o in upcoming_occurrences(time_of_day="morning")} == {morning}
    assert {o.series for o in upcoming_occurrences(with_seats=True)} == {morning}
    assert {o.series for o in upcoming_occurrences(weekday=morning.weekday)} == {morning, evening}
    assert not upcoming_occurrences(weekday=(morning.weekday + 1) % 7).exists()


def test_attending_bookings_leave_out_cancelled_seats_and_cancelled_sessions():
    from django.utils import timezone

    from sessions.selectors import attending_bookings

    series = published_series()
    kept, dropped, called_off = series.occurrences.all()[:3]
    keeper = book_seat(occurrence=kept, mentee=MenteeFactory())
    leaver = MenteeFactory()
    cancel_booking(booking=book_seat(occurrence=dropped, mentee=leaver), by=leaver)
    book_seat(occurrence=called_off, mentee=MenteeFactory())
    cancel_occurrence(occurrence=called_off, by=series.mentor, reason="Exam")

    found = list(attending_bookings(starts_from=timezone.now(), starts_until=timezone.now() + timedelta(weeks=5)))

    assert found == [keeper]


def test_a_mentee_who_muted_booking_emails_gets_no_confirmation_but_still_hears_of_a_cancellation():
    series = published_series()
    occurrence = series.occurrences.first()
    mentee = MenteeFactory(muted_email_categories=["bookings"])

    book_seat(occurrence=occurrence, mentee=mentee)
    cancel_occurrence(occurrence=occurrence, by=series.mentor, reason="Ill")

    assert list(OutboundEmail.objects.filter(recipient=mentee).values_list("kind", flat=True)) == ["session_cancelled"]


def test_the_booking_confirmation_shows_a_title_with_an_apostrophe_and_ampersand_as_typed():
    series = published_series(title="Heart & Lungs: O'Brien's <review>")
    mentee = MenteeFactory(first_name="D'Arcy")

    book_seat(occurrence=series.occurrences.first(), mentee=mentee)

    email = OutboundEmail.objects.get(recipient=mentee, kind="booking_confirmed")
    assert "Heart & Lungs: O'Brien's <review>" in email.subject
    assert "Heart & Lungs: O'Brien's <review>" in email.body_text
    assert "&#x27;" not in email.body_text + email.subject
