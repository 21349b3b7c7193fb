"""The browse page's occurrence cards, each rendered once per distinct content and then reused.

Rendering thirty cards through the template on every visit was most of the page's cost, and the
same card looks the same to every mentee in the same state (booked, waiting or neither). A card's
HTML is kept in this process under a key of everything the card shows (`_content`), so a change to
any of it (a seat booked, a title edited, the mentor's name) is a new key and shows at once: there
is nothing to invalidate. The two per-request parts, the CSRF token and the `next` path of the
card's forms, are rendered as slots and filled in for each page.

The card template stays `sessions/_occurrence_card.html`, the one the book and waitlist actions
return on their own: if it shows something new, add it to `_content`.
"""

import secrets
import threading
from collections import OrderedDict
from collections.abc import Hashable, Sequence

from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.template.loader import get_template
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from sessions.models import Occurrence

CARD_TEMPLATE = "sessions/_occurrence_card.html"
# About 2 KB each: a few megabytes per worker at most.
MAX_KEPT_CARDS = 2000
# Where the per-request parts go in a kept card: random per process, so no text a user writes into
# a title, a location or a name can contain them (and have the viewer's CSRF token printed there).
_CSRF_SLOT = f"csrf{secrets.token_hex(16)}"
_NEXT_SLOT = f"next{secrets.token_hex(16)}"

_kept: OrderedDict[Hashable, str] = OrderedDict()
_lock = threading.Lock()


class _SlotRequest:
    """What the card template reads from the request, as a slot to fill per page."""

    @staticmethod
    def get_full_path() -> str:
        return _NEXT_SLOT


def _content(occurrence: Occurrence, can_book: bool) -> Hashable:
    """Everything the card template shows, and the zone and language it shows times in."""
    series = occurrence.series
    return (
        occurrence.pk, series.title, series.subject.name, series.mentor.display_name,
        occurrence.starts_at, occurrence.ends_at, occurrence.location, occurrence.seats,
        occurrence.seats_left, occurrence.waiting_count,  # type: ignore[attr-defined]  # counted by the selector
        getattr(occurrence, "viewer_booked", False), getattr(occurrence, "viewer_waiting", False), can_book,
        timezone.get_current_timezone_name(), translation.get_language(),
    )  # fmt: skip


def _render(occurrence: Occurrence, can_book: bool) -> str:
    context = {"occ": occurrence, "can_book": can_book, "csrf_token": _CSRF_SLOT, "request": _SlotRequest()}
    return str(get_template(CARD_TEMPLATE).render(context))


def browse_cards(
    request: HttpRequest, occurrences: Sequence[Occurrence], *, can_book: bool, csrf_token: str | None = None
) -> list[SafeString]:
    """The cards of `occurrences` (with the counts of selectors.count_seats) for this request, with
    `csrf_token` in their forms (default: the request's own; a page kept for later passes its slot)."""
    token, next_path = csrf_token or get_token(request), str(escape(request.get_full_path()))
    cards = []
    for occurrence in occurrences:
        key = _content(occurrence, can_book)
        with _lock:
            html = _kept.get(key)
            if html is not None:
                _kept.move_to_end(key)
        if html is None:
            html = _render(occurrence, can_book)
            with _lock:
                _kept[key] = html
                if len(_kept) > MAX_KEPT_CARDS:
                    _kept.popitem(last=False)
        cards.append(mark_safe(html.replace(_CSRF_SLOT, token).replace(_NEXT_SLOT, next_path)))  # noqa: S308  # rendered (escaped) by the template; the token and the escaped path are safe  # nosec B308 B703
    return cards
