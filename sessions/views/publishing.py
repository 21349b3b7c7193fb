"""Publishing and editing (mentors): series, occurrences, their cancellation, My week."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from accounts.permissions import AuthenticatedRequest, can, get_object_for, permission_required
from core.errors import ApplicationError
from core.page_cache import kept_content
from core.views import render_form_page, run_service, show_refusal
from sessions import selectors, services
from sessions.forms import (
    CancelOccurrenceForm,
    CancelSeriesForm,
    OccurrenceEditForm,
    SeriesEditForm,
    SeriesForm,
)
from sessions.models import Occurrence, ReviewSeries
from sessions.recurrence import local_instant
from sessions.views.common import _feed_context, _window_number


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
    def build() -> tuple[dict[str, object], datetime | None]:
        now = timezone.now()
        week = selectors.mentor_week(
            mentor=request.user,
            now=now,
            upcoming_window=_window_number(request, "upcoming"),
            awaiting_window=_window_number(request, "notes"),
        )
        return {"week": week, **_feed_context(request)}, selectors.mentor_week_changes_at(request.user, now=now)

    content = kept_content(request, "my-week", "sessions/_my_week_content.html", build)
    return render(request, "sessions/my_week.html", {"content": content})
