"""Pages of the program app for program admins."""

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import redirect

from accounts.permissions import AuthenticatedRequest, permission_required
from core.views import render_form_page, run_service
from program import selectors, services
from program.forms import ProgramRulesForm
from program.models import ProgramRules


@permission_required("program.administer")
def rules(request: AuthenticatedRequest) -> HttpResponse:
    """Edit the program's rules (attendance limits, waitlist mode); every change is listed below."""
    current = ProgramRules.current()
    form = ProgramRulesForm(request.POST) if request.method == "POST" else ProgramRulesForm.for_rules(current)
    if request.method == "POST" and form.is_valid() and run_service(
        request, lambda: services.update_rules(by=request.user, **form.cleaned_data), "The program's rules are saved.",
        form=form,
    ):
        return redirect("program:rules")
    context = {
        "form": form,
        "rules": current,
        "changes": selectors.latest_rules_changes(),
        "closes_minutes": settings.WAITLIST_OFFER_CLOSES_MINUTES,
        "min_minutes": settings.WAITLIST_OFFER_MIN_MINUTES,
    }
    return render_form_page(request, "program/rules.html", context, form=form)
