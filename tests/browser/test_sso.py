"""Signing in through the school's identity provider, in Chromium, against real IdPs started by
the test: pysaml2's SAML IdP and oidc-provider-mock's OpenID Connect provider (see
tests/support/identity_providers.py). The platform side is django-allauth's own providers."""

import re

import pytest
from allauth.socialaccount.models import SocialAccount, SocialApp
from django.test import Client, override_settings

from accounts.class_year import graduation_year_for
from accounts.middleware import MFA_MESSAGE
from accounts.models import SeenAssertion, SignInRefusal, User
from tests.factories import ProgramAdminFactory, UserFactory
from tests.support.identity_providers import REFEDS_MFA, SamlPerson, oidc_provider, saml_identity_provider

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REFUSED = "Your school's sign-in did not say who you are; contact"


def saml_providers_setting(idp) -> dict:
    """SOCIALACCOUNT_PROVIDERS as config/settings.py builds it from SSO_SAML_METADATA_URL."""
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


def test_a_school_sign_in_links_the_existing_account_with_the_same_verified_email(page, saml_idp):
    existing = UserFactory(email="grace@school.edu", first_name="Grace")
    saml_idp.person = SamlPerson(email="grace@school.edu", given_name="Grace", surname="Hopper")

    sign_in_at_school(page, saml_idp)

    page.wait_for_url(re.compile(r"/dashboard/|/$"))
    assert User.objects.filter(email__iexact="grace@school.edu").count() == 1
    assert SocialAccount.objects.get(provider="saml").user == existing


def _answer_unsigned(idp):
    idp.sign = False


def _answer_expired(idp):
    idp.expired = True


def _answer_for_another_audience(idp):
    idp.audience = "https://another-app.example.edu/shibboleth"


def _answer_without_email(idp):
    idp.person = SamlPerson(email=None, given_name="No", surname="Email")


@pytest.mark.parametrize(("spoil", "reason", "detail"), [
    (_answer_unsigned, SignInRefusal.Reason.INVALID, "not signed"),
    (_answer_expired, SignInRefusal.Reason.INVALID, "expired"),
    (_answer_for_another_audience, SignInRefusal.Reason.INVALID, "audience"),
    (_answer_without_email, SignInRefusal.Reason.NO_EMAIL, "uid"),
])
def test_a_bad_school_answer_gets_a_clear_page_no_account_and_a_logged_refusal(page, saml_idp, spoil, reason, detail):
    saml_idp.person = SamlPerson(email="mallory@school.edu", given_name="Mal", surname="Lory")
    spoil(saml_idp)

    sign_in_at_school(page, saml_idp)

    assert REFUSED in page.get_by_role("alert").inner_text()
    assert not User.objects.exists()
    assert not SocialAccount.objects.exists()
    refusal = SignInRefusal.objects.get()  # what the admin sees, with the library's reason
    assert (refusal.reason, detail in refusal.detail) == (reason, True)


def test_a_replayed_school_answer_is_refused_even_after_it_once_signed_someone_in(page, saml_idp):
    saml_idp.person = SamlPerson(email="ada@school.edu", given_name="Ada", surname="Okafor")
    sign_in_at_school(page, saml_idp)
    page.wait_for_url(re.compile(r"/onboarding/"))
    assert SeenAssertion.objects.count() == 1

    page.context.clear_cookies()  # another browser, holding a copy of the same signed answer
    page.goto(f"{saml_idp.base_url}/last-answer")
    page.get_by_role("button", name="Continue to the program").click()
    page.wait_for_load_state()

    assert REFUSED in page.get_by_role("alert").inner_text()
    assert list(SignInRefusal.objects.values_list("reason", flat=True)) == [SignInRefusal.Reason.REPLAYED]
    assert User.objects.count() == 1


@pytest.mark.parametrize(("trust_idp_mfa", "authn_context", "needs_totp"), [
    (True, REFEDS_MFA, False),  # the IdP did MFA and the program trusts it
    (True, "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport", True),  # password only
    (False, REFEDS_MFA, True),  # the program insists on its own TOTP
])
def test_a_program_admin_signing_in_at_school_still_needs_a_second_factor(
    page, saml_idp, trust_idp_mfa, authn_context, needs_totp
):
    ProgramAdminFactory(email="dean@school.edu", mfa=False)
    saml_idp.person = SamlPerson(email="dean@school.edu", given_name="Dee", surname="Ann", affiliation="staff")
    saml_idp.authn_context = authn_context

    with override_settings(SSO_TRUST_IDP_MFA=trust_idp_mfa):
        sign_in_at_school(page, saml_idp)
        page.goto("/program/people/")

    sent_to_set_up_totp = MFA_MESSAGE in page.content()  # on the way to /accounts/2fa/totp/activate/
    assert (sent_to_set_up_totp, "/program/people/" in page.url) == (needs_totp, not needs_totp)


@pytest.fixture
def oidc_school(live_server):
    """oidc-provider-mock as the school's OpenID Connect provider, added by a program admin as a
    SocialApp in the Django admin (the other way to configure an IdP)."""
    users = {
        "ada": {"email": "ada@school.edu", "given_name": "Ada", "family_name": "Okafor", "class_of": "MS2"},
        "dean": {"email": "dean@school.edu", "given_name": "Dee", "family_name": "Ann", "amr": ["pwd", "mfa"]},
        "nobody": {"given_name": "No", "family_name": "Email"},
    }
    with oidc_provider(users) as issuer:
        SocialApp.objects.create(
            provider="openid_connect", provider_id="school-oidc", name="Test School",
            client_id="mentoring-platform", secret="not-a-real-secret",
            settings={"server_url": issuer, "graduation_year_claim": "class_of"},
        )
        yield issuer


def sign_in_with_oidc(page, sub: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_role("button", name="Sign in with Test School").click()
    page.get_by_role("button", name=sub, exact=True).click()
    page.wait_for_load_state()


def test_a_first_openid_connect_sign_in_creates_the_account_and_prefills_onboarding(page, oidc_school):
    sign_in_with_oidc(page, "ada")

    page.wait_for_url(re.compile(r"/onboarding/"))
    assert page.get_by_label("First name").input_value() == "Ada"
    assert page.get_by_label("Expected graduation year").input_value() == str(graduation_year_for(2))
    user = User.objects.get(email="ada@school.edu")
    assert user.emailaddress_set.get().verified
    assert SocialAccount.objects.get(user=user).provider == "school-oidc"


def test_an_openid_connect_answer_without_an_email_is_refused_and_logged(page, oidc_school):
    sign_in_with_oidc(page, "nobody")

    assert REFUSED in page.get_by_role("alert").inner_text()
    assert not User.objects.exists()
    assert SignInRefusal.objects.get().reason == SignInRefusal.Reason.NO_EMAIL


@override_settings(SSO_TRUST_IDP_MFA=True)
def test_a_program_admin_whose_openid_provider_asserts_mfa_in_amr_needs_no_totp_here(page, oidc_school):
    ProgramAdminFactory(email="dean@school.edu", mfa=False)

    sign_in_with_oidc(page, "dean")
    page.goto("/program/people/")

    assert "/program/people/" in page.url
    assert MFA_MESSAGE not in page.content()
