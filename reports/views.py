"""The impact report, its CSV downloads, and the exam results import. Program admins only."""

from collections.abc import Callable

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from accounts.permissions import AuthenticatedRequest, permission_required
from audit.http import education_record_page
from audit.services import record_access
from core.errors import ApplicationError
from core.views import render_form_page, show_refusal
from reports import charts
from reports.forms import ExamUploadForm, OutreachForm, ReportFilterForm
from reports.models import ExamImport
from reports.periods import current_term, parse_term, program_zone
from reports.selectors import ReportFilters, exam_sections, outreach
from reports.selectors.impact_words import parse_bands
from reports.services import check_exam_file, confirm_exam_import, invite_struggling_students, upload_exam_file
from reports.tables import TABLES, Table, report_tables


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


def _points(
    table: Table, label_column: str, value_column: str, label: Callable[[str], str] = str
) -> list[tuple[str, float | None]]:
    labels, values = table.column(label_column), table.column(value_column)
    return [(label(name), value if value != "" else None) for name, value in zip(labels, values, strict=True)]


def _week_label(iso: str) -> str:
    year, month, day = iso.split("-")
    return f"{int(day)}/{int(month)}"


def _charts(tables: dict[str, Table]) -> dict[str, list[charts.Chart]]:
    trends, waitlists, fill, exams = tables["trends"], tables["waitlist-subjects"], tables["fill-rate"], tables["exams"]
    exam_points = [
        (f"{exam} · {group}", mean)
        for exam, group, mean in zip(
            exams.column("Exam"), exams.column("Sessions attended before"), exams.column("Mean score"), strict=True
        )
        if mean != ""
    ]
    return {
        "trends": [
            charts.column_chart("chart-held", "Sessions held per week", _points(trends, "Week starting", "Sessions held", _week_label), table_key="trends"),
            charts.column_chart("chart-attended", "Mentees attending per week", _points(trends, "Week starting", "Attended (with walk-ins)", _week_label), table_key="trends"),
            charts.column_chart(
                "chart-rate", "Attendance rate per week", _points(trends, "Week starting", "Attendance rate (%)", _week_label), table_key="trends", unit="%"
            ),
        ],
        "waitlist-subjects": [
            charts.bar_chart("chart-unmet", "Unmet waitlist demand by subject", _points(waitlists, "Subject", "Unmet"), table_key="waitlist-subjects")
        ],
        "fill-rate": [
            charts.bar_chart("chart-fill", "Fill rate by subject", _points(fill, "Subject", "Fill rate (%)"), table_key="fill-rate", unit="%")
        ],
        "exams": [charts.bar_chart("chart-exams", "Mean exam score by sessions attended", exam_points, table_key="exams")],
    }  # fmt: skip


@education_record_page
@permission_required("program.administer")
def report(request: AuthenticatedRequest) -> HttpResponse:
    form = ReportFilterForm.from_query(request.GET)
    filters = _filters(form)
    tables, computed_at = report_tables(filters)
    chosen = form.cleaned_data.get("bands") if form.is_valid() else ""
    bands = parse_bands(chosen or settings.REPORT_ATTENDANCE_BANDS)
    return render(
        request,
        "reports/report.html",
        {
            "form": form,
            "filters": filters,
            # Template variables cannot hold a dash: "fill-rate" is reachable as t.fill_rate.
            "t": {key.replace("-", "_"): table for key, table in tables.items()},
            "c": {key.replace("-", "_"): chart_list for key, chart_list in _charts(tables).items()},
            "term": current_term(),
            "previous_term": parse_term("previous"),
            "query": request.GET.urlencode(),
            "min_group": settings.REPORT_MIN_GROUP_SIZE,
            "computed_at": computed_at,
            "cache_minutes": settings.REPORT_CACHE_SECONDS // 60,
            "exam_sections": exam_sections(filters, bands),
            "attendance_bands": bands,
        },
    )


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
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            created, _ = upload_exam_file(
                uploaded_by=request.user, filename=upload.name, raw=upload.read(), exam=form.cleaned_data["exam"]
            )
        except ApplicationError as error:
            form.add_error("file", str(error))
        else:
            return redirect("reports:exam_import_preview", pk=created.pk)
    recent = ExamImport.objects.select_related("uploaded_by").filter(status=ExamImport.Status.IMPORTED)[:10]
    return render(request, "reports/exam_import.html", {"form": form, "recent": recent})


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
            error = str(problem)
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
