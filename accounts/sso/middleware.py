from urllib.parse import urlsplit

# The views that answer the sign-in page's POST with a redirect to the identity provider.
_TO_IDENTITY_PROVIDER = {"saml_login", "openid_connect_login"}


class IdentityProviderRedirectCSPMiddleware:
    """Chromium applies CSP form-action to a form's redirects: let the "Sign in with <School>"
    POST go on to exactly the IdP it redirects to (whether configured in settings or the admin)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        if match and match.url_name in _TO_IDENTITY_PROVIDER and response.status_code in (301, 302, 303):
            target = urlsplit(response["Location"])
            if target.scheme in ("http", "https") and target.netloc:
                response._csp_update = {"form-action": [f"{target.scheme}://{target.netloc}"]}
        return response
