"""Checking in with the mentor's code: the window's edges, wrong and expired codes, walk-ins."""

from datetime import timedelta

import pytest
import time_machine
from django.test import override_settings

from checkin import codes
from checkin.errors import AlreadyCheckedIn, CodeExpired, NoSeatForWalkIn, OutsideWindow, WrongCode
from checkin.models import CheckIn
from checkin.services import check_in, check_in_by_code
from feedback.models import ConfidenceBefore
from sessions.errors import NotEligibleToBook
from sessions.services import book_seat
from tests.factories import MenteeFactory, published_series

pytestmark = pytest.mark.django_db


@pytest.fixture
def session():
    occurrence = published_series(seats=2).occurrences.first()
    mentee = MenteeFactory()
    book_seat(occurrence=occurrence, mentee=mentee)
    return occurrence, mentee


def _code(occurrence, at):
    return codes.current_code(occurrence.pk, at)


def _check_in_at(session, at, *, refusal: str | None) -> None:
    """The booked mentee checks in at `at` with the code then on the screen; with `refusal`, the
    attempt must be refused as outside the window with that message."""
    occurrence, mentee = session
    with time_machine.travel(at, tick=False):
        if refusal is None:
            check_in(occurrence=occurrence, mentee=mentee, code=_code(occurrence, at))
        else:
            with pytest.raises(OutsideWindow, match=refusal):
                check_in(occurrence=occurrence, mentee=mentee, code=_code(occurrence, at))


def test_a_booked_mentee_checks_in_with_the_code_on_the_screen(session):
    occurrence, mentee = session
    at = occurrence.starts_at

    with time_machine.travel(at, tick=False):
        record = check_in(occurrence=occurrence, mentee=mentee, code=_code(occurrence, at))

    assert record.checked_in_at == at and record.walk_in is False


@pytest.mark.parametrize(
    ("offset", "allowed"),
    [(-timedelta(minutes=15), True), (-timedelta(minutes=15, seconds=1), False)],
    ids=["exactly-15-minutes-before", "a-second-earlier"],
)
def test_check_in_opens_15_minutes_before_the_start(session, offset, allowed):
    occurrence, _ = session

    _check_in_at(session, occurrence.starts_at + offset, refusal=None if allowed else "opens at")

    assert CheckIn.objects.exists() is allowed


@pytest.mark.parametrize(("offset", "allowed"), [(timedelta(0), True), (timedelta(seconds=1), False)], ids=["at-the-end", "a-second-after"])
def test_check_in_closes_at_the_end(session, offset, allowed):
    occurrence, _ = session

    _check_in_at(session, occurrence.ends_at + offset, refusal=None if allowed else "check-in is closed")

    assert CheckIn.objects.exists() is allowed


@override_settings(CHECKIN_CODE_SECONDS=300)
def test_the_previous_windows_code_still_works_and_an_older_one_has_expired(session):
    occurrence, mentee = session
    other = MenteeFactory()
    book_seat(occurrence=occurrence, mentee=other)
    at = occurrence.starts_at + timedelta(minutes=20)

    with time_machine.travel(at, tick=False):
        check_in(occurrence=occurrence, mentee=mentee, code=_code(occurrence, at - timedelta(seconds=300)))
        with pytest.raises(CodeExpired, match="expired"):
            check_in(occurrence=occurrence, mentee=other, code=_code(occurrence, at - timedelta(seconds=600)))

    assert list(CheckIn.objects.values_list("mentee", flat=True)) == [mentee.pk]


def test_a_code_of_another_session_open_now_is_named_and_refused(session):
    occurrence, mentee = session
    elsewhere = published_series(title="Histology review").occurrences.first()
    at = occurrence.starts_at

    with time_machine.travel(at, tick=False), pytest.raises(WrongCode, match="another session \\(Histology review\\)"):
        check_in(occurrence=occurrence, mentee=mentee, code=_code(elsewhere, at))

    assert not CheckIn.objects.exists()


@pytest.mark.parametrize("code", ["", "12345", "abc", "1234567"])  # the last: seven digits
def test_a_mistyped_code_is_refused(session, code):
    occurrence, mentee = session

    with time_machine.travel(occurrence.starts_at, tick=False), pytest.raises(WrongCode):
        check_in(occurrence=occurrence, mentee=mentee, code=code)

    assert not CheckIn.objects.exists()


def test_checking_in_twice_says_so_and_changes_nothing(session):
    occurrence, mentee = session
    at = occurrence.starts_at
    with time_machine.travel(at, tick=False):
        check_in(occurrence=occurrence, mentee=mentee, code=_code(occurrence, at))

    with time_machine.travel(at + timedelta(minutes=5), tick=False), pytest.raises(AlreadyCheckedIn):
        check_in(occurrence=occurrence, mentee=mentee, code=_code(occurrence, at + timedelta(minutes=5)))

    assert CheckIn.objects.get().checked_in_at == at


def test_an_eligible_mentee_without_a_booking_checks_in_as_a_walk_in(session):
    occurrence, _ = session
    walk_in = MenteeFactory()

    with time_machine.travel(occurrence.starts_at, tick=False):
        record = check_in(occurrence=occurrence, mentee=walk_in, code=_code(occurrence, occurrence.starts_at))

    assert record.walk_in


def test_before_the_start_a_walk_in_needs_a_seat_no_booking_holds(session):
    occurrence, _ = session
    book_seat(occurrence=occurrence, mentee=MenteeFactory())  # both seats booked
    at = occurrence.starts_at - timedelta(minutes=5)

    with time_machine.travel(at, tick=False), pytest.raises(NoSeatForWalkIn, match="Every seat is taken"):
        check_in(occurrence=occurrence, mentee=MenteeFactory(), code=_code(occurrence, at))

    assert not CheckIn.objects.exists()


def test_once_started_the_seats_of_booked_mentees_who_did_not_come_go_to_walk_ins(session):
    occurrence, _ = session
    book_seat(occurrence=occurrence, mentee=MenteeFactory())  # both seats booked, nobody checked in
    at = occurrence.starts_at + timedelta(minutes=1)

    with time_machine.travel(at, tick=False):
        record = check_in(occurrence=occurrence, mentee=MenteeFactory(), code=_code(occurrence, at))

    assert record.walk_in


def test_a_mentee_the_series_is_not_open_to_cannot_walk_in():
    occurrence = published_series(allowed_class_years=[1]).occurrences.first()
    senior = MenteeFactory(graduation_year=MenteeFactory.build().graduation_year - 1)  # one class year up

    with time_machine.travel(occurrence.starts_at, tick=False), pytest.raises(NotEligibleToBook, match="open to MS1"):
        check_in(occurrence=occurrence, mentee=senior, code=_code(occurrence, occurrence.starts_at))

    assert not CheckIn.objects.exists()


def test_confidence_given_at_check_in_is_kept_when_none_was_given_when_booking(session):
    occurrence, mentee = session

    with time_machine.travel(occurrence.starts_at, tick=False):
        check_in(occurrence=occurrence, mentee=mentee, code=_code(occurrence, occurrence.starts_at), confidence=2)

    kept = ConfidenceBefore.objects.get()
    assert (kept.score, kept.source) == (2, "check_in")


def test_typing_the_code_alone_finds_the_session(session):
    occurrence, mentee = session
    at = occurrence.starts_at

    with time_machine.travel(at, tick=False):
        record = check_in_by_code(mentee=mentee, code=_code(occurrence, at))

    assert record.occurrence == occurrence


def test_a_code_no_open_session_has_is_refused(session):
    occurrence, mentee = session
    at = occurrence.starts_at - timedelta(hours=1)  # not open yet

    with time_machine.travel(at, tick=False), pytest.raises(WrongCode, match="No session open"):
        check_in_by_code(mentee=mentee, code=_code(occurrence, at))


def test_a_cancelled_session_refuses_check_in(session):
    occurrence, mentee = session
    occurrence.status, occurrence.cancelled_at = "cancelled", occurrence.starts_at
    occurrence.save()

    with time_machine.travel(occurrence.starts_at, tick=False), pytest.raises(OutsideWindow, match="cancelled"):
        check_in(occurrence=occurrence, mentee=mentee, code=_code(occurrence, occurrence.starts_at))
