from allauth.account.adapter import DefaultAccountAdapter
from django import forms
from django.conf import settings


class AccountAdapter(DefaultAccountAdapter):
    """Program rules on top of allauth: school email domains only, when configured."""

    def clean_email(self, email: str) -> str:
        email = super().clean_email(email)
        allowed = settings.SCHOOL_EMAIL_DOMAINS
        domain = email.rsplit("@", 1)[-1].lower()
        if allowed and domain not in allowed:
            raise forms.ValidationError(
                "Please sign up with your school email address (%(domains)s).",
                params={"domains": ", ".join(f"@{d}" for d in allowed)},
            )
        return email
