import json
from urllib.parse import urlencode

from allauth.account.adapter import get_adapter
from allauth.core import ratelimit
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts import selectors, services
from accounts.adapter import INVITATION_SESSION_KEY
from accounts.forms import (
    ClassYearForm,
    DecisionForm,
    DeleteAccountForm,
    InvitationForm,
    MentorApplicationForm,
    OnboardingForm,
    PreferencesForm,
    ProfileForm,
)
from accounts.models import Invitation, MentorApplication, User
from accounts.permissions import AuthenticatedRequest, permission_required
from accounts.preferences import EMAIL_CATEGORY_KEYS
from audit.http import education_record_page
from core.errors import ApplicationError
from core.text import single_line
from core.views import render_form_page, run_service, safe_next_url, show_refusal

# ---------------------------------------------------------------------------
# Onboarding and profile (the signed-in person's own data)
# ---------------------------------------------------------------------------


@login_required
def onboarding(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    if user.is_onboarded:
        messages.info(request, "You are all set up; change anything here.")
        return redirect("accounts:profile")
    if request.method == "POST":
        form = OnboardingForm(request.POST)
        if form.is_valid():
            c = form.cleaned_data
            try:
                application = services.complete_onboarding(
                    user=user,
                    is_mentee=c["is_mentee"],
                    wants_to_mentor=c["wants_to_mentor"],
                    offered_subjects=list(c["offered_subjects"]),
                    motivation=c["motivation"],
                    **form.profile_data(),
                )
            except ApplicationError as exc:
                show_refusal(form, exc)
            else:
                if application:
                    messages.success(request, "Welcome! Your mentor application is with the program office.")
                else:
                    messages.success(request, "Welcome! Your profile is ready.")
                return redirect(safe_next_url(request, reverse("dashboard")))
    else:
        initial = ProfileForm.initial_for(user)
        initial["is_mentee"] = True
        form = OnboardingForm(initial=initial)
    return render_form_page(
        request, "accounts/onboarding.html", {"form": form, "next": safe_next_url(request, "")}, form=form
    )


@login_required
def profile(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    # Staff (program admins) need no graduation year; only mentees rank the subjects they want.
    shape = {"student": not (user.is_program_admin or user.is_staff), "wants_help": user.is_mentee}
    if request.method == "POST":
        form = ProfileForm(request.POST, **shape)
        if form.is_valid() and run_service(
            request, lambda: services.update_profile(user=user, **form.profile_data()), "Profile saved.", form=form
        ):
            return redirect("accounts:profile")
    else:
        form = ProfileForm(initial=ProfileForm.initial_for(user), **shape)
    return render_form_page(
        request,
        "accounts/profile.html",
        {"form": form, "application": selectors.latest_mentor_application(user),
         "eligibility_problem": services.mentor_eligibility_problem(user)},
        form=form,
    )


@login_required
def preferences(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    if request.method == "POST":
        form = PreferencesForm(request.POST)
        if form.is_valid():
            c = form.cleaned_data
            try:
                services.update_notification_preferences(
                    user=user,
                    reminder_offsets_hours=c["reminder_offsets_hours"],
                    muted_email_categories=[k for k in EMAIL_CATEGORY_KEYS if k not in c["wanted_emails"]],
                    email_opt_out=c["email_opt_out"],
                )
            except ApplicationError as exc:
                form.add_error("reminder_offsets_hours", exc.message)
            else:
                messages.success(request, "Notification preferences saved.")
                return redirect("accounts:preferences")
    else:
        form = PreferencesForm(initial=PreferencesForm.initial_for(user))
    return render_form_page(request, "accounts/preferences.html", {"form": form}, form=form)


@login_required
def privacy(request: AuthenticatedRequest) -> HttpResponse:
    return render(request, "accounts/privacy.html", {"delete_form": DeleteAccountForm(user=request.user)})


@education_record_page  # attendance, ratings and exam results of the user
@login_required
@never_cache
def export_data(request: AuthenticatedRequest) -> HttpResponse:
    export = services.build_data_export(user=request.user)
    response = HttpResponse(
        json.dumps(export, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
    )
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="my-mentoring-data-{stamp}.json"'
    return response


@login_required
@require_POST
def delete_account(request: AuthenticatedRequest) -> HttpResponse:
    # The password is checked here, so guessing it is limited like a sign-in (ACCOUNT_RATE_LIMITS).
    if not ratelimit.consume(request, action="delete_account", user=request.user):
        messages.error(request, "Too many attempts to delete the account. Wait a few minutes and try again.")
        return render(request, "accounts/privacy.html", {"delete_form": DeleteAccountForm(user=request.user)}, status=429)
    form = DeleteAccountForm(request.POST, user=request.user)
    if not form.is_valid():
        return render(request, "accounts/privacy.html", {"delete_form": form}, status=400)
    services.delete_account(user=request.user)
    logout(request)
    messages.success(request, "Your account is deleted and your personal data removed.")
    return redirect("home")


# ---------------------------------------------------------------------------
# Becoming a mentor
# ---------------------------------------------------------------------------


@permission_required("accounts.apply_to_mentor")
def mentor_apply(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    problem = services.mentor_eligibility_problem(user)
    pending = selectors.latest_mentor_application(user)
    if pending and pending.status != MentorApplication.Status.PENDING:
        pending = None
    form = MentorApplicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and run_service(
        request,
        lambda: services.apply_to_mentor(
            user=user, subjects=list(form.cleaned_data["subjects"]), motivation=form.cleaned_data["motivation"]
        ),
        "Application sent. The program office will email you its decision.",
        form=form,
    ):
        return redirect("dashboard")
    return render_form_page(
        request, "accounts/mentor_apply.html", {"form": form, "problem": problem, "pending": pending}, form=form
    )


# ---------------------------------------------------------------------------
# Program administration
# ---------------------------------------------------------------------------


@permission_required("program.administer")
def applications(request: AuthenticatedRequest) -> HttpResponse:
    return render(
        request,
        "accounts/applications.html",
        {"queue": selectors.mentor_applications_queue(), "decided": selectors.recently_decided_applications()},
    )


@permission_required("program.administer")
def application_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    application = get_object_or_404(
        MentorApplication.objects.select_related("user", "decided_by").prefetch_related("subjects"), pk=pk
    )
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        approve = form.cleaned_data["decision"] == "approve"
        decide = services.approve_mentor_application if approve else services.decline_mentor_application
        if run_service(
            request,
            lambda: decide(application=application, admin=request.user, message=form.cleaned_data["message"]),
            f"{application.user.display_name}'s application {'approved' if approve else 'declined'}; they are emailed.",
            form=form,
        ):
            return redirect("accounts:applications")
    return render_form_page(request, "accounts/application_detail.html", {"application": application, "form": form}, form=form)


@permission_required("program.administer")
def people(request: AuthenticatedRequest) -> HttpResponse:
    # One line of text: a NUL or a line break typed into the search box must not reach the database.
    search, role = single_line(request.GET.get("q", "")), request.GET.get("role", "")
    page = Paginator(selectors.people(search=search, role=role), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/people.html",
        {"page": page, "search": search, "role": role, "class_years": range(1, 5)},
    )


@permission_required("program.administer")
@require_POST
def correct_class_year(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(User, pk=pk, deleted_at__isnull=True)
    form = ClassYearForm(request.POST)
    if form.is_valid():
        services.correct_class_year(user=person, class_year=form.cleaned_data["class_year"])
        messages.success(request, f"{person.display_name} is now {person.class_year_label}.")
    else:
        messages.error(request, "Choose a class year from MS1 to MS4.")
    return redirect(safe_next_url(request, reverse("accounts:people")))


@permission_required("program.administer")
def invitations(request: AuthenticatedRequest) -> HttpResponse:
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.invite_user(email=form.cleaned_data["email"], invited_by=request.user)
        except ApplicationError as exc:
            form.add_error("email", exc.message)
        else:
            messages.success(request, f"Invitation sent to {invitation.email}.")
            return redirect("accounts:invitations")
    return render_form_page(
        request,
        "accounts/invitations.html",
        {"form": form, "invitations": selectors.open_invitations(), "valid_days": Invitation.VALID_DAYS},
        form=form,
    )


def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    """The link in an invitation email: it proves the address, then the usual allauth sign-up."""
    invitation = Invitation.objects.filter(token=token).first()
    if request.user.is_authenticated:
        messages.info(request, "You are already signed in.")
        return redirect("dashboard")
    if invitation is None or not invitation.is_usable(timezone.now()):
        return render(request, "accounts/invitation_invalid.html", status=410)
    request.session[INVITATION_SESSION_KEY] = invitation.email
    get_adapter(request).stash_verified_email(request, invitation.email)
    return redirect(f"{reverse('account_signup')}?{urlencode({'email': invitation.email})}")
