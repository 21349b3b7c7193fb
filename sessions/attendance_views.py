"""Pages of the program's attendance rules and fair waitlists: a mentee's waitlist offer
(accept / decline) and the admins' attendance page (no-shows, clearances)."""

from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.models import User
from accounts.permissions import AuthenticatedRequest, get_object_for, permission_required
from audit.http import education_record_page
from audit.services import record_access
from core.views import render_form_page, run_service
from program.models import NoShowClearance, ProgramRules
from program.selectors import attendance_term_on
from reports.periods import program_today
from sessions import selectors, services
from sessions.forms import ClearNoShowsForm
from sessions.models import WaitlistEntry


def _entry(request: AuthenticatedRequest, pk: int) -> WaitlistEntry:
    return get_object_for(
        request.user,
        "sessions.manage_booking",
        WaitlistEntry.objects.select_related("occurrence", "occurrence__series", "occurrence__series__subject"),
        pk=pk,
    )


@login_required
def offer(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The seat the waitlist offers the mentee: its deadline, Accept and Decline (POST)."""
    entry = _entry(request, pk)
    return render(request, "sessions/offer.html", {"entry": entry, "now": timezone.now()})


def _answer_offer(request: AuthenticatedRequest, pk: int, answer: Callable[..., object], success: str) -> HttpResponse:
    """Accept or decline (`answer`, the service) the offer `pk`: to My sessions when it ran, else
    back to the offer with the refusal."""
    entry = _entry(request, pk)
    done = run_service(request, lambda: answer(entry=entry, by=request.user), success)
    return redirect("sessions:mine") if done else redirect("sessions:offer", pk=entry.pk)


@login_required
@require_POST
def accept_offer(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _answer_offer(request, pk, services.accept_offer, "Booked. A confirmation is on its way to your inbox.")


@login_required
@require_POST
def decline_offer(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _answer_offer(
        request, pk, services.decline_offer, "You declined the seat; it goes to the next person on the waitlist."
    )


@education_record_page
@permission_required("program.administer")
def attendance_rules(request: AuthenticatedRequest) -> HttpResponse:
    """Program admins: this term's mentees with no-shows (at or near the limit first), mentors'
    sessions not held, and the clearances given. Attendance is an education record: logged."""
    rules = ProgramRules.current()
    term = attendance_term_on(program_today())
    mentees = selectors.mentees_no_shows(
        first_day=term.first_day, last_day=term.last_day, count_late=rules.late_cancellation_counts_as_no_show
    )
    record_access(actor=request.user, action="attendance.no_shows.read", object_type="attendance", request=request)
    return render(
        request,
        "sessions/attendance_rules.html",
        {
            "rules": rules,
            "term": term,
            "mentees": mentees,
            "mentors": selectors.mentors_no_shows(first_day=term.first_day, last_day=term.last_day),
            "clearances": NoShowClearance.objects.filter(term_first_day=term.first_day).select_related(
                "mentee", "cleared_by"
            )[:100],
        },
    )


@education_record_page
@permission_required("program.administer")
def clear_no_shows(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Lift one mentee's no-show block for this term, with a note."""
    mentee = get_object_or_404(User, pk=pk)
    rules = ProgramRules.current()
    term = attendance_term_on(program_today())
    count = services.count_no_shows(mentee=mentee, term=term, rules=rules)
    record_access(actor=request.user, action="attendance.no_shows.read", object_type="attendance", student=mentee, request=request)
    form = ClearNoShowsForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and run_service(
        request,
        lambda: services.clear_no_shows(mentee=mentee, by=request.user, note=form.cleaned_data["note"]),
        f"No-shows of {mentee.display_name} cleared for {term.name}.",
        form=form,
    ):
        return redirect(reverse("sessions:attendance_rules"))
    context = {"form": form, "mentee": mentee, "term": term, "count": count, "rules": rules}
    return render_form_page(request, "sessions/clear_no_shows.html", context, form=form)
