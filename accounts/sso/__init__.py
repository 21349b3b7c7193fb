"""Single sign-on through the school's identity provider, on django-allauth's own SAML and OpenID
Connect providers (docs/sso.md). This package only adds the program's rules around them:
who may be created or linked, what is refused and logged, and when the IdP's MFA counts."""
