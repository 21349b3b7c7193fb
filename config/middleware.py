"""Refuse a request body larger than MAX_REQUEST_BYTES before anything reads it."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


class RequestSizeLimitMiddleware:
    """Answer 413 from the declared Content-Length, before CSRF checks or upload parsing read the body.

    A body without Content-Length (chunked) is never read by Django, so the header is all there is to check.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if declared > settings.MAX_REQUEST_BYTES:
            context = {"limit_mb": settings.MAX_REQUEST_BYTES / (1024 * 1024), "sent_mb": declared / (1024 * 1024)}
            return render(request, "413.html", context, status=413)
        return self.get_response(request)
