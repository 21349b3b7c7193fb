"""The roster import pages (program admins only) and the invitation link of roster-made accounts."""

from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods
from django_htmx.http import HttpResponseClientRefresh

from accounts.class_year import graduation_year_for
from accounts.permissions import AuthenticatedRequest, permission_required, require
from core.views import render_form_page, start_upload
from reports.spreadsheet import csv_text
from roster import services
from roster.forms import RosterConfirmForm, RosterUploadForm
from roster.models import RosterImport

# The sample roster's people, by class year: its graduation years are this academic year's.
SAMPLE_PEOPLE = [
    ("ana.ruiz@example.edu", "Ana", "Ruiz", 1, "mentee", "S100201", "Osler"),
    ("ben.okafor@example.edu", "Ben", "Okafor", 1, "mentee", "S100202", "Osler"),
    ("chloe.nguyen@example.edu", "Chloé", "Nguyen", 2, "mentee", "S100203", "Cushing"),
    ("dev.patel@example.edu", "Dev", "Patel", 3, "mentee;mentor", "S100204", "Halsted"),
    ("emma.schmidt@example.edu", "Emma", "Schmidt", 4, "mentor", "S100205", "Cushing"),
]
PREVIEW_ROWS = 200


def _import_for(request: AuthenticatedRequest, pk: int) -> RosterImport:
    require(request.user, "program.administer")
    return get_object_or_404(RosterImport.objects.select_related("uploaded_by"), pk=pk)


@permission_required("program.administer")
@require_http_methods(["GET", "POST"])
def upload(request: AuthenticatedRequest) -> HttpResponse:
    form = RosterUploadForm(request.POST or None, request.FILES or None)
    started = start_upload(
        request, form,
        lambda name, raw: services.upload_roster(
            uploaded_by=request.user, filename=name, raw=raw, full_roster=form.cleaned_data["full_roster"]
        ),
        "roster:detail",
    )  # fmt: skip
    if started:
        return started
    recent = RosterImport.objects.select_related("uploaded_by").exclude(status=RosterImport.Status.PREVIEW)[:10]
    context = {"form": form, "recent": recent, "send_invitations": settings.ROSTER_SEND_INVITATIONS}
    return render_form_page(request, "roster/upload.html", context, form=form)


@permission_required("program.administer")
def sample(request: AuthenticatedRequest) -> HttpResponse:
    columns = ["email", "given name", "surname", "graduation year", "roles", "student id", "cohort"]
    rows = [(email, given, surname, graduation_year_for(year), roles, sid, cohort)
            for email, given, surname, year, roles, sid, cohort in SAMPLE_PEOPLE]  # fmt: skip
    response = HttpResponse(csv_text(columns, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="sample-roster.csv"'
    return response


@permission_required("program.administer")
@require_http_methods(["GET", "POST"])
def detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The preview of an uploaded roster, its confirmation, then its progress and result."""
    roster_import = _import_for(request, pk)
    form = RosterConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.confirm_roster_import(
                roster_import=roster_import, confirmed_deactivations=form.cleaned_data["deactivate_count"],
                apply_admin_changes=form.cleaned_data["apply_admin_changes"],
            )  # fmt: skip
        except services.RosterImportError as error:
            form.add_error(None, str(error))
        else:
            messages.info(request, "The roster is being imported.")
            return redirect("roster:detail", pk=pk)
    if roster_import.status != RosterImport.Status.PREVIEW:
        return render(request, "roster/detail.html", {"roster_import": roster_import})
    apply_admin = form.is_bound and form.is_valid() and form.cleaned_data["apply_admin_changes"]
    check = services.check_roster(
        roster_import.content, full_roster=roster_import.full_roster, apply_admin_changes=apply_admin
    )
    counts = {change: check.count(change) for change in ("new", "updated", "reactivated", "unchanged")}
    return render(
        request,
        "roster/preview.html",
        {
            "roster_import": roster_import, "check": check, "form": form, "preview_rows": PREVIEW_ROWS,
            "changed_rows": [row for row in check.rows if row.change != "unchanged"][:PREVIEW_ROWS], **counts,
        },  # fmt: skip
        status=400 if form.errors else 200,
    )


@permission_required("program.administer")
def progress(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Polled by htmx while the worker imports; reloads the page once it is done."""
    roster_import = _import_for(request, pk)
    if not roster_import.is_working and request.htmx:
        return HttpResponseClientRefresh()
    return render(request, "roster/_progress.html", {"roster_import": roster_import})


def welcome(request: HttpRequest, token: str) -> HttpResponse:
    """The link in a roster invitation: on to allauth's set-password page with a fresh key."""
    if request.user.is_authenticated:
        messages.info(request, "You are already signed in.")
        return redirect("dashboard")
    entry = services.welcome_entry(token)
    if entry is None:
        return render(request, "roster/welcome_invalid.html", status=410)
    user = entry.user
    kwargs = {"uidb36": user_pk_to_url_str(user), "key": default_token_generator.make_token(user)}
    return redirect(reverse("account_reset_password_from_key", kwargs=kwargs))
