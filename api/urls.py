"""/api/v1/ URLs: django-ninja's, each wrapped so that every request made with a token is audited.

The API authenticates by token, never by the session cookie, so the account gates (MFA setup,
onboarding redirects) do not apply to it: its views are gate_exempt."""

from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.urls import URLPattern, URLResolver

from accounts.permissions import gate_exempt
from api.v1 import api
from audit.http import keep_out_of_caches
from audit.services import record_access


def _audited(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponseBase:
        response = view(request, *args, **kwargs)
        token = getattr(request, "api_token", None)
        if token is not None:
            audit = getattr(request, "api_audit", None) or {}
            assert request.resolver_match is not None  # the URL resolver sets it before any view runs
            action = audit.get("action") or f"api.{request.resolver_match.url_name}"
            if response.status_code >= 400:
                action = f"{action} ({response.status_code})"
            record_access(
                actor=None, action=action[:60], object_type="api", student=audit.get("student"),
                request=request, api_token=token.name,
            )  # fmt: skip
        # Answers may hold education records (bookings, attendance): no cache keeps any of them.
        return keep_out_of_caches(response)

    return gate_exempt(wrapped)


def _docs(request: HttpRequest, **kwargs: object) -> HttpResponse:
    return redirect("api-v1:openapi-view")


def _wrap(patterns: list[URLPattern | URLResolver]) -> list[URLPattern | URLResolver]:
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            # /api/v1/ itself: ninja's answer is a 404 that names the docs; send people to them.
            view = gate_exempt(_docs) if pattern.name == "api-root" else pattern.callback
            pattern.callback = _audited(view)
    return patterns


urls, app_name, namespace = api.urls
urlpatterns = _wrap(list(urls))
