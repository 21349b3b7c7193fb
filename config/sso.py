"""The school's identity providers for django-allauth's socialaccount, read from the environment
(docs/sso.md): a SAML IdP by metadata URL or file, and/or an OpenID Connect issuer. Part of the
settings (config/settings.py calls socialaccount_providers once, at start-up).
"""

from pathlib import Path

import environ


def _attribute(env: environ.Env, name: str, default: list[str]) -> list[str]:
    return env.list(name, default=default)


def saml_app(env: environ.Env, *, slug: str, school_name: str) -> dict | None:
    """The SAML IdP from the environment: a metadata URL, or a metadata file read now."""
    metadata_url = env.str("SSO_SAML_METADATA_URL", default="")
    metadata_file = env.str("SSO_SAML_METADATA_FILE", default="")
    entity_id = env.str("SSO_SAML_IDP_ENTITY_ID", default="")
    if not (metadata_url or metadata_file):
        return None
    if metadata_url:
        idp = {"entity_id": entity_id, "metadata_url": metadata_url}
    else:
        from onelogin.saml2.idp_metadata_parser import OneLogin_Saml2_IdPMetadataParser

        parsed = OneLogin_Saml2_IdPMetadataParser.parse(
            Path(metadata_file).read_text(), entity_id=entity_id or None
        )["idp"]
        idp = {
            "entity_id": parsed["entityId"],
            "sso_url": parsed["singleSignOnService"]["url"],
            "x509cert": parsed.get("x509cert") or parsed["x509certMulti"]["signing"][0],
        }
    return {
        "provider": "saml",
        "client_id": slug,
        "name": school_name,
        "settings": {
            "idp": idp,
            # Empty: the SP metadata URL is the entity id (allauth's default).
            "sp": {"entity_id": env.str("SSO_SAML_SP_ENTITY_ID", default="") or None},
            "attribute_mapping": {
                "uid": _attribute(env, "SSO_SAML_ATTR_UID", ["urn:oid:1.3.6.1.4.1.5923.1.1.1.6", "urn:oasis:names:tc:SAML:attribute:subject-id"]),
                "email": _attribute(env, "SSO_SAML_ATTR_EMAIL", [
                    "urn:oid:0.9.2342.19200300.100.1.3", "mail", "email",
                    "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
                ]),
                "first_name": _attribute(env, "SSO_SAML_ATTR_GIVEN_NAME", [
                    "urn:oid:2.5.4.42", "givenName",
                    "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname",
                ]),
                "last_name": _attribute(env, "SSO_SAML_ATTR_SURNAME", [
                    "urn:oid:2.5.4.4", "sn", "surname",
                    "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname",
                ]),
                "graduation_year": _attribute(env, "SSO_SAML_ATTR_GRADUATION_YEAR", []),
                "affiliation": _attribute(env, "SSO_SAML_ATTR_AFFILIATION", [
                    "urn:oid:1.3.6.1.4.1.5923.1.1.1.9", "eduPersonScopedAffiliation",
                ]),
            },
            "advanced": {
                "want_assertion_signed": env.bool("SSO_SAML_WANT_ASSERTION_SIGNED", default=True),
                "reject_idp_initiated_sso": True,  # every response must answer a request we made
                "strict": True,
            },
        },
    }


def oidc_app(env: environ.Env, *, provider_id: str, school_name: str) -> dict | None:
    """The OpenID Connect provider from the environment: its issuer, client id and secret."""
    issuer = env.str("SSO_OIDC_ISSUER", default="")
    if not issuer:
        return None
    return {
        "provider": "openid_connect",
        "provider_id": provider_id,
        "name": school_name,
        "client_id": env.str("SSO_OIDC_CLIENT_ID"),
        "secret": env.str("SSO_OIDC_CLIENT_SECRET"),
        "settings": {
            "server_url": issuer,
            "oauth_pkce_enabled": True,
            "graduation_year_claim": env.str("SSO_OIDC_CLAIM_GRADUATION_YEAR", default=""),
            "affiliation_claim": env.str("SSO_OIDC_CLAIM_AFFILIATION", default=""),
        },
    }


def socialaccount_providers(env: environ.Env, *, saml_slug: str, oidc_provider_id: str, school_name: str) -> dict:
    """SOCIALACCOUNT_PROVIDERS: the school's SAML IdP and OpenID provider, each if configured."""
    saml = saml_app(env, slug=saml_slug, school_name=school_name)
    oidc = oidc_app(env, provider_id=oidc_provider_id, school_name=school_name)
    return {
        # Our subclass records assertion ids (replays) and the authentication context (MFA).
        "saml": {"provider_class": "accounts.sso.providers.SchoolSAMLProvider", "APPS": [saml] if saml else []},
        "openid_connect": {"APPS": [oidc] if oidc else []},
    }
