"""Refuse a request body larger than MAX_REQUEST_BYTES before anything reads it, and answer a body
Django cannot read as a form with a page that says why."""

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render

MB = 1024 * 1024


class RequestSizeLimitMiddleware:
    """Answer 413 from the declared Content-Length, before CSRF checks or upload parsing read the body.

    A body without Content-Length (chunked) is never read by Django, so the header is all there is to check.
    A POST within the limit is parsed here, first: a form whose text is over DATA_UPLOAD_MAX_MEMORY_SIZE
    (413), with more fields or files than Django takes, or a multipart body it cannot read (a file name
    of a thousand characters, no boundary) gets a page saying so (400), never Django's bare or
    technical error page.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if declared > settings.MAX_REQUEST_BYTES:
            context = {"limit_mb": settings.MAX_REQUEST_BYTES / MB, "sent_mb": declared / MB}
            return render(request, "413.html", context, status=413)
        if request.method == "POST":
            refusal = self._unreadable(request)
            if refusal is not None:
                return refusal
        return self.get_response(request)

    @staticmethod
    def _unreadable(request: HttpRequest) -> HttpResponse | None:
        try:
            request.POST  # noqa: B018 - parsed now, as CSRF would a moment later
        except RequestDataTooBig:
            return render(request, "413.html", {"text_limit_mb": settings.DATA_UPLOAD_MAX_MEMORY_SIZE / MB}, status=413)
        except TooManyFieldsSent:
            problem = f"The form sent more than {settings.DATA_UPLOAD_MAX_NUMBER_FIELDS:,} fields."
        except TooManyFilesSent:
            problem = f"The form sent more than {settings.DATA_UPLOAD_MAX_NUMBER_FILES:,} files."
        except MultiPartParserError:
            problem = "The upload could not be read; a file name may be too long (rename the file and try again)."
        else:
            return None
        return render(request, "400.html", {"problem": problem}, status=400)
