"""What the sessions pages share: the way back, the window of a list asked for, one occurrence with
its series, and the links to a person's calendar feed."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse

from accounts.permissions import AuthenticatedRequest
from core.views import safe_next_url
from sessions.models import Occurrence


def _back(request: HttpRequest, default: str) -> HttpResponse:
    return redirect(safe_next_url(request, default))


def _window_number(request: HttpRequest, name: str) -> int:
    """Which window of a list the page shows (?upcoming=2): the first for anything but a number."""
    try:
        return int(request.GET.get(name, "1"))
    except ValueError:
        return 1


def _occurrence(pk: int) -> Occurrence:
    return get_object_or_404(Occurrence.objects.select_related("series", "series__subject", "series__mentor"), pk=pk)


def _feed_context(request: AuthenticatedRequest) -> dict[str, str]:
    path = reverse("sessions:feed", args=[request.user.calendar_token])
    url = request.build_absolute_uri(path)
    return {"feed_url": url, "webcal_url": "webcal://" + url.split("://", 1)[1]}
