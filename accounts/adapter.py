import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from django import forms
from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

if TYPE_CHECKING:
    from accounts.models import User

INVITATION_SESSION_KEY = "accounts.invitation_email"


@dataclass(frozen=True)
class ProgramSite:
    """What allauth's mail templates read as `current_site`: the program's name and the site's host."""

    name: str
    domain: str


def login_lockout_wait() -> str:
    """The longest period of allauth's `login_failed` limits ("5/300s/key" -> "5 minutes"): once
    refused, no sign-in to that account is accepted, right password or not, for up to that long."""
    from allauth.account import app_settings
    from allauth.core.internal.ratelimit import parse_rates

    rates = parse_rates(app_settings.RATE_LIMITS.get("login_failed"))
    minutes = max(1, math.ceil(max((rate.duration for rate in rates), default=300) / 60))
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


class AccountAdapter(DefaultAccountAdapter):
    """Program rules on top of allauth: school email domains only (when configured) unless invited,
    every allauth mail queued through notifications, onboarding after the first sign-in."""

    def _invited_email(self) -> str | None:
        request = getattr(self, "request", None)
        session = getattr(request, "session", None)
        return session.get(INVITATION_SESSION_KEY) if session is not None else None

    def validation_error(self, code: str, *args: Any) -> forms.ValidationError:
        """allauth's "Try again later" after too many failed sign-ins says how long to wait."""
        if code == "too_many_login_attempts":
            return forms.ValidationError(
                f"Too many failed sign-in attempts. Try again in {login_lockout_wait()}.", code=code
            )
        error: forms.ValidationError = super().validation_error(code, *args)
        return error

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        """No password sign-up when the school's sign-in is the only way in (SSO_ONLY)."""
        return not settings.SSO_ONLY and super().is_open_for_signup(request)

    def clean_email(self, email: str) -> str:
        email = super().clean_email(email)
        allowed = settings.SCHOOL_EMAIL_DOMAINS
        domain = email.rsplit("@", 1)[-1].lower()
        invited = (self._invited_email() or "").lower() == email.lower()
        if allowed and domain not in allowed and not invited:
            raise forms.ValidationError(
                "Please sign up with your school email address (%(domains)s).",
                params={"domains": ", ".join(f"@{d}" for d in allowed)},
            )
        return email

    def save_user(self, request: HttpRequest, user: "User", form: forms.Form, commit: bool = True) -> "User":
        user = super().save_user(request, user, form, commit=commit)
        invited = request.session.get(INVITATION_SESSION_KEY) if hasattr(request, "session") else None
        if commit and invited and invited.lower() == user.email.lower():
            from accounts.services import mark_invitation_accepted

            # The session key stays: allauth re-checks the address with clean_email() after this.
            mark_invitation_accepted(email=user.email)
        return user

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        """Render exactly what allauth would send, then queue it: delivered by Celery after commit."""
        from allauth.account.adapter import get_current_site
        from allauth.core import context as allauth_context

        from accounts.models import User
        from notifications.services import queue_email

        request = allauth_context.request
        ctx = {"request": request, "email": email, "current_site": get_current_site(request)}
        ctx.update(context)
        # allauth greets with the request's host ("Hello from localhost:8100!"): use the program's name.
        ctx["current_site"] = ProgramSite(name=settings.PROGRAM_NAME, domain=urlsplit(settings.SITE_URL).netloc)
        message = self.render_mail(template_prefix, email, ctx)
        html = next((content for content, mimetype in getattr(message, "alternatives", []) if mimetype == "text/html"), "")
        if message.content_subtype == "html":
            text, html = "", message.body
        else:
            text = message.body
        recipient = User.objects.filter(email__iexact=email).first()
        queue_email(
            to=recipient or email,
            kind=template_prefix.replace("/email/", "_").replace("/", "_")[:50],
            subject=message.subject,
            body_text=text,
            body_html=html,
        )

    def get_login_redirect_url(self, request: HttpRequest) -> str:
        from accounts.permissions import needs_onboarding

        if needs_onboarding(request.user):
            return reverse("accounts:onboarding")
        return super().get_login_redirect_url(request)
