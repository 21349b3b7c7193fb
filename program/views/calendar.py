"""The academic calendar's pages (program admins): terms, holidays, exams, the iCalendar import,
and the sessions a new holiday falls on."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.db.models import Model
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from accounts.permissions import AuthenticatedRequest, permission_required
from core.errors import ApplicationError
from core.views import render_form_page, run_service, show_refusal, start_upload
from program import selectors, services
from program.forms import CalendarUploadForm, CancelHolidaySessionsForm, ExamForm, HolidayForm, TermForm
from program.models import CalendarImport, Exam, Holiday, Term
from program.services.ical_import import CATEGORY_KINDS, SUMMARY_KEYWORDS


@permission_required("program.administer")
def calendar(request: AuthenticatedRequest) -> HttpResponse:
    context = {
        "terms": Term.objects.all(),
        "holidays": Holiday.objects.all(),
        "exams": Exam.objects.prefetch_related("subjects"),
        "imports": CalendarImport.objects.select_related("uploaded_by")[:5],
    }
    return render(request, "program/calendar.html", context)


def _days_page(
    request: AuthenticatedRequest,
    *,
    form: Any,
    what: str,
    obj: Model | None,
    save: Callable[[dict[str, Any]], Model],
    done: Callable[[Model], HttpResponse] | None = None,
) -> HttpResponse:
    """One add/edit page for a term, holiday or exam: the service saves, a refusal keeps the input."""
    if request.method == "POST" and form.is_valid():
        try:
            saved = save(form.cleaned_data)
        except ApplicationError as problem:
            show_refusal(form, problem)
        else:
            messages.success(request, f"Saved the {what} {saved}.")
            return done(saved) if done else redirect("program:calendar")
    return render_form_page(request, "program/calendar_form.html", {"form": form, "what": what, "obj": obj}, form=form)


def _initial(obj: Model | None, fields: list[str]) -> dict[str, Any]:
    return {f: getattr(obj, f) for f in fields} if obj is not None else {}


@permission_required("program.administer")
@require_http_methods(["GET", "POST"])
def term_form(request: AuthenticatedRequest, pk: int | None = None) -> HttpResponse:
    term = get_object_or_404(Term, pk=pk) if pk else None
    form = TermForm(request.POST or None, initial=_initial(term, ["name", "first_day", "last_day"]))
    return _days_page(request, form=form, what="term", obj=term,
                      save=lambda data: services.save_term(term=term, **data))  # fmt: skip


@permission_required("program.administer")
@require_http_methods(["GET", "POST"])
def holiday_form(request: AuthenticatedRequest, pk: int | None = None) -> HttpResponse:
    holiday = get_object_or_404(Holiday, pk=pk) if pk else None
    form = HolidayForm(request.POST or None, initial=_initial(holiday, ["name", "first_day", "last_day"]))
    # A holiday added or moved may fall on sessions already published: its page lists them.
    return _days_page(request, form=form, what="holiday", obj=holiday,
                      save=lambda data: services.save_holiday(holiday=holiday, **data),
                      done=lambda saved: redirect("program:holiday_sessions", pk=saved.pk))  # fmt: skip


@permission_required("program.administer")
@require_http_methods(["GET", "POST"])
def exam_form(request: AuthenticatedRequest, pk: int | None = None) -> HttpResponse:
    exam = get_object_or_404(Exam, pk=pk) if pk else None
    initial = _initial(exam, ["name", "kind", "scale", "scale_min", "scale_max", "first_day", "last_day"])
    if exam is not None:
        initial["subjects"] = list(exam.subjects.all())
    form = ExamForm(request.POST or None, initial=initial)
    return _days_page(request, form=form, what="exam", obj=exam,
                      save=lambda data: services.save_exam(exam=exam, **data))  # fmt: skip


@permission_required("program.administer")
@require_POST
def delete(request: AuthenticatedRequest, kind: str, pk: int) -> HttpResponse:
    models: dict[str, Any] = {"term": (Term, services.delete_term), "holiday": (Holiday, services.delete_holiday),
                              "exam": (Exam, services.delete_exam)}  # fmt: skip
    if kind not in models:
        return HttpResponse(status=404)
    model, remove = models[kind]
    obj = get_object_or_404(model, pk=pk)
    label = str(obj)
    run_service(request, lambda: remove(**{kind: obj}), f"Deleted the {kind} {label}.")
    return redirect("program:calendar")


@permission_required("program.administer")
@require_http_methods(["GET", "POST"])
def holiday_sessions(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The scheduled sessions on a holiday, with the offer to cancel them (booked mentees are emailed)."""
    holiday = get_object_or_404(Holiday, pk=pk)
    sessions = selectors.sessions_on_holiday(holiday)
    form = CancelHolidaySessionsForm(request.POST or None, sessions=sessions,
                                     initial={"reason": f"{holiday.name}: no sessions on this day."})  # fmt: skip
    if request.method == "POST" and form.is_valid():
        if run_service(
            request,
            lambda: services.cancel_sessions_on_holiday(
                holiday=holiday, by=request.user, reason=form.cleaned_data["reason"],
                occurrence_ids=form.cleaned_data["occurrences"],
            ),  # fmt: skip
            lambda cancelled: f"Cancelled {len(cancelled)} sessions; their booked mentees are being emailed.",
            form=form,
        ):
            return redirect("program:holiday_sessions", pk=holiday.pk)
    context = {"holiday": holiday, "sessions": sessions, "form": form}
    return render_form_page(request, "program/holiday_sessions.html", context, form=form)


def _mapping() -> dict[str, Any]:
    return {"categories": CATEGORY_KINDS, "keywords": SUMMARY_KEYWORDS}


@permission_required("program.administer")
@require_http_methods(["GET", "POST"])
def calendar_import(request: AuthenticatedRequest) -> HttpResponse:
    form = CalendarUploadForm(request.POST or None, request.FILES or None)
    started = start_upload(
        request, form, lambda name, raw: services.upload_calendar(uploaded_by=request.user, filename=name, raw=raw),
        "program:calendar_import_preview",
    )  # fmt: skip
    return started or render_form_page(request, "program/calendar_import.html", {"form": form, **_mapping()}, form=form)


@permission_required("program.administer")
@require_http_methods(["GET", "POST"])
def calendar_import_preview(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    upload = get_object_or_404(CalendarImport.objects.select_related("uploaded_by"), pk=pk)
    refusal = ""
    if request.method == "POST":
        try:
            summary = services.confirm_calendar_import(upload=upload)
        except ApplicationError as problem:
            refusal = problem.message
        else:
            created = sum(v for k, v in summary.items() if k.endswith("_create"))
            updated = sum(v for k, v in summary.items() if k.endswith("_update"))
            messages.success(request, f"Imported the calendar: {created} created, {updated} updated.")
            return redirect("program:calendar")
    plan = None if upload.confirmed_at else services.plan_import(upload.content)
    context = {"upload": upload, "plan": plan, "refusal": refusal, **_mapping()}
    return render(request, "program/calendar_import_preview.html", context, status=400 if refusal else 200)
