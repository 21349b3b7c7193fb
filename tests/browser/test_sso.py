"""Signing in through the school's identity provider, in Chromium, against real IdPs started by
the test: pysaml2's SAML IdP and oidc-provider-mock's OpenID Connect provider (see
tests/support/identity_providers.py). The platform side is django-allauth's own providers."""

import re

import pytest
from allauth.socialaccount.models import SocialAccount
from django.test import Client, override_settings

from accounts.models import User
from tests.support.identity_providers import SamlPerson, saml_identity_provider

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REFUSED = "Your school's sign-in did not say who you are; contact"


def saml_providers_setting(idp) -> dict:
    """SOCIALACCOUNT_PROVIDERS as mentorship/settings.py builds it from SSO_SAML_METADATA_URL."""
    from django.conf import settings

    providers = {key: dict(value) for key, value in settings.SOCIALACCOUNT_PROVIDERS.items()}
    providers["saml"]["APPS"] = [{
        "provider": "saml",
        "client_id": "school",
        "name": "Test School",
        "settings": {
            "idp": {"entity_id": idp.entity_id, "metadata_url": f"{idp.base_url}/metadata"},
            "attribute_mapping": {
                "email": ["urn:oid:0.9.2342.19200300.100.1.3"],
                "first_name": ["urn:oid:2.5.4.42"],
                "last_name": ["urn:oid:2.5.4.4"],
                "graduation_year": ["classOf"],
                "affiliation": ["urn:oid:1.3.6.1.4.1.5923.1.1.1.1"],
            },
            "advanced": {"want_assertion_signed": True, "reject_idp_initiated_sso": True, "strict": True},
        },
    }]
    return providers


@pytest.fixture
def saml_idp(live_server, tmp_path):
    """pysaml2's IdP, trusted by the platform (settings) and trusting the platform (its SP metadata)."""
    with saml_identity_provider(tmp_path) as idp:
        with override_settings(SOCIALACCOUNT_PROVIDERS=saml_providers_setting(idp)):
            host = live_server.url.split("://", 1)[1]
            metadata = Client(HTTP_HOST=host).get("/accounts/saml/school/metadata/")
            assert metadata.status_code == 200, metadata.content
            idp.sp_metadata = metadata.content.decode()
            yield idp


def sign_in_at_school(page, idp, *, expect_back: str = "**/*") -> None:
    page.goto("/accounts/login/")
    page.get_by_role("button", name="Sign in with Test School").click()
    page.get_by_role("button", name="Sign in at the school").click()
    page.get_by_role("button", name="Continue to the program").click()
    page.wait_for_load_state()


def test_a_first_school_sign_in_creates_a_verified_account_and_prefills_onboarding(page, saml_idp):
    saml_idp.person = SamlPerson(email="ada@school.edu", given_name="Ada", surname="Okafor", class_of="Class of 2028")

    sign_in_at_school(page, saml_idp)

    page.wait_for_url(re.compile(r"/onboarding/"))
    assert page.get_by_label("First name").input_value() == "Ada"
    assert page.get_by_label("Last name").input_value() == "Okafor"
    assert page.get_by_label("Expected graduation year").input_value() == "2028"
    user = User.objects.get(email="ada@school.edu")
    assert user.emailaddress_set.get().verified
    assert SocialAccount.objects.get(user=user).provider == "saml"
