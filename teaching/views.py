from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.models import User
from accounts.permissions import AuthenticatedRequest, gate_exempt, get_object_for, permission_required, require
from api.errors import RateLimited
from api.services import consume_rate
from audit.http import education_record_page, keep_out_of_caches
from audit.services import record_access
from core.views import REFUSED, render_form_page, run_service
from reports.periods import program_today
from teaching import selectors, services
from teaching.certificate import certificate_lines, endorsed_on
from teaching.forms import CompletionForm, EndorseForm, ExperienceForm, RequirementForm
from teaching.models import ERAS_DESCRIPTION_LIMIT, Certificate, Endorsement, Requirement


def _record_context(mentor: User, *, experience_form: ExperienceForm | None = None) -> dict:
    record = selectors.teaching_record(mentor=mentor)
    draft = selectors.experience_text(record)
    saved = selectors.saved_experience_text(mentor)
    form = experience_form or ExperienceForm(initial={"text": saved or draft})
    return {
        "mentor": mentor, "record": record, "endorsements": selectors.endorsements_for(mentor),
        "experience_form": form, "experience_is_edited": saved is not None, "eras_limit": ERAS_DESCRIPTION_LIMIT,
        "readiness": selectors.readiness_for(mentor), "completion_form": CompletionForm(initial={"completed_on": program_today()}),
    }  # fmt: skip


def _record_completion(
    request: AuthenticatedRequest, requirement: Requirement, mentor: User, form: CompletionForm, success: str
) -> None:
    """Record that `mentor` completed `requirement` on the form's date; a refusal becomes a message."""
    completed_on = form.cleaned_data["completed_on"]
    run_service(
        request,
        lambda: services.record_completion(
            requirement=requirement, mentor=mentor, completed_on=completed_on, by=request.user
        ),
        success,
    )


def _save_requirement(
    request: AuthenticatedRequest, form: RequirementForm, requirement: Requirement | None = None
) -> bool:
    """Create (or edit `requirement`) from the form; a refusal goes on the form. True if saved."""
    return run_service(
        request,
        lambda: services.save_requirement(requirement=requirement, **form.cleaned_data),
        lambda saved: f"“{saved.name}” is saved.",
        form=form,
    )


@education_record_page
@permission_required("teaching.view_own_record")
def my_record(request: AuthenticatedRequest) -> HttpResponse:
    return render(request, "teaching/record.html", {**_record_context(request.user), "own": True})


@education_record_page
@permission_required("teaching.view_own_record")
@require_POST
def save_experience(request: AuthenticatedRequest) -> HttpResponse:
    if request.POST.get("reset"):
        services.reset_experience_text(mentor=request.user)
        messages.success(request, "The generated description is back.")
        return redirect("teaching:my_record")
    form = ExperienceForm(request.POST)
    if form.is_valid():
        if run_service(
            request,
            lambda: services.save_experience_text(mentor=request.user, text=form.cleaned_data["text"]),
            "Your experience description is saved.",
            form=form,
        ):
            return redirect("teaching:my_record")
    context = {**_record_context(request.user, experience_form=form), "own": True}
    return render_form_page(request, "teaching/record.html", context, form=form)


@permission_required("teaching.view_own_record")
@require_POST
def confirm_requirement(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    requirement = get_object_or_404(Requirement, pk=pk, active=True)
    form = CompletionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give the date you completed it.")
        return redirect("teaching:my_record")
    _record_completion(request, requirement, request.user, form, f"“{requirement.name}” is confirmed.")
    return redirect("teaching:my_record")


@permission_required("teaching.endorse")
def records(request: AuthenticatedRequest) -> HttpResponse:
    return render(request, "teaching/records.html", {"mentors": selectors.mentors_for_records()})


@education_record_page
@permission_required("teaching.endorse")
def mentor_record(request: AuthenticatedRequest, mentor_id: int) -> HttpResponse:
    mentor = get_object_for(request.user, "teaching.view_record", User, pk=mentor_id)
    record_access(actor=request.user, action="teaching_record.read", obj=mentor, request=request)
    return render(
        request, "teaching/record.html", {**_record_context(mentor), "own": False, "endorse_form": EndorseForm()}
    )


@education_record_page
@permission_required("teaching.endorse")
@require_POST
def endorse(request: AuthenticatedRequest, mentor_id: int) -> HttpResponse:
    mentor = get_object_for(request.user, "teaching.view_record", User, pk=mentor_id)
    form = EndorseForm(request.POST)
    if form.is_valid():
        first_day, last_day = form.cleaned_data["term"]
        if run_service(
            request,
            lambda: services.endorse_term(
                mentor=mentor, first_day=first_day, last_day=last_day, by=request.user, note=form.cleaned_data["note"]
            ),
            lambda done: f"{done[0].term_name} is endorsed; the certificate is ready.",
            form=form,
        ):
            return redirect("teaching:mentor_record", mentor_id=mentor.pk)
    messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    posted = {"term": request.POST.get("term", ""), "note": request.POST.get("note", "")}
    context = {**_record_context(mentor), "own": False, "endorse_form": form, "posted": posted}
    return render(request, "teaching/record.html", context, status=REFUSED)


@never_cache
@login_required
def certificate_pdf(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    certificate = get_object_or_404(Certificate.objects.valid().select_related("endorsement__mentor"), pk=pk)
    require(request.user, "teaching.view_record", certificate.endorsement.mentor)  # the mentor or an admin
    response = HttpResponse(bytes(certificate.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="teaching-certificate-{certificate.pk}.pdf"'
    return response


@permission_required("teaching.endorse")
@require_POST
def revoke_certificate(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    certificate = get_object_or_404(Certificate.objects.select_related("endorsement"), pk=pk)
    services.revoke_certificate(certificate=certificate, by=request.user)
    messages.success(request, "The certificate is revoked: its link now says it is not valid.")
    return redirect("teaching:mentor_record", mentor_id=certificate.endorsement.mentor_id)


@permission_required("teaching.endorse")
@require_POST
def reissue_certificate(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    endorsement = get_object_or_404(Endorsement, pk=pk)
    run_service(
        request,
        lambda: services.reissue_certificate(endorsement=endorsement),
        "A new certificate with a new link is issued.",
    )
    return redirect("teaching:mentor_record", mentor_id=endorsement.mentor_id)


@gate_exempt  # the token is the key; it shows only what the certificate states
def verify(request: HttpRequest, token: str) -> HttpResponse:
    try:
        consume_rate(key=f"certificate-verify:{_client_ip(request)}", rate=_verify_rate())
    except RateLimited as exc:
        response = render(request, "teaching/verify.html", {"rate_limited": exc.message}, status=429)
        response["Retry-After"] = str(exc.retry_after)
        return _private(response)
    certificate = selectors.certificate_for_token(token)
    if certificate is None:
        return _private(render(request, "teaching/verify.html", {"valid": False}, status=404))
    endorsement = certificate.endorsement
    context = {"valid": True, "lines": certificate_lines(endorsement), "note": endorsement.note,
               "verified_on": endorsed_on(endorsement.endorsed_at)}  # fmt: skip
    return _private(render(request, "teaching/verify.html", context))


def _client_ip(request: HttpRequest) -> str:
    """The client address as allauth's limits see it (ALLAUTH_TRUSTED_PROXY_COUNT), or "unknown"."""
    from allauth.account.adapter import get_adapter

    try:
        return get_adapter(request).get_client_ip(request) or "unknown"
    except PermissionDenied:  # no address at all
        return "unknown"


def _verify_rate() -> str:
    from django.conf import settings

    return str(settings.TEACHING_VERIFY_RATE_LIMIT)


def _private(response: HttpResponse) -> HttpResponse:
    response["Referrer-Policy"] = "no-referrer"  # the token is in the address: never pass it on
    response["X-Robots-Tag"] = "noindex, nofollow"
    return keep_out_of_caches(response)


# ---------------------------------------------------------------------------
# Readiness (program admins)
# ---------------------------------------------------------------------------
@permission_required("teaching.manage_readiness")
def requirements(request: AuthenticatedRequest) -> HttpResponse:
    form = RequirementForm(request.POST or None, initial={"active": True})
    if request.method == "POST" and form.is_valid() and _save_requirement(request, form):
        return redirect("teaching:requirements")
    context = {"form": form, "requirements": selectors.requirements_for_page(), "overview": selectors.readiness_overview(),
               "completion_form": CompletionForm(initial={"completed_on": program_today()})}  # fmt: skip
    return render_form_page(request, "teaching/requirements.html", context, form=form)


@permission_required("teaching.manage_readiness")
def edit_requirement(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    requirement = get_object_or_404(Requirement, pk=pk)
    initial = {"name": requirement.name, "description": requirement.description,
               "valid_for_months": requirement.valid_for_months, "active": requirement.active}  # fmt: skip
    form = RequirementForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid() and _save_requirement(request, form, requirement):
        return redirect("teaching:requirements")
    return render_form_page(
        request, "teaching/requirement_edit.html", {"form": form, "requirement": requirement}, form=form
    )


@permission_required("teaching.manage_readiness")
@require_POST
def record_completion(request: AuthenticatedRequest, pk: int, mentor_id: int) -> HttpResponse:
    requirement = get_object_or_404(Requirement, pk=pk)
    mentor = get_object_or_404(User, pk=mentor_id)
    form = CompletionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give the date it was completed.")
        return redirect("teaching:requirements")
    _record_completion(
        request, requirement, mentor, form, f"Recorded: {mentor.display_name} completed “{requirement.name}”."
    )
    return redirect("teaching:requirements")
