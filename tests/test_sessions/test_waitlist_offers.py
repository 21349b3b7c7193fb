"""Fair waitlists: in the program's "offer" mode a freed seat is held for the first in line."""

import datetime as _dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from notifications.models import OutboundEmail
from sessions.errors import OfferNotOpen, SessionFull
from sessions.models import Booking, WaitlistEntry
from sessions.selectors import seats_left
from sessions.services import (
    accept_offer,
    book_seat,
    cancel_booking,
    decline_offer,
    expire_waitlist_offers,
    join_waitlist,
    leave_waitlist,
    offer_deadline,
    promote_waitlist,
)
from sessions.tasks import expire_waitlist_offers as expire_task
from tests.factories import MenteeFactory, published_series
from tests.factories_program import set_rules

pytestmark = pytest.mark.django_db

OFFERED = WaitlistEntry.Status.OFFERED


@pytest.fixture(autouse=True)
def offer_mode():
    return set_rules(waitlist_mode="offer", offer_hold_hours=4)


def _full_with_queue(waiting: int = 2, *, days_ahead: int = 3):
    """A one-seat session days ahead, its holder's booking, and `waiting` mentees in line."""
    first = timezone.localdate() + _dt.timedelta(days=days_ahead)
    occurrence = published_series(seats=1, first_date=first, last_date=first).occurrences.get()
    holder = MenteeFactory()
    booking = book_seat(occurrence=occurrence, mentee=holder)
    queue = [MenteeFactory() for _ in range(waiting)]
    for mentee in queue:
        join_waitlist(occurrence=occurrence, mentee=mentee)
    return occurrence, booking, queue


def _entry(mentee) -> WaitlistEntry:
    return WaitlistEntry.objects.get(mentee=mentee)


def test_a_freed_seat_is_offered_to_the_first_in_line_not_booked():
    occurrence, booking, (first, second) = _full_with_queue()
    now = timezone.now()

    cancel_booking(booking=booking, by=booking.mentee, now=now)

    assert _entry(first).status == OFFERED
    assert _entry(first).offer_expires_at == now + _dt.timedelta(hours=4)
    assert _entry(second).status == WaitlistEntry.Status.WAITING
    assert not Booking.objects.booked().filter(occurrence=occurrence).exists()


def test_the_held_seat_is_not_open_to_anyone_else():
    occurrence, booking, _ = _full_with_queue()
    cancel_booking(booking=booking, by=booking.mentee)

    with pytest.raises(SessionFull):
        book_seat(occurrence=occurrence, mentee=MenteeFactory())
    assert seats_left(occurrence) == 0


def test_the_offer_email_names_the_deadline_with_its_zone_and_links_to_the_offer():
    _, booking, (first, _) = _full_with_queue()

    cancel_booking(booking=booking, by=booking.mentee)

    email = OutboundEmail.objects.get(recipient=first, kind="waitlist_offer")
    deadline = timezone.localtime(_entry(first).offer_expires_at)
    assert f"{deadline:%H:%M} ({deadline.tzname()})" in email.subject
    assert reverse("sessions:offer", args=[_entry(first).pk]) in email.body_text


def test_accepting_the_offer_books_the_seat():
    occurrence, booking, (first, _) = _full_with_queue()
    cancel_booking(booking=booking, by=booking.mentee)

    seat = accept_offer(entry=_entry(first), by=first)

    assert (seat.mentee, seat.source, seat.status) == (first, Booking.Source.WAITLIST, Booking.Status.BOOKED)
    assert _entry(first).status == WaitlistEntry.Status.PROMOTED
    assert OutboundEmail.objects.filter(recipient=first, kind="waitlist_promoted").exists()


def test_declining_passes_the_seat_to_the_next_in_line():
    _, booking, (first, second) = _full_with_queue()
    cancel_booking(booking=booking, by=booking.mentee)

    decline_offer(entry=_entry(first), by=first)

    assert _entry(first).status == WaitlistEntry.Status.DECLINED
    assert _entry(second).status == OFFERED


@pytest.mark.parametrize(("later", "expired", "first_status", "second_status"), [
    (_dt.timedelta(hours=4), 1, WaitlistEntry.Status.EXPIRED, OFFERED),
    (_dt.timedelta(hours=3, minutes=59), 0, OFFERED, WaitlistEntry.Status.WAITING),
], ids=["an expired offer moves to the next in line", "an offer still within its hold is left alone"])  # fmt: skip
def test_an_offer_expires_when_its_hold_ends_and_moves_to_the_next_in_line(later, expired, first_status, second_status):
    _, booking, (first, second) = _full_with_queue()
    now = timezone.now()
    cancel_booking(booking=booking, by=booking.mentee, now=now)

    assert expire_waitlist_offers(now=now + later) == expired
    assert (_entry(first).status, _entry(second).status) == (first_status, second_status)


def test_accepting_after_the_deadline_is_refused_and_the_seat_goes_to_the_next():
    occurrence, booking, (first, second) = _full_with_queue()
    now = timezone.now()
    cancel_booking(booking=booking, by=booking.mentee, now=now)

    with pytest.raises(OfferNotOpen, match="expired"):
        accept_offer(entry=_entry(first), by=first, now=now + _dt.timedelta(hours=5))

    assert not Booking.objects.booked().filter(occurrence=occurrence, mentee=first).exists()
    assert _entry(second).status == OFFERED


def test_an_answered_offer_cannot_be_accepted_again():
    _, booking, (first, _) = _full_with_queue()
    cancel_booking(booking=booking, by=booking.mentee)
    decline_offer(entry=_entry(first), by=first)

    with pytest.raises(OfferNotOpen, match="no longer open"):
        accept_offer(entry=_entry(first), by=first)


def test_someone_else_cannot_answer_the_offer():
    _, booking, (first, second) = _full_with_queue()
    cancel_booking(booking=booking, by=booking.mentee)

    with pytest.raises(Exception, match="someone else"):
        accept_offer(entry=_entry(first), by=second)


def test_the_beat_task_run_twice_expires_each_offer_once():
    occurrence, booking, (first, second, third) = _full_with_queue(waiting=3)
    cancel_booking(booking=booking, by=booking.mentee, now=timezone.now() - _dt.timedelta(hours=5))

    expire_task()
    expire_task()

    statuses = [_entry(m).status for m in (first, second, third)]
    assert statuses == [WaitlistEntry.Status.EXPIRED, OFFERED, WaitlistEntry.Status.WAITING]
    assert OutboundEmail.objects.filter(kind="waitlist_offer").count() == 2


def test_the_hold_is_shortened_to_end_30_minutes_before_the_start(settings):
    occurrence, _, _ = _full_with_queue(waiting=0)
    now = occurrence.starts_at - _dt.timedelta(hours=2)

    assert offer_deadline(occurrence, now, hold_hours=4) == occurrence.starts_at - _dt.timedelta(minutes=30)


def test_a_seat_freed_in_the_last_45_minutes_is_held_15_minutes_but_never_past_the_start():
    occurrence, _, _ = _full_with_queue(waiting=0)

    forty = occurrence.starts_at - _dt.timedelta(minutes=40)
    ten = occurrence.starts_at - _dt.timedelta(minutes=10)

    assert offer_deadline(occurrence, forty, hold_hours=4) == forty + _dt.timedelta(minutes=15)
    assert offer_deadline(occurrence, ten, hold_hours=4) == occurrence.starts_at


def test_a_waiting_mentee_who_leaves_is_not_offered_the_seat():
    _, booking, (first, second) = _full_with_queue()
    leave_waitlist(entry=_entry(first), by=first)

    cancel_booking(booking=booking, by=booking.mentee)

    assert _entry(second).status == OFFERED


def test_auto_book_mode_books_the_first_in_line_as_before():
    set_rules(waitlist_mode="auto_book")
    occurrence, booking, (first, _) = _full_with_queue()

    cancel_booking(booking=booking, by=booking.mentee)

    assert Booking.objects.booked().get(occurrence=occurrence).mentee == first


def test_my_sessions_shows_the_offer_deadline_with_its_zone_and_the_others_position(client):
    _, booking, (first, second) = _full_with_queue()
    cancel_booking(booking=booking, by=booking.mentee)
    deadline = timezone.localtime(_entry(first).offer_expires_at)

    client.force_login(first)
    mine = client.get(reverse("sessions:mine")).content.decode()
    client.force_login(second)
    theirs = client.get(reverse("sessions:mine")).content.decode()

    assert f"a seat is held for you until {deadline:%a %-d %b, %H:%M} ({deadline.tzname()})" in mine
    assert "position 1" in theirs


def test_accepting_through_the_offer_page_books_the_seat(client):
    occurrence, booking, (first, _) = _full_with_queue()
    cancel_booking(booking=booking, by=booking.mentee)
    client.force_login(first)
    page = client.get(reverse("sessions:offer", args=[_entry(first).pk]))

    response = client.post(reverse("sessions:accept_offer", args=[_entry(first).pk]))

    assert "held for you until" in page.content.decode()
    assert response.status_code == 302
    assert Booking.objects.booked().get(occurrence=occurrence).mentee == first


def test_accepting_an_expired_offer_through_the_page_says_so(client):
    _, booking, (first, _) = _full_with_queue()
    cancel_booking(booking=booking, by=booking.mentee, now=timezone.now() - _dt.timedelta(hours=5))
    client.force_login(first)

    response = client.post(reverse("sessions:accept_offer", args=[_entry(first).pk]), follow=True)

    assert "This offer has expired" in response.content.decode()


def test_promoting_again_never_offers_a_held_seat_a_second_time():
    occurrence, booking, (first, second) = _full_with_queue()
    cancel_booking(booking=booking, by=booking.mentee)

    promote_waitlist(occurrence=occurrence)

    assert [_entry(first).status, _entry(second).status] == [OFFERED, WaitlistEntry.Status.WAITING]


def test_joining_the_waitlist_emails_the_position():
    occurrence, _, (first, second) = _full_with_queue()

    email = OutboundEmail.objects.get(recipient=second, kind="waitlist_joined")

    assert email.subject.startswith("You are number 2 on the waitlist: Anatomy review")
    assert "number 2 on its waitlist" in email.body_text.replace("\n", " ")
    assert OutboundEmail.objects.get(recipient=first, kind="waitlist_joined").subject.startswith("You are number 1")


def test_accepting_an_expired_offer_on_the_page_says_why_and_keeps_the_mentee_on_the_offer(client):
    occurrence, booking, (first, second) = _full_with_queue()
    cancel_booking(booking=booking, by=booking.mentee)
    entry = _entry(first)
    client.force_login(first)

    with time_machine.travel(entry.offer_expires_at + _dt.timedelta(minutes=1), tick=False):
        response = client.post(reverse("sessions:accept_offer", args=[entry.pk]), follow=True)

    assert response.redirect_chain[-1][0] == reverse("sessions:offer", args=[entry.pk])
    assert "expired" in response.content.decode()
    assert not Booking.objects.booked().filter(occurrence=occurrence, mentee=first).exists()


def test_declining_on_the_page_passes_the_seat_to_the_next_in_line(client):
    occurrence, booking, (first, second) = _full_with_queue()
    cancel_booking(booking=booking, by=booking.mentee)
    client.force_login(first)

    response = client.post(reverse("sessions:decline_offer", args=[_entry(first).pk]), follow=True)

    assert response.redirect_chain[-1][0] == reverse("sessions:mine")
    assert "goes to the next person" in response.content.decode()
    assert _entry(second).status == OFFERED
