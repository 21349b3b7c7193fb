"""The browse cards are rendered once per distinct content (sessions.cards): whatever changes on a
card shows at once, each page gets its own CSRF token, and a card reads as the partial does."""

import re

import pytest
from django.template.loader import render_to_string
from django.test import Client, RequestFactory

from accounts.models import User
from sessions import selectors
from sessions.cards import CARD_TEMPLATE, browse_cards
from sessions.models import Booking, ReviewSeries
from sessions.services import book_seat, join_waitlist
from tests.factories import MenteeFactory, MentorFactory, published_series

pytestmark = pytest.mark.django_db


def _card(client, occurrence):
    """The card of `occurrence` on the browse page, as the viewer signed in to `client` sees it."""
    page = client.get("/sessions/").content.decode()
    start = page.index(f'id="occ-{occurrence.pk}"')
    end = page.find('<div class="col-12', start)
    return page[start : end if end != -1 else len(page)]


def test_a_seat_booked_by_someone_else_shows_on_the_card_at_once(client):
    occurrence = published_series(seats=5).occurrences.first()
    client.force_login(MenteeFactory())
    assert "5 of 5 seats left" in _card(client, occurrence)

    book_seat(occurrence=occurrence, mentee=MenteeFactory())

    assert "4 of 5 seats left" in _card(client, occurrence)


def test_the_viewers_own_booking_and_waitlist_place_show_on_the_card_at_once(client):
    occurrence = published_series(seats=1).occurrences.first()
    mentee, other = MenteeFactory(), MenteeFactory()
    client.force_login(mentee)
    assert "Book a seat" in _card(client, occurrence)

    book_seat(occurrence=occurrence, mentee=mentee)
    assert "You are booked" in _card(client, occurrence)

    client.force_login(other)
    assert "Join the waitlist" in _card(client, occurrence)
    join_waitlist(occurrence=occurrence, mentee=other)
    assert "On the waitlist" in _card(client, occurrence)


def test_a_renamed_series_and_a_renamed_mentor_show_on_the_card_at_once(client):
    series = published_series(title="Renal physiology")
    occurrence = series.occurrences.first()
    client.force_login(MenteeFactory())
    assert "Renal physiology" in _card(client, occurrence)

    ReviewSeries.objects.filter(pk=series.pk).update(title="Renal and acid-base")
    User.objects.filter(pk=series.mentor_id).update(first_name="Grace", last_name="Hopper")

    card = _card(client, occurrence)
    assert "Renal and acid-base" in card and "Grace Hopper" in card


def test_each_viewer_sees_the_card_times_in_their_own_zone(client):
    occurrence = published_series().occurrences.first()
    client.force_login(MenteeFactory(time_zone="America/Chicago"))
    assert "(CST)" in _card(client, occurrence) or "(CDT)" in _card(client, occurrence)

    client.force_login(MenteeFactory(time_zone="Europe/London"))

    card = _card(client, occurrence)
    assert "(GMT)" in card or "(BST)" in card


def test_the_book_form_on_a_card_carries_this_pages_csrf_token_and_books_the_seat():
    occurrence = published_series().occurrences.first()
    mentee = MenteeFactory()
    client = Client(enforce_csrf_checks=True)
    client.force_login(mentee)
    client.get("/sessions/")  # another page first: its card is the one kept

    page = client.get("/sessions/?page=1").content.decode()
    token = re.search(
        rf'action="/sessions/o/{occurrence.pk}/book/".*?name="csrfmiddlewaretoken" value="([^"]+)"', page, re.S
    ).group(1)
    next_path = re.search(
        rf'action="/sessions/o/{occurrence.pk}/book/".*?name="next" value="([^"]+)"', page, re.S
    ).group(1)
    response = client.post(f"/sessions/o/{occurrence.pk}/book/", {"csrfmiddlewaretoken": token, "next": next_path})

    assert response.status_code == 302 and response["Location"] == "/sessions/?page=1"
    assert Booking.objects.booked().filter(occurrence=occurrence, mentee=mentee).exists()


@pytest.mark.parametrize("state", ["seats left", "full", "booked", "waiting", "cannot book"])
def test_a_kept_card_reads_exactly_as_the_partial_rendered_for_the_request(state):
    occurrence = published_series(seats=1, title="Cardiology <review>").occurrences.first()
    viewer = MenteeFactory()
    if state in {"full", "waiting"}:
        book_seat(occurrence=occurrence, mentee=MenteeFactory())
    if state == "booked":
        book_seat(occurrence=occurrence, mentee=viewer)
    if state == "waiting":
        join_waitlist(occurrence=occurrence, mentee=viewer)
    request = RequestFactory().get("/sessions/?subject=&mentor=")
    request.user = viewer
    shown = selectors.count_seats(list(selectors.browse_occurrences().filter(pk=occurrence.pk)), viewer=viewer)
    direct = selectors.upcoming_occurrences(viewer=viewer).get(pk=occurrence.pk)
    can_book = state != "cannot book"

    kept = browse_cards(request, shown, can_book=can_book)[0]
    kept_again = browse_cards(request, shown, can_book=can_book)[0]
    partial = render_to_string(CARD_TEMPLATE, {"occ": direct, "can_book": can_book}, request)

    def tokenless(html: str) -> str:
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)

    assert tokenless(kept) == tokenless(kept_again) == tokenless(partial)


def test_the_mentor_filter_keeps_the_chosen_mentor_selected(client):
    mentor = MentorFactory(first_name="Ada", last_name="Lovelace")
    published_series(mentor=mentor)
    client.force_login(MenteeFactory())

    page = client.get(f"/sessions/?mentor={mentor.pk}").content.decode()

    assert f'<option value="{mentor.pk}" selected>Ada Lovelace</option>' in page
    assert '<option value="">Any mentor</option>' in page


def test_a_title_that_looks_like_a_slot_is_printed_as_written_not_filled_with_the_token(client):
    from sessions import cards

    series = published_series(title="Renal review csrfslot7f3a9c nextslot7f3a9c")
    mentee = MenteeFactory()
    client.force_login(mentee)

    page = client.get("/sessions/").content.decode()

    assert series.title in page  # printed as written: no slot in it was filled with the token
    assert cards._CSRF_SLOT not in page and cards._NEXT_SLOT not in page
