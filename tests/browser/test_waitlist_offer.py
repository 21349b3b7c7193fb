"""A mentee accepts a seat the waitlist offers them, from My sessions, in a real browser."""

import pytest
from playwright.sync_api import expect

from sessions.models import Booking
from sessions.services import book_seat, cancel_booking, join_waitlist
from tests.factories import MenteeFactory, published_series
from tests.factories_program import set_rules
from tests.support.browser import sign_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_mentee_accepts_the_offered_seat_from_my_sessions(page, live_server):
    set_rules(waitlist_mode="offer")
    occurrence = published_series(title="Renal review", seats=1).occurrences.order_by("starts_at").first()
    holder, mentee = MenteeFactory(), MenteeFactory()
    booking = book_seat(occurrence=occurrence, mentee=holder)
    join_waitlist(occurrence=occurrence, mentee=mentee)
    cancel_booking(booking=booking, by=holder)
    sign_in_as(page, live_server, mentee)

    page.goto("/sessions/mine/")
    expect(page.get_by_text("a seat is held for you until")).to_be_visible()
    page.get_by_role("link", name="Accept or decline the seat in Renal review").click()
    page.get_by_role("button", name="Accept the seat").click()

    expect(page.get_by_role("alert").first).to_contain_text("Booked. A confirmation is on its way")
    assert Booking.objects.booked().get(occurrence=occurrence).mentee == mentee
