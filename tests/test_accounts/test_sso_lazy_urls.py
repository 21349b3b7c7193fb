"""The SAML URLs load python3-saml on first use, and are otherwise allauth's own."""

from allauth.socialaccount.providers.saml import urls as allauth_saml_urls
from allauth.socialaccount.providers.saml import views as allauth_saml_views
from django.urls import URLPattern, URLResolver

from accounts.sso.saml import urls as lazy_saml_urls


def _routes(patterns: list) -> list[tuple[str, str | None]]:
    routes: list[tuple[str, str | None]] = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            routes += [(f"{pattern.pattern}{route}", name) for route, name in _routes(pattern.url_patterns)]
        elif isinstance(pattern, URLPattern):
            routes.append((str(pattern.pattern), pattern.name))
    return routes


def _middleware_attributes(view: object) -> dict[str, object]:
    return {name: getattr(view, name) for name in ("csrf_exempt", "login_required") if hasattr(view, name)}


def test_the_saml_urls_have_allauths_paths_and_names():
    assert _routes(lazy_saml_urls.urlpatterns) == _routes(allauth_saml_urls.urlpatterns)


def test_each_lazy_saml_view_carries_what_the_middleware_reads_on_allauths_view():
    for name in lazy_saml_urls.VIEW_ATTRIBUTES:
        lazy = next(p.callback for p in lazy_saml_urls.urlpatterns[0].url_patterns if p.callback.__name__ == name)
        assert _middleware_attributes(lazy) == _middleware_attributes(getattr(allauth_saml_views, name)), name
