"""One occurrence's page and its .ics file, and each person's private calendar feed (no login)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from accounts.models import User
from accounts.permissions import AuthenticatedRequest, can, gate_exempt, get_object_for
from audit.http import education_record_page
from audit.services import record_access
from sessions import selectors, services
from sessions.calendar import feed_calendar, occurrence_calendar
from sessions.models import Occurrence, OutcomeNote, Rating, WaitlistEntry
from sessions.views.common import _back


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


@gate_exempt
@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    user = get_object_or_404(User, calendar_token=token, is_active=True)
    response = HttpResponse(feed_calendar(user=user), content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    return response

@login_required
@require_POST
def reset_calendar_token(request: AuthenticatedRequest) -> HttpResponse:
    services.regenerate_calendar_token(user=request.user)
    messages.success(request, "Your old calendar link no longer works. Subscribe again with the new one.")
    return _back(request, reverse("sessions:mine"))
