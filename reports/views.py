"""The impact report, its CSV downloads, and the exam results import. Program admins only."""

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from accounts.permissions import AuthenticatedRequest, permission_required
from audit.http import education_record_page
from audit.services import record_access
from core.errors import ApplicationError
from core.views import REFUSED, render_form_page, show_refusal, start_upload
from reports.forms import ExamUploadForm, OutreachForm, ReportFilterForm, ResearchExportForm
from reports.fragments import report_body
from reports.headline import NO_HEADLINE, NO_HEADLINE_WHY, headline_effect_for, headline_tile
from reports.models import ExamImport
from reports.periods import current_term, parse_term, program_zone
from reports.research import research_export as build_research_export
from reports.selectors import ReportFilters, exam_sections, outreach
from reports.selectors.bitmaps import one_read_of_attendance_bitmaps
from reports.selectors.impact import shared_exam_analyses
from reports.selectors.impact_words import parse_bands
from reports.services import check_exam_file, confirm_exam_import, invite_struggling_students, upload_exam_file
from reports.tables import TABLES, cached_report_part, report_tables, summary_of


def _filters(form: ReportFilterForm) -> ReportFilters:
    if form.is_valid():
        data = form.cleaned_data
        return ReportFilters(
            start=data["start"],
            end=data["end"],
            subject_id=data["subject"].pk if data["subject"] else None,
            mentor_id=data["mentor"].pk if data["mentor"] else None,
            class_year=data["class_year"],
        )
    term = current_term()
    return ReportFilters(start=term.start, end=term.end)


@education_record_page
@permission_required("program.administer")
def report(request: AuthenticatedRequest) -> HttpResponse:
    form = ReportFilterForm.from_query(request.GET)
    filters = _filters(form)
    chosen = form.cleaned_data.get("bands") if form.is_valid() else ""
    bands = parse_bands(chosen or settings.REPORT_ATTENDANCE_BANDS)
    # The exam table, the headline's two periods and the exam sections all count sessions attended
    # before exam days: the tally's bitmaps are read once for all of them.
    with one_read_of_attendance_bitmaps():
        tables, computed_at = report_tables(filters)
        summary = summary_of(tables)
        # The exam estimates, cached with the tables (new exam results show at once); the headline
        # and the sections share their analyses of each exam.
        with shared_exam_analyses():
            headline, sections = cached_report_part(
                "estimates", filters,
                lambda: (
                    headline_tile(headline_effect_for(summary.period), headline_effect_for(summary.previous)),
                    exam_sections(filters, bands),
                ),
                variant=",".join(band.label for band in bands),
            )  # fmt: skip
    # Template variables cannot hold a dash: "fill-rate" is reachable as t.fill_rate.
    named = {key.replace("-", "_"): table for key, table in tables.items()}
    context = {
        "filters": filters,
        "t": named,
        "summary": summary,
        "headline": headline,
        "no_headline": NO_HEADLINE,
        "no_headline_why": NO_HEADLINE_WHY.format(minimum=settings.REPORT_MIN_GROUP_SIZE),
        "query": request.GET.urlencode(),
        "min_group": settings.REPORT_MIN_GROUP_SIZE,
        "exam_sections": sections,
        "attendance_bands": bands,
    }
    body = report_body(context, tables=tables, computed_at=computed_at)
    return render(
        request,
        "reports/report.html",
        {
            **context,
            "form": form,
            "body": body,
            "term": current_term(),
            "previous_term": parse_term("previous"),
            "computed_at": computed_at,
            "cache_minutes": settings.REPORT_CACHE_SECONDS // 60,
        },
    )


def _filters_text(form: ReportFilterForm) -> str:
    if not form.is_valid():
        return ""
    data, parts = form.cleaned_data, []
    if data["subject"]:
        parts.append(str(data["subject"]))
    if data["mentor"]:
        parts.append(f"mentor {data['mentor'].get_full_name() or '(deleted account)'}")
    if data["class_year"]:
        parts.append(f"mentees in MS{data['class_year']}")
    return " · ".join(parts)


@education_record_page
@permission_required("program.administer")
def term_summary_pdf(request: AuthenticatedRequest) -> HttpResponse:
    from reports.pdf import summary_document, summary_pdf  # fpdf2 is ~60 MiB: only this view loads it

    form = ReportFilterForm.from_query(request.GET)
    filters = _filters(form)
    tables, computed_at = report_tables(filters)
    document = summary_document(
        program_name=settings.PROGRAM_NAME, tables=tables, computed_at=computed_at,
        minimum_group=settings.REPORT_MIN_GROUP_SIZE, filters_text=_filters_text(form),
    )  # fmt: skip
    response = HttpResponse(summary_pdf(document), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="summary-{filters.start:%Y%m%d}-{filters.end:%Y%m%d}.pdf"'
    return response


@education_record_page
@permission_required("program.administer")
def export_table(request: AuthenticatedRequest, key: str) -> HttpResponse:
    if key not in TABLES:
        raise Http404("No such table")
    filters = _filters(ReportFilterForm.from_query(request.GET))
    table = report_tables(filters)[0][key]
    response = HttpResponse(table.to_csv(), content_type="text/csv; charset=utf-8")
    filename = f"report-{key}-{filters.start:%Y%m%d}-{filters.end:%Y%m%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@education_record_page
@permission_required("program.administer")
@require_http_methods(["GET", "POST"])
def exam_import(request: AuthenticatedRequest) -> HttpResponse:
    form = ExamUploadForm(request.POST or None, request.FILES or None)
    started = start_upload(
        request, form,
        lambda name, raw: upload_exam_file(
            uploaded_by=request.user, filename=name, raw=raw, exam=form.cleaned_data["exam"]
        )[0],
        "reports:exam_import_preview",
    )  # fmt: skip
    if started:
        return started
    recent = ExamImport.objects.select_related("uploaded_by").filter(status=ExamImport.Status.IMPORTED)[:10]
    return render_form_page(request, "reports/exam_import.html", {"form": form, "recent": recent}, form=form)


@education_record_page
@permission_required("program.administer")
@require_http_methods(["GET", "POST"])
def exam_import_preview(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    pending = get_object_or_404(ExamImport.objects.select_related("exam"), pk=pk)
    error = ""
    if request.method == "POST":
        try:
            done = confirm_exam_import(exam_import=pending)
        except ApplicationError as problem:
            error = problem.message
        else:
            return render(request, "reports/exam_import_done.html", {"exam_import": done})
    if pending.status == ExamImport.Status.IMPORTED:
        return render(request, "reports/exam_import_done.html", {"exam_import": pending})
    check = check_exam_file(pending.content, pending.exam)
    if check.rows:  # the preview lists each student's score: an education record read, logged once per view
        record_access(actor=request.user, action="exam_import.read", obj=pending, request=request)
    counts = {change: check.count(change) for change in ("new", "updated", "unchanged")}
    return render(
        request,
        "reports/exam_import_preview.html",
        {"exam_import": pending, "check": check, "error": error, **counts},
        status=REFUSED if error else 200,
    )


@education_record_page
@permission_required("program.administer")
@require_http_methods(["GET", "POST"])
def exam_outreach(request: AuthenticatedRequest) -> HttpResponse:
    form = OutreachForm(request.POST if request.method == "POST" else (request.GET or None))
    context: dict = {"form": form, "exams": outreach.exams_with_results()}
    if not form.is_bound or not form.is_valid():
        return render_form_page(request, "reports/exam_outreach.html", context, form=form)
    exam, subject = form.cleaned_data["exam"], form.cleaned_data["subject"]
    below = form.cleaned_data["below"] if form.cleaned_data["below"] is not None else outreach.default_threshold(exam)
    if request.method == "POST":
        try:
            sent = invite_struggling_students(exam=exam, subject=subject, below=below, invited_by=request.user)
        except ApplicationError as error:
            show_refusal(form, error)
        else:
            context["invited_now"] = len(sent)
    # The list names students with their scores: an education record read, logged on every view.
    record_access(actor=request.user, action="exam_outreach.read", obj=exam, request=request)
    context.update(
        exam=exam, subject=subject, below=below,
        students=outreach.struggling_students(exam=exam, subject=subject, below=below),
        sessions=outreach.upcoming_sessions_in(subject), summary=outreach.outreach_summary(exam),
        zone_name=str(program_zone()),
    )  # fmt: skip
    return render_form_page(request, "reports/exam_outreach.html", context, form=form)


@education_record_page
@permission_required("reports.research_export")
@require_http_methods(["GET", "POST"])
def research_export(request: AuthenticatedRequest) -> HttpResponse:
    """GET: what the export holds and the form; POST: the zip, logged as an education-record read."""
    term = current_term()
    form = ResearchExportForm(request.POST or None, initial={"first_day": term.start, "last_day": term.end})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        export = build_research_export(
            first_day=data["first_day"], last_day=data["last_day"], study=data["study"],
            minimum_group=settings.REPORT_MIN_GROUP_SIZE, now=timezone.now(),
        )  # fmt: skip
        record_access(
            actor=request.user, action="research_export.download", object_type="reports.research_export",
            object_id=f"{data['first_day']:%Y-%m-%d}..{data['last_day']:%Y-%m-%d}", request=request,
        )  # fmt: skip
        response = HttpResponse(export.zip_bytes(), content_type="application/zip")
        name = f"research-export-{data['first_day']:%Y%m%d}-{data['last_day']:%Y%m%d}.zip"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    return render_form_page(
        request, "reports/research_export.html", {"form": form, "min_group": settings.REPORT_MIN_GROUP_SIZE}, form=form
    )
