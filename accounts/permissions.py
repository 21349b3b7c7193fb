"""The permissions policy: may this user do this, to this object?

Every view asks here. Each app declares its rules in its own `rules.py` with `@rule("app.verb")`;
the app's AppConfig.ready() imports that module, so the policy is complete once Django is set up.
A rule gets an authenticated, active user and the object (or None) and returns a bool.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.shortcuts import get_object_or_404

Rule = Callable[..., bool]
_RULES: dict[str, Rule] = {}


def rule(action: str) -> Callable[[Rule], Rule]:
    def register(check: Rule) -> Rule:
        if action in _RULES:
            raise ValueError(f"rule {action!r} is declared twice")
        _RULES[action] = check
        return check

    return register


def can(user, action: str, obj: object | None = None) -> bool:
    """True if `user` may do `action` (to `obj`). Unknown actions are a programming error."""
    check = _RULES[action]
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return bool(check(user, obj))


def require(user, action: str, obj: object | None = None) -> None:
    if not can(user, action, obj):
        raise PermissionDenied


def get_object_for(user, action: str, queryset: QuerySet | type[Model], **lookup) -> Model:
    """Fetch one object and check the user may do `action` to it: 404 if absent, 403 if not allowed."""
    obj = get_object_or_404(queryset, **lookup)
    require(user, action, obj)
    return obj


def permission_required(action: str):
    """View decorator: anonymous users go to sign in; signed-in users without the right get 403."""

    def decorate(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            require(request.user, action)
            return view(request, *args, **kwargs)

        return wrapped

    return decorate


def declared_actions() -> list[str]:
    return sorted(_RULES)
