"""The booking flow with the keyboard alone: browse, open a session, book a seat, cancel it."""

import pytest
from playwright.sync_api import expect

from sessions.models import Booking
from tests.factories import MenteeFactory, published_series
from tests.support.browser import sign_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FOCUSED = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  return {
    tag: el.tagName, text: el.innerText.trim(),
    visible: el.matches(':focus-visible') && (style.outlineStyle !== 'none' || style.boxShadow !== 'none'),
  };
}"""


def _tab_to(page, text: str, *, key: str = "Tab", limit: int = 80) -> dict:
    """Press Tab until the focused element's text starts with `text`; every stop must show its focus."""
    for _ in range(limit):
        page.keyboard.press(key)
        focused = page.evaluate(FOCUSED)
        if focused["text"].startswith(text):
            assert focused["visible"], f"focus on {text!r} is not visible"
            return focused
    raise AssertionError(f"{text!r} cannot be reached with {key}")


def test_a_mentee_books_and_cancels_a_seat_with_the_keyboard_only(page, live_server):
    series = published_series(title="Renal review")
    occurrence = series.occurrences.order_by("starts_at").first()
    mentee = MenteeFactory()
    sign_in_as(page, live_server, mentee)
    page.goto("/sessions/")

    # The skip link comes first, then the session is reached and opened with Enter.
    assert _tab_to(page, "Skip to content", limit=1)["tag"] == "A"
    _tab_to(page, "Renal review")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/sessions/o/{occurrence.pk}/")

    _tab_to(page, "Book a seat")
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert").first).to_contain_text("Booked. A confirmation is on its way")
    assert Booking.objects.booked().filter(occurrence=occurrence, mentee=mentee).exists()

    # Going past the link and back with Shift+Tab works too; Enter opens the confirm step, and
    # Space presses its button.
    _tab_to(page, "Cancel my seat")
    page.keyboard.press("Tab")
    _tab_to(page, "Cancel my seat", key="Shift+Tab", limit=5)
    page.keyboard.press("Enter")
    page.wait_for_url("**/cancel/confirm/**")
    _tab_to(page, "Yes, cancel my seat")
    page.keyboard.press("Space")
    expect(page.get_by_role("alert").first).to_contain_text("Your seat is cancelled")
    assert not Booking.objects.booked().filter(occurrence=occurrence, mentee=mentee).exists()
