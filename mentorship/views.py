"""Matching pages: a mentee's "Find a mentor", a mentor's "Mentee requests", admins' matching rounds."""

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRefresh

from accounts.permissions import AuthenticatedRequest, get_object_for, permission_required, require
from core.errors import ApplicationError
from core.page_cache import kept_content, rendered_content
from core.views import render_form_page, run_service, show_refusal
from mentorship import selectors, services
from mentorship.forms import MentorshipRequestForm, ReasonForm, StartRoundForm
from mentorship.models import MatchingRound, Mentorship

# ---------------------------------------------------------------------------
# Mentee
# ---------------------------------------------------------------------------
FIND_CONTENT = "mentorship/_find_mentor_content.html"


def _find_context(request: AuthenticatedRequest) -> dict[str, Any]:
    mentee = request.user
    pairs = list(selectors.mentorships_for_mentee(mentee))
    return {
        "has_subjects": mentee.wanted_subjects.exists(),
        "suggestions": selectors.mentor_cards_for(mentee, open_mentor_ids={m.mentor_id for m in pairs if m.is_open}),
        "pending": [m for m in pairs if m.status == Mentorship.Status.REQUESTED],
        "active": [m for m in pairs if m.status == Mentorship.Status.ACTIVE],
        "past": [m for m in pairs if not m.is_open],
        "end_form": ReasonForm(),
    }


def _find_page(request: AuthenticatedRequest, *, status: int = 200, **extra: Any) -> HttpResponse:
    """Find a mentor; with `extra` (a refused form) rendered for this answer only, else kept
    (core.page_cache): nothing on it changes with time alone."""
    if extra:
        content = rendered_content(request, FIND_CONTENT, {**_find_context(request), **extra})
    else:
        content = kept_content(request, "find-mentor", FIND_CONTENT, lambda: (_find_context(request), None))
    return render(request, "mentorship/find_mentor.html", {"content": content}, status=status)


@permission_required("matching.request")
def find_mentor(request: AuthenticatedRequest) -> HttpResponse:
    return _find_page(request)


@permission_required("matching.request")
def request_mentor(request: AuthenticatedRequest, mentor_id: int) -> HttpResponse:
    # Approved mentors only, so walking the ids names no mentee or admin: everyone else is a 404.
    mentor = get_object_or_404(selectors.approved_mentors().exclude(pk=request.user.pk), pk=mentor_id)
    form = MentorshipRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and run_service(
        request,
        lambda: services.request_mentorship(mentee=request.user, mentor=mentor, message=form.cleaned_data["message"]),
        f"Your request went to {mentor.display_name}. You will get an email with the answer.",
        form=form,
    ):
        return redirect("matching:find")
    return render_form_page(request, "mentorship/request_mentor.html", {"mentor": mentor, "form": form}, form=form)


@login_required
@require_POST
def withdraw(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    mentorship = get_object_for(request.user, "matching.withdraw", Mentorship, pk=pk)
    run_service(request, lambda: services.withdraw_request(mentorship=mentorship, mentee=request.user), "Request withdrawn.")
    return redirect("matching:find")


# ---------------------------------------------------------------------------
# Mentor
# ---------------------------------------------------------------------------
def _requests_page(request: AuthenticatedRequest, *, status: int = 200, **extra: Any) -> HttpResponse:
    mentor = request.user
    pairs = list(selectors.mentorships_for_mentor(mentor))
    active = [m for m in pairs if m.status == Mentorship.Status.ACTIVE]
    pending = [m for m in pairs if m.status == Mentorship.Status.REQUESTED]
    reasons = selectors.reasons_seen_by_mentor(mentor, pending)
    context = {
        "pending": [(m, reasons[m.pk]) for m in pending],
        "active": active,
        "past": [m for m in pairs if not m.is_open],
        "capacity": mentor.mentor_capacity,
        "taken": len(active),
        "reason_form": ReasonForm(),
        "error_pk": None,
        **extra,
    }
    return render(request, "mentorship/mentee_requests.html", context, status=status)


@permission_required("matching.respond")
def mentee_requests(request: AuthenticatedRequest) -> HttpResponse:
    return _requests_page(request)


@login_required
@require_POST
def accept(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    mentorship = get_object_for(request.user, "matching.respond", Mentorship, pk=pk)
    try:
        services.accept_request(mentorship=mentorship, mentor=request.user)
    except ApplicationError as error:
        return _requests_page(request, status=400, error_pk=pk, error=error.message)
    messages.success(request, f"{mentorship.mentee.display_name} is now your mentee.")
    return redirect("matching:requests")


@login_required
@require_POST
def decline(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    mentorship = get_object_for(request.user, "matching.respond", Mentorship, pk=pk)
    form = ReasonForm(request.POST)
    if form.is_valid() and run_service(
        request,
        lambda: services.decline_request(mentorship=mentorship, mentor=request.user, reason=form.cleaned_data["reason"]),
        f"You declined {mentorship.mentee.display_name}'s request.",
        form=form,
    ):
        return redirect("matching:requests")
    return _requests_page(request, status=400, error_pk=pk, error_form=form)


@login_required
@require_POST
def end(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    mentorship = get_object_for(request.user, "matching.end", Mentorship, pk=pk)
    form = ReasonForm(request.POST)
    page = _requests_page if request.user.pk == mentorship.mentor_id else _find_page
    if form.is_valid() and run_service(
        request,
        lambda: services.end_mentorship(mentorship=mentorship, by=request.user, reason=form.cleaned_data["reason"]),
        f"Your mentorship with {mentorship.other_side(request.user).display_name} has ended.",
        form=form,
    ):
        return redirect("matching:requests" if page is _requests_page else "matching:find")
    return page(request, status=400, error_pk=pk, error_form=form)


# ---------------------------------------------------------------------------
# Program admins: matching rounds
# ---------------------------------------------------------------------------
def _round_for(request: AuthenticatedRequest, pk: int) -> MatchingRound:
    require(request.user, "program.administer")
    return get_object_or_404(MatchingRound.objects.select_related("created_by", "subject", "committed_by"), pk=pk)


@permission_required("program.administer")
def rounds(request: AuthenticatedRequest) -> HttpResponse:
    form = StartRoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            matching_round = services.start_round(
                admin=request.user, subject=form.cleaned_data["subject"], class_year=form.cleaned_data["class_year"]
            )
        except ApplicationError as error:
            show_refusal(form, error)
        else:
            return redirect("matching:round", pk=matching_round.pk)
    return render_form_page(request, "mentorship/rounds.html", {"form": form, "rounds": selectors.recent_rounds()}, form=form)


ROUND_CONTENT = "mentorship/_round_detail_content.html"
ROUND_ROWS_PER_PAGE = 100  # of the proposed pairs and of the unmatched mentees, each paged on its own


def _round_context(request: AuthenticatedRequest, matching_round: MatchingRound, **extra: Any) -> dict[str, Any]:
    """The preview's context: the round, and one page of its pairs (?page=) and of its unmatched (?unmatched=)."""
    pairs = Paginator(matching_round.proposed_pairs, ROUND_ROWS_PER_PAGE).get_page(request.GET.get("page"))
    unmatched = Paginator(matching_round.unmatched, ROUND_ROWS_PER_PAGE).get_page(request.GET.get("unmatched"))
    # The page links name the round's path: a refused commit shows this content under the commit's URL.
    round_url = reverse("matching:round", args=[matching_round.pk])
    return {"round": matching_round, "pairs": pairs, "unmatched": unmatched, "round_url": round_url, **extra}


@permission_required("program.administer")
def round_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    # A kept preview exists only for a round that exists: deleting it moves the data version.
    content = kept_content(request, "round", ROUND_CONTENT, lambda: (_round_context(request, _round_for(request, pk)), None))
    return render(request, "mentorship/round_detail.html", {"round_pk": pk, "content": content})


@permission_required("program.administer")
def round_progress(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Polled by htmx while the round computes; reloads the page once it is done."""
    matching_round = _round_for(request, pk)
    if matching_round.status != MatchingRound.Status.COMPUTING and request.htmx:
        return HttpResponseClientRefresh()
    return render(request, "mentorship/_round_progress.html", {"round": matching_round})


@permission_required("program.administer")
@require_POST
def round_pair(request: AuthenticatedRequest, pk: int, mentee_id: int) -> HttpResponse:
    matching_round = _round_for(request, pk)
    if not matching_round.proposes_pair_for(mentee_id):
        raise Http404("That pair is not part of this round.")
    dropped = request.POST.get("dropped") != "0"
    run_service(request, lambda: services.set_pair_dropped(matching_round=matching_round, mentee_id=mentee_id, dropped=dropped))
    # Back to the pages the admin was on (page numbers only: nothing else of the form reaches the URL).
    pages = {key: request.POST.get(key, "") for key in ("page", "unmatched")}
    query = urlencode({key: value for key, value in pages.items() if value.isascii() and value.isdigit() and value != "1"})
    return redirect(reverse("matching:round", args=[pk]) + (f"?{query}" if query else "") + "#pairs")


@permission_required("program.administer")
@require_POST
def commit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    matching_round = _round_for(request, pk)
    try:
        created = services.commit_round(matching_round=matching_round, admin=request.user)
    except ApplicationError as error:
        content = rendered_content(request, ROUND_CONTENT, _round_context(request, matching_round, commit_error=error.message))
        return render(
            request, "mentorship/round_detail.html", {"round_pk": pk, "content": content}, status=400
        )
    if created:
        messages.success(
            request, f"Round committed: {len(created)} pair{'s' if len(created) != 1 else ''} created and both sides emailed."
        )
    else:
        messages.info(request, "This round was already committed; nothing was created twice.")
    return redirect("matching:round", pk=pk)
