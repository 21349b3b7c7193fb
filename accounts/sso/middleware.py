from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse

# The pages whose forms post to a view that redirects on to the identity provider.
_FORMS_TO_IDENTITY_PROVIDER = {"account_login", "saml_login", "openid_connect_login"}


def _origin(url: str | None) -> str | None:
    parts = urlsplit(url or "")
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme in ("http", "https") and parts.netloc else None


def identity_provider_origins(request: HttpRequest) -> list[str]:
    """Where "Sign in with <School>" sends the browser: each configured IdP's sign-in origin
    (SAML: the SSO URL, else the metadata URL's host; OIDC: the issuer), in settings or the admin,
    plus SSO_FORM_ACTION_ORIGINS for an IdP that redirects on to another host."""
    from allauth.socialaccount.adapter import get_adapter

    origins = list(settings.SSO_FORM_ACTION_ORIGINS)
    for app in get_adapter().list_apps(request):
        idp = (app.settings or {}).get("idp", {})
        url = idp.get("sso_url") or idp.get("metadata_url") or (app.settings or {}).get("server_url")
        if (origin := _origin(url)) and origin not in origins:
            origins.append(origin)
    return origins


class IdentityProviderFormActionMiddleware:
    """Chromium applies CSP form-action to where a form's POST is redirected: the sign-in page's
    "Sign in with <School>" form may go on to the school's IdP, and nowhere else."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        if match and match.url_name in _FORMS_TO_IDENTITY_PROVIDER and response.status_code == 200:
            if origins := identity_provider_origins(request):
                # django-csp reads this per-response override (what its @csp_update decorator sets).
                response._csp_update = {"form-action": origins}  # type: ignore[attr-defined]
        return response
