"""Check-in pages: the mentor's screen (QR code and changing code) and the mentee's phone page."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from accounts.permissions import AuthenticatedRequest, get_object_for, require
from api.errors import RateLimited
from api.services import consume_rate
from audit.http import education_record_page
from checkin import codes, selectors, services
from checkin.forms import CheckInForm
from checkin.models import CheckIn, window_of
from core.errors import ApplicationError
from core.views import render_form_page, show_refusal
from feedback.models import ConfidenceBefore
from sessions.models import Occurrence


def _occurrences() -> Any:
    return Occurrence.objects.select_related("series", "series__subject", "series__mentor")


@education_record_page
@login_required
def present(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The mentor's screen: QR code and short code (refreshed by htmx), and who has checked in."""
    occurrence = get_object_for(request.user, "checkin.present", _occurrences(), pk=pk)
    now = timezone.now()
    opens, closes = window_of(occurrence.starts_at, occurrence.ends_at)
    is_open = not occurrence.is_cancelled and opens <= now <= closes
    context: dict[str, Any] = {
        "occ": occurrence, "opens": opens, "closes": closes, "is_open": is_open,
        "not_yet": now < opens, "check_ins": selectors.check_ins(occurrence),
    }  # fmt: skip
    if is_open:
        import segno  # about 9 MiB: loaded by the check-in screen, not by every web worker

        code = codes.current_code(occurrence.pk, now)
        link = request.build_absolute_uri(reverse("checkin:occurrence", args=[occurrence.pk])) + f"?code={code}"
        context.update(
            code=code,
            link=link,
            changes_at=codes.window_ends_at(now),
            qr_svg=segno.make(link, error="m").svg_inline(scale=6, dark="#000", light="#fff", title=None, omitsize=True),
        )
    template = "checkin/_present_live.html" if request.htmx else "checkin/present.html"
    return render(request, template, context)


def _check_in_page(request: AuthenticatedRequest, occurrence: Occurrence | None) -> HttpResponse:
    mine = CheckIn.objects.filter(occurrence=occurrence, mentee=request.user).first() if occurrence else None
    gave_confidence = (
        occurrence is not None and ConfidenceBefore.objects.filter(occurrence=occurrence, mentee=request.user).exists()
    )
    form = CheckInForm(
        request.POST or None, initial={"code": request.GET.get("code", "")[:12]}, ask_confidence=not gave_confidence
    )
    if request.method == "POST" and form.is_valid() and mine is None:
        data = form.cleaned_data
        try:
            # A six-digit code could be guessed from outside the room: a mentee gets a few tries at a time.
            consume_rate(key=f"checkin-attempt:{request.user.pk}", rate=settings.CHECKIN_ATTEMPT_RATE)
            if occurrence is None:
                record = services.check_in_by_code(mentee=request.user, code=data["code"], confidence=data.get("confidence"))
            else:
                record = services.check_in(
                    occurrence=occurrence, mentee=request.user, code=data["code"], confidence=data.get("confidence")
                )
        except RateLimited as limited:
            form.add_error(
                "code",
                f"Too many check-in attempts. Try again in {limited.retry_after} seconds, or ask your mentor "
                "to mark you on the attendance list.",
            )
        except ApplicationError as problem:
            show_refusal(form, problem)
        else:
            what = "as a walk-in; the mentor confirms you on the attendance list" if record.walk_in else "on your booking"
            messages.success(request, f"You are checked in to {record.occurrence.series.title} {what}.")
            return redirect("checkin:occurrence", pk=record.occurrence_id)
    context: dict[str, Any] = {"form": form, "occ": occurrence, "mine": mine}
    if occurrence is not None:
        opens, closes = window_of(occurrence.starts_at, occurrence.ends_at)
        now = timezone.now()
        # Said before anyone types a code: the window is not open yet, or has closed.
        context.update(opens=opens, closes=closes, not_yet=now < opens, closed=now > closes)
    return render_form_page(request, "checkin/check_in.html", context, form=form)


@login_required
def check_in(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The page the QR code opens (with ?code=...): the mentee confirms with one tap."""
    require(request.user, "checkin.check_in")
    return _check_in_page(request, get_object_or_404(_occurrences(), pk=pk))


@login_required
def enter_code(request: AuthenticatedRequest) -> HttpResponse:
    """Check in by typing the code alone, without the session's page."""
    require(request.user, "checkin.check_in")
    return _check_in_page(request, None)
