"""Pages of the session survey: parse input, check permission, call one service or selector, render."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.permissions import AuthenticatedRequest, get_object_for, permission_required, require
from audit.http import education_record_page
from audit.services import record_access
from core.errors import ApplicationError
from core.views import render_form_page, run_service, safe_next_url
from feedback import selectors, services
from feedback.forms import ConfidenceForm, QuestionForm, SurveyForm
from feedback.models import SurveyQuestion
from sessions.models import Occurrence, Rating, ReviewSeries


def _occurrence(pk: int) -> Occurrence:
    return get_object_or_404(Occurrence.objects.select_related("series", "series__subject", "series__mentor"), pk=pk)


# ---------------------------------------------------------------------------
# Mentees
# ---------------------------------------------------------------------------
def _survey_initial(response: Any, rating: Rating | None) -> dict[str, Any]:
    if response is None:
        return {"rating": rating.score} if rating else {}
    initial: dict[str, Any] = {
        "rating": response.rating.score,
        "confidence_after": response.confidence_after,
        "share_comments_with_mentor": response.share_comments_with_mentor,
        "allow_quote": response.allow_quote,
    }
    for answer in response.answers.all():
        value = answer.score if answer.score is not None else answer.yes if answer.yes is not None else answer.text
        initial[f"question_{answer.question_id}"] = ("yes" if value else "no") if isinstance(value, bool) else value
    return initial


@education_record_page
@login_required
def survey(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    require(request.user, "feedback.answer")
    occurrence = _occurrence(pk)
    response = selectors.response_for(occurrence=occurrence, mentee=request.user)
    rating = Rating.objects.filter(occurrence=occurrence, mentee=request.user).first()
    questions = selectors.active_questions()
    form = SurveyForm(request.POST or None, questions=questions, initial=_survey_initial(response, rating))
    closed = ""
    try:
        services.check_survey_open(occurrence=occurrence, mentee=request.user)
    except ApplicationError as problem:
        closed = problem.message
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if run_service(
            request,
            lambda: services.submit_survey(
                occurrence=occurrence,
                mentee=request.user,
                rating=data["rating"],
                confidence_after=data["confidence_after"],
                answers=form.answers(),
                share_comments_with_mentor=data["share_comments_with_mentor"],
                allow_quote=data["allow_quote"],
            ),
            "Thank you: your answers are saved." if response is None else "Your answers are updated.",
            form=form,
        ):
            return redirect("sessions:mine")
    retired = [a for a in response.answers.all() if a.question.is_retired] if response else []
    until = services.survey_editable_until(response, rating, occurrence)
    context = {
        "form": form, "occ": occurrence, "response": response, "closed": closed, "editable_until": until,
        "retired_answers": retired, "has_questions": bool(questions),
    }  # fmt: skip
    return render_form_page(request, "feedback/survey.html", context, form=form)


@login_required
@require_POST
def confidence(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    require(request.user, "feedback.answer")
    occurrence = _occurrence(pk)
    form = ConfidenceForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose how confident you are, from 1 to 5.")
    else:
        run_service(
            request,
            lambda: services.give_confidence_before(
                occurrence=occurrence, mentee=request.user, score=form.cleaned_data["score"]
            ),
            "Thanks; the survey after the session asks again, so you can see what changed.",
        )
    return redirect(safe_next_url(request, reverse("sessions:occurrence", args=[pk])))


# ---------------------------------------------------------------------------
# Mentors and program admins: a series' feedback
# ---------------------------------------------------------------------------
@permission_required("feedback.own_feedback")
def mine(request: AuthenticatedRequest) -> HttpResponse:
    series = selectors.series_with_feedback_for(mentor=request.user)
    return render(request, "feedback/mine.html", {"series_list": series, "min_answers": settings.FEEDBACK_MIN_ANSWERS})


@education_record_page
@login_required
def series_feedback(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    series = get_object_for(
        request.user, "feedback.view_series", ReviewSeries.objects.select_related("subject", "mentor"), pk=pk
    )
    is_admin = request.user.is_program_admin
    summary = selectors.series_feedback(series=series, include_private=is_admin)
    context: dict[str, Any] = {"series": series, "summary": summary, "is_admin": is_admin}
    if is_admin:
        context["responses"] = list(selectors.responses_with_names(series=series))
        # Survey answers are education records: every admin read is logged.
        record_access(actor=request.user, action="survey_answers.read", obj=series, request=request)
    return render(request, "feedback/series.html", context)


# ---------------------------------------------------------------------------
# Program admins: the questions
# ---------------------------------------------------------------------------
@permission_required("feedback.configure")
def questions(request: AuthenticatedRequest) -> HttpResponse:
    form = QuestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if run_service(
            request,
            lambda: services.add_question(**form.cleaned_data),
            lambda question: f"Added “{question.text}”.",
            form=form,
        ):
            return redirect("feedback:questions")
    all_questions = list(SurveyQuestion.objects.order_by("retired_at", "position", "pk"))
    context = {
        "form": form,
        "active": [q for q in all_questions if not q.is_retired],
        "retired": [q for q in all_questions if q.is_retired],
    }
    return render_form_page(request, "feedback/questions.html", context, form=form)


def _question_action(request: AuthenticatedRequest, pk: int) -> SurveyQuestion:
    require(request.user, "feedback.configure")
    return get_object_or_404(SurveyQuestion, pk=pk)


@login_required
@require_POST
def move_question(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    question = _question_action(request, pk)
    run_service(request, lambda: services.move_question(question=question, up=request.POST.get("direction") == "up"))
    return redirect("feedback:questions")


@login_required
@require_POST
def remove_question(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    question = _question_action(request, pk)
    retired = services.remove_question(question=question, now=timezone.now())
    if retired:
        messages.success(
            request,
            f"“{question.text}” has answers, so it is retired: the survey no longer asks it and its answers are kept.",
        )
    else:
        messages.success(request, f"“{question.text}” is deleted (no one had answered it).")
    return redirect("feedback:questions")


@login_required
@require_POST
def restore_question(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    question = _question_action(request, pk)
    services.restore_question(question=question)
    messages.success(request, f"“{question.text}” is asked again, at the end of the survey.")
    return redirect("feedback:questions")
