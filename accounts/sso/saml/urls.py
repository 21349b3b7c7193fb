"""allauth's SAML URLs (the same paths and names), with views that import python3-saml on first use.

allauth's own `saml/urls.py` imports its views, and they import python3-saml, lxml and xmlsec
(about 20 MiB) into every web worker when the URLconf loads, though only a school sign-in uses
them. Each view here imports allauth's view when a request reaches it and carries the attributes
the middleware reads before calling it (CSRF exemption, no login required), as allauth's do
(tests/test_accounts/test_sso_lazy_urls.py compares them)."""

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import include, path, re_path

# allauth's view name -> what its view function carries for the middleware.
VIEW_ATTRIBUTES: dict[str, dict[str, bool]] = {
    "acs": {"csrf_exempt": True, "login_required": False},
    "finish_acs": {"login_required": False},
    "sls": {"csrf_exempt": True, "login_required": False},
    "metadata": {"login_required": False},
    "login": {"login_required": False},
}


def _on_first_use(name: str) -> Callable[..., HttpResponse]:
    def view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        from allauth.socialaccount.providers.saml import views

        response: HttpResponse = getattr(views, name)(request, *args, **kwargs)
        return response

    view.__name__ = view.__qualname__ = name
    view.__dict__.update(VIEW_ATTRIBUTES[name])
    return view


urlpatterns = [
    re_path(
        r"^saml/(?P<organization_slug>[^/]+)/",
        include([
            path("acs/", _on_first_use("acs"), name="saml_acs"),
            path("acs/finish/", _on_first_use("finish_acs"), name="saml_finish_acs"),
            path("sls/", _on_first_use("sls"), name="saml_sls"),
            path("metadata/", _on_first_use("metadata"), name="saml_metadata"),
            path("login/", _on_first_use("login"), name="saml_login"),
        ]),
    )
]  # fmt: skip
