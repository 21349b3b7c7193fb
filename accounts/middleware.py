import zoneinfo
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from accounts.permissions import MFARequired, OnboardingRequired, needs_mfa, needs_onboarding
from accounts.sso.adapter import IDP_MFA_SESSION_KEY

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User

GetResponse = Callable[[HttpRequest], HttpResponse]

MFA_MESSAGE = "Program admins must turn on two-factor authentication first: set up an authenticator app below."
ONBOARDING_MESSAGE = "Tell us a little about yourself first, so we can match you."


class UserTimezoneMiddleware:
    """Show times in the signed-in user's time zone (the program's by default)."""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        name = getattr(request.user, "time_zone", "") or settings.TIME_ZONE
        try:
            timezone.activate(zoneinfo.ZoneInfo(name))
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            timezone.activate(zoneinfo.ZoneInfo(settings.TIME_ZONE))
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


def mfa_setup_redirect(request: HttpRequest) -> HttpResponse:
    messages.warning(request, MFA_MESSAGE)
    return redirect("mfa_activate_totp")


def onboarding_redirect(request: HttpRequest) -> HttpResponse:
    messages.info(request, ONBOARDING_MESSAGE)
    return redirect(f"{reverse('accounts:onboarding')}?{urlencode({'next': request.get_full_path()})}")


def _mfa_exempt(view_func: Callable[..., HttpResponse]) -> bool:
    """allauth's pages (sign-in, sign-out, the TOTP setup itself) and views marked gate_exempt."""
    target = getattr(view_func, "view_class", view_func)
    return getattr(view_func, "gate_exempt", False) or target.__module__.startswith("allauth.")


class AccountGateMiddleware:
    """Apply the policy's gates (accounts.permissions) before any view runs: every page but
    allauth's and the gate_exempt ones needs MFA for a program admin (the Django admin site too),
    so no view can reach an education record without it; the dashboard needs onboarding; and turn
    the gates' exceptions (raised by can/require) into redirects."""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., HttpResponse],
        view_args: Sequence[object],
        view_kwargs: dict[str, object],
    ) -> HttpResponse | None:
        user: User | AnonymousUser | None = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        match = request.resolver_match
        if settings.SSO_TRUST_IDP_MFA and request.session.get(IDP_MFA_SESSION_KEY):
            user.signed_in_with_idp_mfa = True
        if needs_mfa(user) and not _mfa_exempt(view_func):
            return mfa_setup_redirect(request)
        if match and match.url_name == "dashboard" and not match.namespace and needs_onboarding(user):
            return onboarding_redirect(request)
        return None

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, MFARequired):
            return mfa_setup_redirect(request)
        if isinstance(exception, OnboardingRequired):
            return onboarding_redirect(request)
        return None
