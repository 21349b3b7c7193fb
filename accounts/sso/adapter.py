"""The program's rules on allauth's social logins (settings.SOCIALACCOUNT_ADAPTER)."""

import re
from typing import TYPE_CHECKING, Any

from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.helpers import render_authentication_error
from allauth.socialaccount.providers.base.constants import AuthError
from django.conf import settings
from django.http import HttpRequest

from accounts.class_year import graduation_year_for
from accounts.sso.providers import AUTHN_CONTEXTS_KEY

if TYPE_CHECKING:
    from allauth.socialaccount.models import SocialLogin
    from allauth.socialaccount.providers.base.provider import Provider

    from accounts.models import User

# Set at sign-in when the IdP asserted multi-factor authentication (read by AccountGateMiddleware).
IDP_MFA_SESSION_KEY = "accounts.sso.idp_mfa"
ENTRA_AUTHN_METHODS_CLAIM = "http://schemas.microsoft.com/claims/authnmethodsreferences"


def graduation_year_from(value: str | None) -> int | None:
    """A graduation year from what an IdP sends: "2028", "Class of 2028", "MS2" or "OMS2"."""
    text = str(value or "").strip()
    if match := re.search(r"\b(19|20)\d{2}\b", text):
        return int(match.group(0))
    if match := re.fullmatch(r"(?i)o?ms\s*([1-4])", text):
        return graduation_year_for(int(match.group(1)))
    return None


def idp_asserted_mfa(sociallogin: "SocialLogin") -> bool:
    """True if the IdP said this sign-in used MFA: SAML AuthnContextClassRef, OIDC amr or acr."""
    data = sociallogin.account.extra_data or {}
    contexts = set(data.get(AUTHN_CONTEXTS_KEY) or [])
    contexts |= set(data.get(ENTRA_AUTHN_METHODS_CLAIM) or [])  # Entra ID says it in a claim instead
    if contexts & set(settings.SSO_MFA_AUTHN_CONTEXTS):
        return True
    claims = {**(data.get("userinfo") or {}), **(data.get("id_token") or {})}
    amr = claims.get("amr") or []
    amr = [amr] if isinstance(amr, str) else amr
    return bool(set(amr) & set(settings.SSO_MFA_AMR)) or claims.get("acr") in settings.SSO_MFA_ACR


def _claim(sociallogin: "SocialLogin", name: str) -> str | None:
    """The first value of a mapped SAML attribute or a configured OIDC claim."""
    app_settings = sociallogin.provider.app.settings if sociallogin.provider.app else {}
    data = sociallogin.account.extra_data or {}
    if sociallogin.provider.id == "saml":
        for key in app_settings.get("attribute_mapping", {}).get(name, []):
            values = data.get(key)
            if values:
                return values[0]
        return None
    claim = app_settings.get(f"{name}_claim")
    claims = {**(data.get("userinfo") or {}), **(data.get("id_token") or {})}
    return claims.get(claim) if claim else None


class SchoolSocialAccountAdapter(DefaultSocialAccountAdapter):
    """Only the school's identity providers are configured, so: the address they send is
    verified; SSO stays open when password sign-up is off (SSO_ONLY); the graduation year they
    send pre-fills onboarding; an answer without an email, and every error, is refused and logged."""

    def is_email_verified(self, provider: "Provider", email: str) -> bool:
        return True

    def is_open_for_signup(self, request: HttpRequest, sociallogin: "SocialLogin") -> bool:
        return True

    def populate_user(self, request: HttpRequest, sociallogin: "SocialLogin", data: dict[str, Any]) -> "User":
        user = super().populate_user(request, sociallogin, data)
        year = graduation_year_from(_claim(sociallogin, "graduation_year"))
        if year and 1990 <= year <= 2100:
            user.graduation_year = year
        return user

    def pre_social_login(self, request: HttpRequest, sociallogin: "SocialLogin") -> None:
        if not (sociallogin.user.email or sociallogin.email_addresses):
            raise ImmediateHttpResponse(render_authentication_error(
                request, sociallogin.provider,
                extra_context={"sso_refusal": "no_email", "sso_detail": f"uid {sociallogin.account.uid}"},
            ))
        request.session[IDP_MFA_SESSION_KEY] = idp_asserted_mfa(sociallogin)

    def on_authentication_error(
        self,
        request: HttpRequest,
        provider: "Provider",
        error: str | None = None,
        exception: BaseException | None = None,
        extra_context: dict[str, Any] | None = None,
    ) -> None:
        from accounts.models import SignInRefusal

        context = extra_context or {}
        reason = context.get("sso_refusal")
        detail = context.get("sso_detail") or ""
        if not reason and context.get("saml_errors"):
            reason, detail = SignInRefusal.Reason.INVALID, f"{context['saml_errors']}: {context.get('saml_last_error_reason')}"
        elif not reason and error == AuthError.CANCELLED:
            reason = SignInRefusal.Reason.CANCELLED
        elif not reason:
            reason, detail = SignInRefusal.Reason.OTHER, f"{error}: {exception!r}" if exception else str(error or "")
        app = getattr(provider, "app", None)
        SignInRefusal.objects.create(
            provider=f"{app.name or app.client_id} ({provider.id})" if app else getattr(provider, "id", "unknown"),
            reason=reason, detail=detail[:2000], ip_address=request.META.get("REMOTE_ADDR") or None,
        )
