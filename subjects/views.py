"""The subject catalogue for program admins: list, add, rename, retire and restore."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts.permissions import AuthenticatedRequest, permission_required
from core.errors import ApplicationError
from subjects import services
from subjects.forms import RenameSubjectForm, SubjectForm
from subjects.models import Subject


def _list_page(
    request: AuthenticatedRequest,
    *,
    form: SubjectForm | None = None,
    rename_form: RenameSubjectForm | None = None,
    rename_pk: int | None = None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "subjects/subject_list.html",
        {
            "subjects": Subject.objects.order_by("-is_active", "category", "name"),
            "form": form or SubjectForm(),
            "rename_form": rename_form,
            "rename_pk": rename_pk,
        },
        status=status,
    )


@permission_required("program.administer")
def subject_list(request: AuthenticatedRequest) -> HttpResponse:
    if request.method != "POST":
        return _list_page(request)
    form = SubjectForm(request.POST)
    if form.is_valid():
        try:
            subject = services.add_subject(name=form.cleaned_data["name"], category=form.cleaned_data["category"])
        except ApplicationError as error:
            form.add_error("name", error.message)
        else:
            messages.success(request, f"Added {subject.name}.")
            return redirect("subjects:list")
    return _list_page(request, form=form, status=400)


@permission_required("program.administer")
@require_POST
def rename(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    subject = get_object_or_404(Subject, pk=pk)
    form = RenameSubjectForm(request.POST)
    if form.is_valid():
        try:
            old = subject.name
            subject = services.rename_subject(subject=subject, name=form.cleaned_data["name"])
        except ApplicationError as error:
            form.add_error("name", error.message)
        else:
            messages.success(request, f"Renamed {old} to {subject.name}.")
            return redirect("subjects:list")
    return _list_page(request, rename_form=form, rename_pk=pk, status=400)


@permission_required("program.administer")
@require_POST
def retire(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    subject = get_object_or_404(Subject, pk=pk)
    retired = request.POST.get("retired") != "0"
    services.set_subject_retired(subject=subject, retired=retired)
    messages.success(request, f"{subject.name} {'retired' if retired else 'restored'}.")
    return redirect("subjects:list")
