"""The program's no-show limit per term and weekly booking cap, applied when a mentee books."""

import datetime as _dt

import pytest
from django.utils import timezone

from notifications.models import OutboundEmail
from program.models import NoShowClearance
from sessions.errors import NoShowLimitReached, WeeklyCapReached
from sessions.models import Attendance, Booking, WaitlistEntry
from sessions.services import (
    book_seat,
    book_series,
    cancel_booking,
    clear_no_shows,
    join_waitlist,
    record_attendance,
)
from tests.factories import MenteeFactory, ProgramAdminFactory, published_series
from tests.factories_program import cancelled_late, missed, set_rules, term_around_today

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def term():
    return term_around_today()


def _next_session(**overrides):
    return published_series(**overrides).occurrences.order_by("starts_at").first()


def test_a_mentee_one_short_of_the_no_show_limit_can_still_book():
    set_rules(no_show_limit=3)
    mentee = MenteeFactory()
    missed(mentee, days_ago=5)
    missed(mentee, days_ago=4)

    booking = book_seat(occurrence=_next_session(), mentee=mentee)

    assert booking.status == Booking.Status.BOOKED


def test_a_mentee_at_the_no_show_limit_is_refused_saying_why_and_whom_to_contact(settings, term):
    settings.PROGRAM_CONTACT_EMAIL = "office@med.example.edu"
    set_rules(no_show_limit=2)
    mentee = MenteeFactory()
    missed(mentee, days_ago=5)
    missed(mentee, days_ago=4)
    occurrence = _next_session()

    with pytest.raises(NoShowLimitReached) as refused:
        book_seat(occurrence=occurrence, mentee=mentee)

    assert str(refused.value) == (
        f"You cannot book new sessions in {term.name}: you have 2 sessions you booked and missed "
        "(the program's limit is 2 a term). Please contact the program office at office@med.example.edu; "
        "a program admin can clear it."
    )
    assert not Booking.objects.filter(occurrence=occurrence, mentee=mentee).exists()


def test_excused_absences_do_not_count_toward_the_limit():
    set_rules(no_show_limit=2)
    mentee = MenteeFactory()
    missed(mentee, days_ago=5)
    missed(mentee, days_ago=4, status=Attendance.Status.EXCUSED)

    assert book_seat(occurrence=_next_session(), mentee=mentee).status == Booking.Status.BOOKED


def test_no_shows_of_another_term_do_not_count():
    set_rules(no_show_limit=1)
    mentee = MenteeFactory()
    missed(mentee, days_ago=90)  # before the term (60 days around today) began

    assert book_seat(occurrence=_next_session(), mentee=mentee).status == Booking.Status.BOOKED


def test_late_cancellations_count_only_when_the_rules_say_so():
    set_rules(no_show_limit=2, late_cancellation_counts_as_no_show=False)
    mentee = MenteeFactory()
    missed(mentee, days_ago=5)
    cancelled_late(mentee, days_ago=4)
    first = book_seat(occurrence=_next_session(), mentee=mentee)
    set_rules(late_cancellation_counts_as_no_show=True)

    with pytest.raises(NoShowLimitReached, match="missed or cancelled late"):
        book_seat(occurrence=_next_session(title="Histology review"), mentee=mentee)

    assert first.status == Booking.Status.BOOKED


def test_without_a_defined_term_the_half_academic_year_is_the_term(term):
    term.delete()
    set_rules(no_show_limit=1)
    mentee = MenteeFactory()
    occurrence = _next_session()
    # A no-show earlier on the session's own day: always in the same half year.
    same_day = missed(mentee, days_ago=0)
    same_day.occurrence.starts_at = occurrence.starts_at - _dt.timedelta(hours=3)
    same_day.occurrence.ends_at = occurrence.starts_at - _dt.timedelta(hours=2)
    same_day.occurrence.save()

    with pytest.raises(NoShowLimitReached, match=r"\d{4}–\d{2} term [12]"):
        book_seat(occurrence=occurrence, mentee=mentee)


def test_a_mentee_at_the_limit_cannot_book_a_series_and_nothing_is_saved():
    set_rules(no_show_limit=1)
    mentee = MenteeFactory()
    missed(mentee)
    series = published_series()

    with pytest.raises(NoShowLimitReached):
        book_series(series=series, mentee=mentee)

    assert not mentee.standing_bookings.exists()
    assert not Booking.objects.filter(mentee=mentee, occurrence__series=series).exists()


def test_a_mentee_at_the_limit_cannot_join_a_waitlist():
    set_rules(no_show_limit=1)
    mentee = MenteeFactory()
    missed(mentee)
    occurrence = _next_session(seats=1)
    book_seat(occurrence=occurrence, mentee=MenteeFactory())

    with pytest.raises(NoShowLimitReached):
        join_waitlist(occurrence=occurrence, mentee=mentee)


def test_a_waiting_mentee_who_reached_the_limit_is_passed_over_for_the_next():
    occurrence = _next_session(seats=1)
    holder = MenteeFactory()
    booking = book_seat(occurrence=occurrence, mentee=holder)
    blocked, next_in_line = MenteeFactory(), MenteeFactory()
    join_waitlist(occurrence=occurrence, mentee=blocked)
    join_waitlist(occurrence=occurrence, mentee=next_in_line)
    set_rules(no_show_limit=1)
    missed(blocked)

    cancel_booking(booking=booking, by=holder)

    assert Booking.objects.booked().get(occurrence=occurrence).mentee == next_in_line
    assert WaitlistEntry.objects.get(mentee=blocked).status == WaitlistEntry.Status.WAITING


def test_a_clearance_lets_the_mentee_book_again_and_is_kept_with_its_note():
    set_rules(no_show_limit=1)
    mentee, admin = MenteeFactory(), ProgramAdminFactory()
    missed(mentee)

    clearance = clear_no_shows(mentee=mentee, by=admin, note="Was in hospital; documented.")

    assert book_seat(occurrence=_next_session(), mentee=mentee).status == Booking.Status.BOOKED
    assert (clearance.no_shows_cleared, clearance.cleared_by, clearance.note) == (1, admin, "Was in hospital; documented.")


def test_no_shows_after_a_clearance_count_again():
    set_rules(no_show_limit=1)
    mentee = MenteeFactory()
    missed(mentee, days_ago=5)
    clear_no_shows(mentee=mentee, by=ProgramAdminFactory(), note="First time.", now=timezone.now() - _dt.timedelta(days=4))
    missed(mentee, days_ago=2)

    with pytest.raises(NoShowLimitReached):
        book_seat(occurrence=_next_session(), mentee=mentee)


def test_a_clearance_needs_a_note_and_a_program_admin():
    mentee = MenteeFactory()
    missed(mentee)

    with pytest.raises(Exception, match="Write a note"):
        clear_no_shows(mentee=mentee, by=ProgramAdminFactory(), note="   ")
    with pytest.raises(Exception, match="Only program admins"):
        clear_no_shows(mentee=mentee, by=MenteeFactory(), note="ok")

    assert not NoShowClearance.objects.exists()


def test_recording_the_no_show_one_short_of_the_limit_emails_a_warning_once():
    set_rules(no_show_limit=3)
    mentee = MenteeFactory()
    missed(mentee, days_ago=6)
    occurrence = _next_session()
    book_seat(occurrence=occurrence, mentee=mentee)
    occurrence.starts_at, occurrence.ends_at = timezone.now() - _dt.timedelta(hours=3), timezone.now() - _dt.timedelta(hours=2)
    occurrence.save()

    record_attendance(occurrence=occurrence, by=occurrence.series.mentor, statuses={mentee.pk: "no_show"})
    record_attendance(occurrence=occurrence, by=occurrence.series.mentor, statuses={mentee.pk: "no_show"})

    (warning,) = OutboundEmail.objects.filter(recipient=mentee, kind="no_show_warning")
    assert "One more missed session" in warning.subject
    assert "The program's limit is 3 a term" in warning.body_text.replace("\n", " ")


def test_no_warning_is_sent_below_n_minus_one():
    set_rules(no_show_limit=4)
    mentee = MenteeFactory()
    occurrence = _next_session()
    book_seat(occurrence=occurrence, mentee=mentee)
    occurrence.starts_at, occurrence.ends_at = timezone.now() - _dt.timedelta(hours=3), timezone.now() - _dt.timedelta(hours=2)
    occurrence.save()

    record_attendance(occurrence=occurrence, by=occurrence.series.mentor, statuses={mentee.pk: "no_show"})

    assert not OutboundEmail.objects.filter(kind="no_show_warning").exists()


def test_a_counted_late_cancellation_one_short_of_the_limit_warns_too():
    set_rules(no_show_limit=2, late_cancellation_counts_as_no_show=True)
    mentee = MenteeFactory()
    occurrence = _next_session()
    occurrence.starts_at = timezone.now() + _dt.timedelta(minutes=50)
    occurrence.ends_at = occurrence.starts_at + _dt.timedelta(minutes=90)
    occurrence.save()
    booking = book_seat(occurrence=occurrence, mentee=mentee)

    cancel_booking(booking=booking, by=mentee)

    assert OutboundEmail.objects.filter(recipient=mentee, kind="no_show_warning").count() == 1


# ---------------------------------------------------------------------------
# The weekly cap
# ---------------------------------------------------------------------------
def _week_sessions(count: int):
    """`count` non-overlapping sessions on one day next week (a Tuesday)."""
    today = timezone.localdate()
    tuesday = today + _dt.timedelta(days=7 - today.weekday() + 1)
    return [
        published_series(first_date=tuesday, last_date=tuesday, start_time=_dt.time(8 + 2 * i, 0), title=f"Review {i}")
        .occurrences.get()
        for i in range(count)
    ]


def test_the_weekly_cap_allows_exactly_the_cap_and_refuses_one_more_saying_when():
    set_rules(weekly_booking_cap=2)
    mentee = MenteeFactory()
    first, second, third = _week_sessions(3)
    book_seat(occurrence=first, mentee=mentee)
    book_seat(occurrence=second, mentee=mentee)

    with pytest.raises(WeeklyCapReached) as refused:
        book_seat(occurrence=third, mentee=mentee)

    monday = timezone.localtime(third.starts_at).date() - _dt.timedelta(days=1)
    next_monday = monday + _dt.timedelta(days=7)
    assert str(refused.value) == (
        f"You already have 2 sessions booked in the week of Monday {monday:%-d %B} (the program allows 2 a week, "
        f"so everyone gets a seat). You can book sessions from the week starting Monday {next_monday:%-d %B %Y}, "
        "or cancel one of that week's sessions first."
    )


def test_a_cancelled_booking_frees_a_place_under_the_weekly_cap():
    set_rules(weekly_booking_cap=1)
    mentee = MenteeFactory()
    first, second = _week_sessions(2)
    cancel_booking(booking=book_seat(occurrence=first, mentee=mentee), by=mentee)

    assert book_seat(occurrence=second, mentee=mentee).status == Booking.Status.BOOKED


def test_a_series_booking_skips_the_weeks_over_the_cap_with_the_reason():
    set_rules(weekly_booking_cap=1)
    mentee = MenteeFactory()
    series = published_series()
    first = series.occurrences.order_by("starts_at").first()
    other = published_series(
        first_date=timezone.localtime(first.starts_at).date(),
        last_date=timezone.localtime(first.starts_at).date(),
        start_time=_dt.time(8, 0),
        title="Morning review",
    ).occurrences.get()
    book_seat(occurrence=other, mentee=mentee)

    result = book_series(series=series, mentee=mentee)

    assert len(result.booked) == series.occurrences.count() - 1
    ((skipped, why),) = result.skipped
    assert skipped == first
    assert "You can book sessions from the week starting Monday" in why
