"""Announcements: program admins write to a group, mentors to their own series' booked mentees.

Compose (a draft, refused when nobody would receive it) -> preview with the recipient count -> send once."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from accounts.permissions import AuthenticatedRequest, get_object_for, permission_required
from core.errors import ApplicationError
from core.views import render_form_page, show_refusal
from program import selectors, services
from program.forms import AnnouncementForm
from program.models import Announcement
from sessions.models import ReviewSeries

PREVIEW_NAMES = 50


def _series_choices(request: AuthenticatedRequest) -> QuerySet[ReviewSeries]:
    series = ReviewSeries.objects.filter(status=ReviewSeries.Status.ACTIVE).select_related("mentor")
    if not request.user.is_program_admin:
        series = series.filter(mentor=request.user)
    return series.order_by("title", "pk")


@permission_required("program.administer")
def announcement_list(request: AuthenticatedRequest) -> HttpResponse:
    return render(request, "program/announcements.html", {"announcements": selectors.announcements_for_admins()[:200]})


@permission_required("program.announce")
@require_http_methods(["GET", "POST"])
def announcement_new(request: AuthenticatedRequest) -> HttpResponse:
    admin = request.user.is_program_admin
    choices = _series_choices(request)
    initial = {}
    wanted = request.GET.get("series", "")
    if wanted.isascii() and wanted.isdigit():
        chosen = choices.filter(pk=int(wanted)).first() if len(wanted) <= 18 else None
        if chosen is None:
            raise PermissionDenied
        initial = {"audience": Announcement.Audience.SERIES, "series": chosen}
    form = AnnouncementForm(request.POST or None, initial=initial, series_choices=choices, admin=admin)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            draft = services.save_announcement_draft(
                sender=request.user, form_key=data["form_key"], audience=data["audience"], title=data["title"],
                body=data["body"], essential=data.get("essential", False), class_year=data.get("class_year"),
                subject=data.get("subject"), term=data.get("term"), series=data.get("series"),
            )  # fmt: skip
        except ApplicationError as problem:
            show_refusal(form, problem)
        else:
            return redirect("program:announcement", pk=draft.pk)
    return render_form_page(request, "program/announcement_form.html", {"form": form, "admin": admin}, form=form)


@permission_required("program.announce")
@require_http_methods(["GET", "POST"])
def announcement_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """A draft's preview (who will get it, how many) and its Send button; a sent one with its recipients."""
    announcement = get_object_for(
        request.user, "program.view_announcement",
        Announcement.objects.select_related("sender", "subject", "term", "series"), pk=pk,
    )  # fmt: skip
    refusal = ""
    if request.method == "POST":
        try:
            services.send_announcement(announcement=announcement, by=request.user, now=timezone.now())
        except ApplicationError as problem:
            refusal = problem.message
        else:
            messages.success(request, "The announcement is on its way.")
            return redirect("program:announcement", pk=announcement.pk)
    if announcement.is_sent:
        recipients = list(selectors.announcement_recipients(announcement))
        context = {"announcement": announcement, "recipients": recipients, "count": len(recipients)}
    else:
        people = services.recipients_for(announcement)
        context = {"announcement": announcement, "people": people[:PREVIEW_NAMES], "count": len(people)}
    context["refusal"] = refusal
    return render(request, "program/announcement.html", context, status=400 if refusal else 200)
