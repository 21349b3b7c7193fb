"""allauth's SAML provider with two additions python3-saml leaves to the application: a used
assertion is refused a second time (replay), and the authentication context the IdP asserted
(its MFA) is kept with the login."""

import datetime as dt
from typing import TYPE_CHECKING, Protocol

from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.helpers import render_authentication_error
from allauth.socialaccount.providers.saml.provider import SAMLProvider
from django.db import IntegrityError, transaction
from django.http import HttpRequest

if TYPE_CHECKING:
    from allauth.socialaccount.models import SocialLogin

AUTHN_CONTEXTS_KEY = "_authn_context_class_refs"


class SAMLResponse(Protocol):
    """What this provider reads of python3-saml's OneLogin_Saml2_Auth (which ships no types)."""

    def get_last_assertion_id(self) -> str | None: ...
    def get_last_assertion_not_on_or_after(self) -> int | None: ...
    def get_last_authn_contexts(self) -> list[str]: ...


class SchoolSAMLProvider(SAMLProvider):
    @classmethod
    def get_package(cls) -> str:
        return "accounts.sso.saml"  # allauth's URLs, with views loaded on first use (its urls.py)

    def sociallogin_from_response(self, request: HttpRequest, response: SAMLResponse) -> "SocialLogin":
        assertion_id = response.get_last_assertion_id()
        if not _first_use(assertion_id, self.app.client_id, response.get_last_assertion_not_on_or_after()):
            raise ImmediateHttpResponse(render_authentication_error(
                request, self, extra_context={"sso_refusal": "replayed", "sso_detail": f"assertion {assertion_id}"},
            ))
        login = super().sociallogin_from_response(request, response)
        login.account.extra_data[AUTHN_CONTEXTS_KEY] = list(response.get_last_authn_contexts() or [])
        return login


def _first_use(assertion_id: str | None, provider: str, not_on_or_after: int | None) -> bool:
    """Record the assertion id; False if it was recorded before (the unique constraint decides)."""
    from accounts.models import SeenAssertion

    if not assertion_id:
        return False
    now = dt.datetime.now(dt.UTC)
    # An expired assertion is refused as expired before it gets here, so its id need not be kept.
    SeenAssertion.objects.filter(expires_at__lt=now - dt.timedelta(minutes=5)).delete()
    expires = dt.datetime.fromtimestamp(not_on_or_after, tz=dt.UTC) if not_on_or_after else None
    try:
        with transaction.atomic():
            SeenAssertion.objects.create(assertion_id=assertion_id, provider=provider, expires_at=expires)
    except IntegrityError:
        return False
    return True
