"""Browsing and booking (mentees): the browse page and its cards, seats, standing bookings, the
waitlist, My sessions."""

from datetime import datetime
from typing import Protocol

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from accounts.models import User
from accounts.permissions import AuthenticatedRequest, can, get_object_for, require
from audit.http import education_record_page
from core.errors import ApplicationError
from core.page_cache import CSRF_SLOT, kept_content
from core.views import run_service, safe_next_url
from sessions import selectors, services
from sessions.cards import browse_cards
from sessions.forms import (
    BrowseForm,
)
from sessions.models import Booking, Occurrence, ReviewSeries, WaitlistEntry
from sessions.views.common import _back, _feed_context, _occurrence, _window_number

BROWSE_PAGE_SIZE = 30


class MenteeAction(Protocol):
    """A service a mentee runs on one occurrence from its card (book_seat, join_waitlist)."""

    def __call__(self, *, occurrence: Occurrence, mentee: User) -> object: ...

@login_required
@require_GET
def browse(request: AuthenticatedRequest) -> HttpResponse:
    def build() -> tuple[dict[str, object], datetime | None]:
        form = BrowseForm(request.GET or None)
        filters = form.cleaned_data if form.is_valid() else {}
        occurrences = selectors.browse_occurrences(
            subject=filters.get("subject"),
            mentor=filters.get("mentor"),
            weekday=filters.get("weekday"),
            time_of_day=filters.get("time_of_day") or None,
            with_seats=bool(filters.get("with_seats")),
        )
        page = Paginator(occurrences, BROWSE_PAGE_SIZE).get_page(request.GET.get("page"))
        shown = selectors.count_seats(list(page.object_list), viewer=request.user)
        cards = browse_cards(request, shown, can_book=can(request.user, "sessions.book"), csrf_token=CSRF_SLOT)
        # The list is upcoming sessions, soonest first: it changes when the first one starts. A later
        # page also changes then (its sessions move up a page), so only the first is kept.
        valid_until = shown[0].starts_at if shown and page.number == 1 else (timezone.now() if shown else None)
        return {"form": form, "page": page, "cards": cards}, valid_until

    content = kept_content(request, "browse", "sessions/_browse_content.html", build)
    return render(request, "sessions/browse.html", {"content": content})


def _card_response(request: AuthenticatedRequest, occurrence: Occurrence, error: str = "", notice: str = "") -> HttpResponse:
    """The browse card of one occurrence, for htmx swaps after booking or joining the waitlist."""
    card = selectors.browse_card(occurrence, viewer=request.user)
    if card is None:
        card = get_object_or_404(selectors.occurrences_for_page(), pk=occurrence.pk)
    return render(
        request,
        "sessions/_occurrence_card.html",
        {"occ": card, "error": error, "notice": notice, "can_book": True},
    )


def _card_action(request: AuthenticatedRequest, pk: int, service: "MenteeAction", notice: str) -> HttpResponse:
    """Run a mentee's action on one occurrence; answer with the refreshed card (htmx) or a redirect."""
    require(request.user, "sessions.book")
    occurrence = _occurrence(pk)
    error = ""
    try:
        service(occurrence=occurrence, mentee=request.user)
    except ApplicationError as problem:
        error, notice = problem.message, ""
    if request.htmx:
        return _card_response(request, occurrence, error=error, notice=notice)
    messages.error(request, error) if error else messages.success(request, notice)
    return _back(request, reverse("sessions:occurrence", args=[pk]))


@login_required
@require_POST
def book(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _card_action(request, pk, services.book_seat, "Booked. A confirmation is on its way to your inbox.")


@login_required
@require_POST
def book_series(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    require(request.user, "sessions.book")
    series = get_object_or_404(ReviewSeries, pk=pk)

    def booked(result: services.SeriesBookingResult) -> str:
        parts = [f"Booked {len(result.booked)} sessions of {series.title}."]
        if result.waitlisted:
            parts.append(f"On the waitlist for {len(result.waitlisted)} full ones.")
        if result.skipped:
            parts.append(f"{len(result.skipped)} skipped (see the email).")
        return " ".join(parts)

    run_service(request, lambda: services.book_series(series=series, mentee=request.user), booked)
    return _back(request, reverse("sessions:mine"))


@login_required
@require_GET
def confirm_cancel_booking(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The confirm step before cancel_booking (a page, so it works without JS): says whether it is late."""
    booking = get_object_for(
        request.user, "sessions.manage_booking", Booking.objects.select_related("occurrence__series"), pk=pk
    )
    occurrence, now = booking.occurrence, timezone.now()
    return render(request, "sessions/booking_cancel.html", {
        "booking": booking, "occ": occurrence, "now": now,
        "late": now >= occurrence.late_cancel_from, "cutoff_hours": settings.BOOKING_CANCEL_CUTOFF_HOURS,
        "next": safe_next_url(request, reverse("sessions:mine")),
    })


@login_required
@require_POST
def cancel_booking(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    booking = get_object_for(request.user, "sessions.manage_booking", Booking.objects.select_related("occurrence"), pk=pk)
    run_service(
        request,
        lambda: services.cancel_booking(booking=booking, by=request.user),
        lambda cancelled: "Your seat is cancelled."
        + (" It was within the cutoff, so it counts as a late cancellation." if cancelled.late_cancel else ""),
    )
    return _back(request, reverse("sessions:mine"))


@login_required
@require_POST
def end_standing_booking(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    from sessions.models import StandingBooking

    standing = get_object_or_404(StandingBooking, pk=pk, active=True)
    require(request.user, "sessions.manage_booking", standing)
    run_service(
        request,
        lambda: services.end_standing_booking(standing=standing, by=request.user),
        lambda cancelled: f"You no longer book every week; {len(cancelled)} seats were released.",
    )
    return _back(request, reverse("sessions:mine"))


@login_required
@require_POST
def join_waitlist(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _card_action(request, pk, services.join_waitlist, "You are on the waitlist; we email you if a seat frees up.")


@login_required
@require_POST
def leave_waitlist(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    entry = get_object_for(request.user, "sessions.manage_booking", WaitlistEntry, pk=pk)
    run_service(request, lambda: services.leave_waitlist(entry=entry, by=request.user), "You left the waitlist.")
    return _back(request, reverse("sessions:mine"))


@education_record_page
@login_required
def my_sessions(request: AuthenticatedRequest) -> HttpResponse:
    def build() -> tuple[dict[str, object], datetime | None]:
        now = timezone.now()
        data = selectors.mentee_sessions(
            mentee=request.user,
            now=now,
            upcoming_window=_window_number(request, "upcoming"),
            waiting_window=_window_number(request, "waiting"),
            past_window=_window_number(request, "past"),
        )
        standing = list(request.user.standing_bookings.filter(active=True).select_related("series"))
        context = {"data": data, "standing": standing, **_feed_context(request)}
        return context, selectors.mentee_sessions_changes_at(request.user, now=now)

    content = kept_content(request, "my-sessions", "sessions/_my_sessions_content.html", build)
    return render(request, "sessions/my_sessions.html", {"content": content})
