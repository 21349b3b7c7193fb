"""Pages of review sessions: parse input, check permission, call one service or selector, render."""

from typing import Protocol
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from accounts.models import User
from accounts.permissions import AuthenticatedRequest, can, gate_exempt, get_object_for, permission_required, require
from audit.http import education_record_page
from audit.services import record_access
from checkin.selectors import check_ins_by_mentee
from core.errors import ApplicationError
from core.views import render_form_page, run_service, safe_next_url, show_refusal
from sessions import selectors, services
from sessions.calendar import feed_calendar, occurrence_calendar
from sessions.cards import browse_cards
from sessions.forms import (
    BrowseForm,
    CancelOccurrenceForm,
    CancelSeriesForm,
    OccurrenceEditForm,
    RatingForm,
    RecordForm,
    SeriesEditForm,
    SeriesForm,
)
from sessions.models import Attendance, Booking, Occurrence, OutcomeNote, Rating, Reminder, ReviewSeries, WaitlistEntry
from sessions.recurrence import local_instant

BROWSE_PAGE_SIZE = 30


class MenteeAction(Protocol):
    """A service a mentee runs on one occurrence from its card (book_seat, join_waitlist)."""

    def __call__(self, *, occurrence: Occurrence, mentee: User) -> object: ...


def _back(request: HttpRequest, default: str) -> HttpResponse:
    return redirect(safe_next_url(request, default))


def _window_number(request: HttpRequest, name: str) -> int:
    """Which window of a list the page shows (?upcoming=2): the first for anything but a number."""
    try:
        return int(request.GET.get(name, "1"))
    except ValueError:
        return 1


def _occurrence(pk: int) -> Occurrence:
    return get_object_or_404(Occurrence.objects.select_related("series", "series__subject", "series__mentor"), pk=pk)


# ---------------------------------------------------------------------------
# Browsing and booking (mentees)
# ---------------------------------------------------------------------------
@login_required
@require_GET
def browse(request: AuthenticatedRequest) -> HttpResponse:
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
    cards = browse_cards(request, shown, can_book=can(request.user, "sessions.book"))
    return render(request, "sessions/browse.html", {"form": form, "page": page, "cards": cards})


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
    data = selectors.mentee_sessions(
        mentee=request.user,
        upcoming_window=_window_number(request, "upcoming"),
        waiting_window=_window_number(request, "waiting"),
        past_window=_window_number(request, "past"),
    )
    standing = list(request.user.standing_bookings.filter(active=True).select_related("series"))
    return render(request, "sessions/my_sessions.html", {"data": data, "standing": standing, **_feed_context(request)})


# ---------------------------------------------------------------------------
# One occurrence
# ---------------------------------------------------------------------------
@education_record_page
@login_required
def occurrence_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    occurrence = get_object_or_404(selectors.occurrences_for_page(), pk=pk)
    user = request.user
    is_mentor = can(user, "sessions.record", occurrence)
    context = {
        "occ": occurrence,
        "series": occurrence.series,
        "is_mentor": is_mentor,
        "video_link": occurrence.video_link_for(user),
        "can_book": can(user, "sessions.book"),
        "my_booking": occurrence.bookings.booked().filter(mentee=user).first(),
        "my_entry": occurrence.waitlist.filter(mentee=user, status__in=WaitlistEntry.OPEN_STATUSES).first(),
        "standing": occurrence.series.standing_bookings.filter(mentee=user, active=True).first(),
        "now": timezone.now(),
    }
    if can(user, "sessions.view_roster", occurrence):
        context["roster"] = selectors.roster(occurrence)
        context["waitlist"] = selectors.waitlist(occurrence)
    note = OutcomeNote.objects.filter(occurrence=occurrence).first()
    if note and can(user, "sessions.read_private_notes", occurrence):
        context["note"] = note
        context["attendance"] = list(occurrence.attendance.select_related("mentee"))
        context["ratings"] = list(occurrence.ratings.select_related("mentee"))
        if occurrence.series.mentor_id != user.pk:
            # Outcome notes and attendance are education records: reads by anyone but their author are logged.
            record_access(actor=user, action="outcome_note.read", obj=note, request=request)
    elif note and note.note_to_attendees and can(user, "sessions.read_shared_note", occurrence):
        context["shared_note"] = note.note_to_attendees
    if user.is_mentee and occurrence.attendance.filter(mentee=user, status="attended").exists():
        context["can_rate"] = not Rating.objects.filter(occurrence=occurrence, mentee=user).exists()
    return render(request, "sessions/occurrence.html", context)


@login_required
@require_GET
def occurrence_ics(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    occurrence = get_object_for(
        request.user, "sessions.download_ics", Occurrence.objects.select_related("series__mentor", "series__subject"), pk=pk
    )
    response = HttpResponse(
        occurrence_calendar(occurrence, viewer=request.user), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="session-{occurrence.pk}.ics"'
    return response


# ---------------------------------------------------------------------------
# Calendar feed: a private URL, no login
# ---------------------------------------------------------------------------
@gate_exempt
@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    user = get_object_or_404(User, calendar_token=token, is_active=True)
    response = HttpResponse(feed_calendar(user=user), content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    return response


def _feed_context(request: AuthenticatedRequest) -> dict[str, str]:
    path = reverse("sessions:feed", args=[request.user.calendar_token])
    url = request.build_absolute_uri(path)
    return {"feed_url": url, "webcal_url": "webcal://" + url.split("://", 1)[1]}


@login_required
@require_POST
def reset_calendar_token(request: AuthenticatedRequest) -> HttpResponse:
    services.regenerate_calendar_token(user=request.user)
    messages.success(request, "Your old calendar link no longer works. Subscribe again with the new one.")
    return _back(request, reverse("sessions:mine"))


# ---------------------------------------------------------------------------
# Publishing and editing (mentors)
# ---------------------------------------------------------------------------
@permission_required("sessions.publish")
def series_new(request: AuthenticatedRequest) -> HttpResponse:
    if request.method == "POST" and "fill_from_term" in request.POST:  # works without JS; the JS presses it
        form = SeriesForm(initial=SeriesForm.initial_filled_from_term(request.POST))
        return render(request, "sessions/series_form.html", {"form": form, "time_zone": settings.TIME_ZONE})
    form = SeriesForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("term", None)  # the term only filled the dates
        try:
            series = services.publish_series(mentor=request.user, **data)
        except ApplicationError as problem:
            show_refusal(form, problem)
        else:
            messages.success(request, f"Published {series.occurrences.count()} sessions of {series.title}.")
            return redirect("sessions:series", pk=series.pk)
    return render_form_page(request, "sessions/series_form.html", {"form": form, "time_zone": settings.TIME_ZONE}, form=form)


@login_required
def series_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    series = get_object_or_404(ReviewSeries.objects.select_related("mentor", "subject"), pk=pk)
    occurrences = list(series.occurrences.with_seats_left().order_by("starts_at"))
    return render(
        request,
        "sessions/series.html",
        {
            "series": series,
            "occurrences": occurrences,
            "is_mentor": can(request.user, "sessions.edit_series", series),
            "can_book": can(request.user, "sessions.book"),
            "standing": series.standing_bookings.filter(mentee=request.user, active=True).first(),
            "now": timezone.now(),
        },
    )


@login_required
def series_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    series = get_object_for(request.user, "sessions.edit_series", ReviewSeries, pk=pk)
    next_occ = series.occurrences.upcoming().first()
    initial = {
        "from_date": next_occ.series_date if next_occ else None,
        **{f: getattr(series, f) for f in ("title", "description", "start_time", "duration_minutes", "seats", "location", "video_link")},
    }
    form = SeriesEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        # Only what the mentor changed: an untouched field must not undo one occurrence's own move or room.
        changes = {k: v for k, v in form.cleaned_data.items() if k == "from_date" or v != initial.get(k)}
        if run_service(
            request,
            lambda: services.edit_series_from(series=series, editor=request.user, **changes),
            lambda changed: f"Updated {len(changed)} sessions.",
            form=form,
        ):
            return redirect("sessions:series", pk=series.pk)
    return render_form_page(request, "sessions/series_edit.html", {"form": form, "series": series}, form=form)


@login_required
def series_cancel(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    series = get_object_for(request.user, "sessions.edit_series", ReviewSeries, pk=pk)
    next_occ = series.occurrences.upcoming().first()
    form = CancelSeriesForm(request.POST or None, initial={"from_date": next_occ.series_date if next_occ else None})
    if request.method == "POST" and form.is_valid() and run_service(
        request,
        lambda: services.cancel_series_from(series=series, by=request.user, **form.cleaned_data),
        lambda cancelled: f"Cancelled {len(cancelled)} sessions; booked mentees are being told.",
        form=form,
    ):
        return redirect("sessions:series", pk=series.pk)
    return render_form_page(request, "sessions/series_cancel.html", {"form": form, "series": series}, form=form)


@login_required
def occurrence_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    occurrence = get_object_for(request.user, "sessions.edit_series", Occurrence.objects.select_related("series"), pk=pk)
    zone = ZoneInfo(occurrence.series.time_zone)
    local = occurrence.starts_at.astimezone(zone)
    form = OccurrenceEditForm(
        request.POST or None,
        initial={
            "date": local.date(),
            "start_time": local.time(),
            "duration_minutes": int(occurrence.duration.total_seconds() // 60),
            "seats": occurrence.seats,
            "location": occurrence.location,
            "video_link": occurrence.video_link,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data

        def edit() -> None:
            starts_at = local_instant(data["date"], data["start_time"], occurrence.series.time_zone)
            services.edit_occurrence(
                occurrence=occurrence,
                editor=request.user,
                starts_at=starts_at,
                duration_minutes=data["duration_minutes"],
                seats=data["seats"],
                location=data["location"],
                video_link=data["video_link"],
            )

        if run_service(request, edit, "Session updated; booked mentees are being told.", form=form):
            return redirect("sessions:occurrence", pk=occurrence.pk)
    return render_form_page(request, "sessions/occurrence_edit.html", {"form": form, "occ": occurrence}, form=form)


@login_required
def occurrence_cancel(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    occurrence = get_object_for(request.user, "sessions.edit_series", Occurrence.objects.select_related("series"), pk=pk)
    form = CancelOccurrenceForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and run_service(
        request,
        lambda: services.cancel_occurrence(occurrence=occurrence, by=request.user, reason=form.cleaned_data["reason"]),
        "Session cancelled; booked mentees are being told.",
        form=form,
    ):
        return redirect("sessions:occurrence", pk=occurrence.pk)
    return render_form_page(request, "sessions/occurrence_cancel.html", {"form": form, "occ": occurrence}, form=form)


@permission_required("sessions.publish")
def my_week(request: AuthenticatedRequest) -> HttpResponse:
    week = selectors.mentor_week(
        mentor=request.user,
        upcoming_window=_window_number(request, "upcoming"),
        awaiting_window=_window_number(request, "notes"),
    )
    return render(request, "sessions/my_week.html", {"week": week, **_feed_context(request)})


# ---------------------------------------------------------------------------
# After the session
# ---------------------------------------------------------------------------
@education_record_page
@login_required
def record(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    occurrence = get_object_for(
        request.user, "sessions.record", Occurrence.objects.select_related("series", "series__subject"), pk=pk
    )
    roster = selectors.roster(occurrence)
    note = OutcomeNote.objects.filter(occurrence=occurrence).first()
    marks = {a.mentee_id: a for a in occurrence.attendance.select_related("mentee")}
    initial = {f"attendance_{b.mentee_id}": marks[b.mentee_id].status for b in roster if b.mentee_id in marks}
    walk_ins = [a.mentee.email for a in marks.values() if a.walk_in]
    # Check-ins pre-fill what the mentor has not recorded yet: booked mentees as attended, walk-ins listed.
    checked_in = check_ins_by_mentee(occurrence)
    booked_ids = {b.mentee_id for b in roster}
    for mentee_id, check_in in checked_in.items():
        if mentee_id in booked_ids and mentee_id not in marks:
            initial[f"attendance_{mentee_id}"] = Attendance.Status.ATTENDED
        elif mentee_id not in booked_ids and mentee_id not in marks:
            walk_ins.append(check_in.mentee.email)
    initial["walk_ins"] = ", ".join(walk_ins)
    if note:
        initial.update(
            topics=note.topics, private_notes=note.private_notes, follow_ups=note.follow_ups,
            note_to_attendees=note.note_to_attendees,
        )
    form = RecordForm(request.POST or None, roster=roster, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        statuses = form.statuses()
        if run_service(
            request,
            lambda: services.record_session(
                occurrence=occurrence,
                by=request.user,
                statuses=statuses,
                walk_ins=data["walk_ins"],
                topics=data["topics"],
                private_notes=data["private_notes"],
                follow_ups=data["follow_ups"],
                note_to_attendees=data["note_to_attendees"],
            ),
            "Attendance and notes saved.",
            form=form,
        ):
            return redirect("sessions:occurrence", pk=occurrence.pk)
    revisions = list(note.revisions.select_related("editor")[:20]) if note else []
    editable_until = services.notes_editable_until(note, occurrence) if note else None
    return render_form_page(
        request,
        "sessions/record.html",
        {
            "form": form, "occ": occurrence, "revisions": revisions, "editable_until": editable_until,
            "now": timezone.now(), "check_ins": list(checked_in.values()),
        },  # fmt: skip
        form=form,
    )


@login_required
def rate(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    occurrence = _occurrence(pk)
    require(request.user, "sessions.book")
    form = RatingForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and run_service(
        request,
        lambda: services.rate_occurrence(occurrence=occurrence, mentee=request.user, **form.cleaned_data),
        "Thank you for rating the session.",
        form=form,
    ):
        return redirect("sessions:mine")
    return render_form_page(request, "sessions/rate.html", {"form": form, "occ": occurrence}, form=form)


# ---------------------------------------------------------------------------
# Program admins: the reminder log
# ---------------------------------------------------------------------------
REMINDERS_PER_PAGE = 50


@permission_required("program.administer")
def reminder_log(request: AuthenticatedRequest) -> HttpResponse:
    """Program admins: every reminder recorded, sent, skipped or failed, newest due first."""
    status = request.GET.get("status", "")
    if status not in Reminder.Status.values:
        status = ""
    page = Paginator(selectors.reminder_log(status=status or None), REMINDERS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    counts = selectors.reminder_status_counts()
    return render(
        request,
        "sessions/reminder_log.html",
        {
            "page": page,
            "status": status,
            "statuses": [(value, label, counts[value]) for value, label in Reminder.Status.choices],
        },
    )
