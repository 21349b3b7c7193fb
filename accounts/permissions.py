"""The permissions policy: may this user do this, to this object?

Every view asks here. Each app declares its rules in its own `rules.py` with `@rule("app.verb")`;
the app's AppConfig.ready() imports that module, so the policy is complete once Django is set up.
A rule gets an authenticated, active user and the object (or None) and returns a bool.

Two gates stand in front of every rule, whichever function asks (`can`, `require`,
`get_object_for`, `permission_required`): no answer about a signed-in user is given before
- a program admin without two-factor authentication is sent to set it up (MFARequired);
- a student who has not finished onboarding is sent to onboarding (OnboardingRequired).
`accounts.middleware.AccountGateMiddleware` turns those into redirects with a message, and
applies the MFA gate to every page before its view runs (allauth's own pages and views marked
`gate_exempt` aside), so a view that forgets to ask still cannot show an education record.
"""

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django_htmx.middleware import HtmxDetails

    from accounts.models import User

M = TypeVar("M", bound=Model)
V = TypeVar("V", bound=Callable[..., object])
View = Callable[..., HttpResponse]


class AuthenticatedRequest(HttpRequest):
    """The request a view behind login_required or permission_required gets (for type checking)."""

    user: "User"
    htmx: "HtmxDetails"

# A rule answers for a signed-in, active user and the object asked about (None when there is none).
Rule = Callable[["User", Any], bool]
R = TypeVar("R", bound=Rule)
_RULES: dict[str, Rule] = {}


def rule(action: str) -> Callable[[R], R]:
    def register(check: R) -> R:
        if action in _RULES:
            raise ValueError(f"rule {action!r} is declared twice")
        _RULES[action] = check
        return check

    return register


class MFARequired(PermissionDenied):
    """A program admin must turn on two-factor authentication before using any guarded page."""


class OnboardingRequired(PermissionDenied):
    """The user must finish onboarding before using role pages."""


def needs_mfa(user: "User | AnonymousUser") -> bool:
    """True for a program admin (or Django staff) who has no two-factor authenticator yet.

    With SSO_TRUST_IDP_MFA=1, a sign-in through the school's IdP that asserted MFA counts as the
    second factor for this session (AccountGateMiddleware sets `user.signed_in_with_idp_mfa`)."""
    if not user.is_authenticated or not (user.is_program_admin or user.is_staff):
        return False
    if getattr(user, "signed_in_with_idp_mfa", False):
        return False
    if not hasattr(user, "_has_mfa"):  # one query per request, not per check
        from allauth.mfa.utils import is_mfa_enabled

        user._has_mfa = is_mfa_enabled(user)
    return not user._has_mfa


def needs_onboarding(user: "User | AnonymousUser") -> bool:
    """True for a signed-in student who has not finished onboarding (program admins need not)."""
    return user.is_authenticated and not user.is_program_admin and not user.is_onboarded


def password_sign_in_allowed(user: "User") -> bool:
    """With SSO_ONLY=1 students sign in through the school only; program admins and Django staff
    keep their password as the break-glass way in when the school's IdP is down."""
    from django.conf import settings

    return not settings.SSO_ONLY or user.is_program_admin or user.is_staff


def check_gates(user: "User | AnonymousUser") -> None:
    if needs_mfa(user):
        raise MFARequired
    if needs_onboarding(user):
        raise OnboardingRequired


def gate_exempt(view: V) -> V:
    """Mark a view the gates need not guard: it shows nothing of the signed-in user's (health
    check, the token-keyed calendar feed). Read by AccountGateMiddleware."""
    view.gate_exempt = True  # type: ignore[attr-defined]
    return view


def can(user: "User | AnonymousUser", action: str, obj: object | None = None) -> bool:
    """True if `user` may do `action` (to `obj`). Unknown actions are a programming error.

    The gates come first: for a program admin without MFA (or a student not onboarded) this raises
    MFARequired (OnboardingRequired) instead of answering, so no caller can skip them."""
    check = _RULES[action]
    if not user.is_authenticated or not user.is_active:
        return False
    check_gates(user)
    return bool(check(user, obj))


def require(user: "User | AnonymousUser", action: str, obj: object | None = None) -> None:
    """Raise PermissionDenied unless `user` may do `action`; MFARequired / OnboardingRequired
    (redirects, see the module docstring) come first."""
    if not can(user, action, obj):
        raise PermissionDenied


def get_object_for(user: "User | AnonymousUser", action: str, queryset: "QuerySet[M] | type[M]", **lookup: Any) -> M:
    """Fetch one object and check the user may do `action` to it: 404 if absent, 403 if not allowed."""
    obj = get_object_or_404(queryset, **lookup)
    require(user, action, obj)
    return obj


def permission_required(action: str) -> Callable[[View], View]:
    """View decorator: anonymous users go to sign in; program admins without MFA go to set it up;
    students not yet onboarded go to onboarding; signed-in users without the right get 403."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            from accounts.middleware import mfa_setup_redirect, onboarding_redirect

            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            try:
                require(request.user, action)
            except MFARequired:
                return mfa_setup_redirect(request)
            except OnboardingRequired:
                return onboarding_redirect(request)
            return view(request, *args, **kwargs)

        return wrapped

    return decorate


def declared_actions() -> list[str]:
    return sorted(_RULES)
