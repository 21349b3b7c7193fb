"""Single sign-on rules that need no identity provider: SSO_ONLY, the settings that describe the
school's IdP, and reading a graduation year from what an IdP sends. The sign-ins themselves
run against real IdPs in tests/browser/test_sso.py."""

import pytest
from django.test import override_settings
from django.urls import reverse

from accounts.class_year import graduation_year_for
from accounts.models import User
from accounts.sso.adapter import graduation_year_from
from tests.factories import PASSWORD, MenteeFactory, ProgramAdminFactory
from tests.support.identity_providers import write_test_keys

pytestmark = pytest.mark.django_db


@override_settings(SSO_ONLY=True, SSO_SCHOOL_NAME="Baylor")
def test_with_sso_only_a_student_cannot_sign_in_with_a_password(client):
    student = MenteeFactory()

    response = client.post(reverse("account_login"), {"login": student.email, "password": PASSWORD})

    assert response.status_code == 200
    assert "Students sign in with Baylor" in response.content.decode()
    assert "_auth_user_id" not in client.session


@override_settings(SSO_ONLY=True)
def test_with_sso_only_a_program_admin_keeps_the_break_glass_password_sign_in(client):
    admin = ProgramAdminFactory()

    response = client.post(reverse("account_login"), {"login": admin.email, "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")  # on to the admin's TOTP code


@override_settings(SSO_ONLY=True)
def test_with_sso_only_password_sign_up_is_closed(client):
    page = client.get(reverse("account_signup"))
    client.post(reverse("account_signup"), {"email": "new@school.edu", "password1": "a-long-passphrase-1", "password2": "a-long-passphrase-1"})

    assert "Sign Up Closed" in page.content.decode()
    assert not User.objects.filter(email="new@school.edu").exists()


def test_without_sso_only_students_still_sign_in_with_a_password(client):
    student = MenteeFactory()

    response = client.post(reverse("account_login"), {"login": student.email, "password": PASSWORD})

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(student.pk)


@pytest.mark.parametrize(("sent", "year"), [
    ("2028", 2028),
    ("Class of 2029", 2029),
    ("MS2", graduation_year_for(2)),
    ("oms4", graduation_year_for(4)),
    ("", None),
    ("first year", None),
])
def test_a_graduation_year_is_read_from_what_the_idp_sends(sent, year):
    assert graduation_year_from(sent) == year


IDP_METADATA = """<?xml version="1.0"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#"
    entityID="https://idp.school.edu/idp/shibboleth">
  <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>{cert}</ds:X509Certificate>
    </ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
        Location="https://idp.school.edu/idp/profile/SAML2/Redirect/SSO"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>
"""


def test_the_school_idp_is_read_from_a_metadata_file_with_the_attribute_mapping(monkeypatch, tmp_path):
    import environ

    from config import sso

    _, cert_file = write_test_keys(tmp_path, "idp.school.edu")
    cert = "".join(line for line in cert_file.read_text().splitlines() if "CERTIFICATE" not in line)
    metadata = tmp_path / "idp-metadata.xml"
    metadata.write_text(IDP_METADATA.format(cert=cert))
    monkeypatch.setenv("SSO_SAML_METADATA_FILE", str(metadata))
    monkeypatch.setenv("SSO_SAML_ATTR_GRADUATION_YEAR", "urn:oid:1.3.6.1.4.1.99999.1,classOf")

    app = sso.saml_app(environ.Env(), slug="school", school_name="Test School")

    assert app["settings"]["idp"] == {
        "entity_id": "https://idp.school.edu/idp/shibboleth",
        "sso_url": "https://idp.school.edu/idp/profile/SAML2/Redirect/SSO",
        "x509cert": cert,
    }
    assert app["settings"]["attribute_mapping"]["graduation_year"] == ["urn:oid:1.3.6.1.4.1.99999.1", "classOf"]
    assert app["settings"]["advanced"]["want_assertion_signed"] is True


def test_the_school_openid_provider_is_read_from_issuer_client_id_and_secret(monkeypatch):
    import environ

    from config import sso

    monkeypatch.setenv("SSO_OIDC_ISSUER", "https://login.microsoftonline.com/tenant-id/v2.0")
    monkeypatch.setenv("SSO_OIDC_CLIENT_ID", "client-id")
    monkeypatch.setenv("SSO_OIDC_CLIENT_SECRET", "client-secret")

    app = sso.oidc_app(environ.Env(), provider_id="school", school_name="Test School")

    assert (app["client_id"], app["secret"], app["settings"]["server_url"]) == (
        "client-id", "client-secret", "https://login.microsoftonline.com/tenant-id/v2.0"
    )


@pytest.mark.parametrize(("extra_data", "asserted"), [
    ({"_authn_context_class_refs": ["https://refeds.org/profile/mfa"]}, True),  # Shibboleth, REFEDS MFA
    ({"_authn_context_class_refs": ["urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"]}, False),
    ({"http://schemas.microsoft.com/claims/authnmethodsreferences": [  # Entra ID (SAML)
        "http://schemas.microsoft.com/ws/2008/06/identity/authenticationmethod/password",
        "http://schemas.microsoft.com/claims/multipleauthn",
    ]}, True),
    ({"id_token": {"amr": ["pwd", "mfa"]}}, True),  # OpenID Connect
    ({"id_token": {"amr": ["pwd"], "acr": "1"}}, False),
    ({"id_token": {"acr": "https://refeds.org/profile/mfa"}}, True),
])
def test_what_counts_as_the_idp_having_done_mfa(extra_data, asserted):
    from types import SimpleNamespace

    from accounts.sso.adapter import idp_asserted_mfa

    assert idp_asserted_mfa(SimpleNamespace(account=SimpleNamespace(extra_data=extra_data))) is asserted


def _school_idp(name: str = "Baylor"):
    from allauth.socialaccount.models import SocialApp

    return SocialApp.objects.create(
        provider="openid_connect", provider_id="school", name=name, client_id="platform",
        secret="not-a-real-secret", settings={"server_url": "https://login.school.edu/tenant/v2.0"},
    )


def test_the_sign_in_page_offers_the_school_first_and_lets_its_form_go_on_to_the_idp(client):
    _school_idp()

    response = client.get(reverse("account_login"))

    page = response.content.decode()
    assert page.index("Sign in with Baylor") < page.index('name="password"')
    assert "https://login.school.edu" in response["Content-Security-Policy"].split("form-action", 1)[1].split(";")[0]


@override_settings(SSO_ONLY=True)
def test_with_sso_only_the_sign_in_page_keeps_the_password_form_only_as_the_break_glass(client):
    _school_idp()

    page = client.get(reverse("account_login")).content.decode()

    assert "Sign in with Baylor" in page
    assert "Program office sign-in (break-glass)" in page
    assert reverse("account_signup") not in page.split("<main", 1)[1]


@override_settings(ALLOWED_HOSTS=["mentoring.school.edu"])
def test_the_sp_metadata_url_gives_the_school_the_entity_id_and_the_assertion_consumer_service(client, tmp_path):
    from allauth.socialaccount.models import SocialApp

    _, cert_file = write_test_keys(tmp_path, "idp.school.edu")
    cert = "".join(line for line in cert_file.read_text().splitlines() if "CERTIFICATE" not in line)
    SocialApp.objects.create(provider="saml", client_id="school", name="Baylor", settings={"idp": {
        "entity_id": "https://idp.school.edu/idp/shibboleth", "x509cert": cert,
        "sso_url": "https://idp.school.edu/idp/profile/SAML2/Redirect/SSO",
    }})

    response = client.get("/accounts/saml/school/metadata/", HTTP_HOST="mentoring.school.edu")

    metadata = response.content.decode()
    assert response.status_code == 200
    assert 'entityID="http://mentoring.school.edu/accounts/saml/school/metadata/"' in metadata
    assert 'Location="http://mentoring.school.edu/accounts/saml/school/acs/"' in metadata


def test_a_used_assertion_id_is_refused_and_expired_ones_are_forgotten():
    import datetime as dt

    from accounts.models import SeenAssertion
    from accounts.sso.providers import _first_use

    later = int((dt.datetime.now(dt.UTC) + dt.timedelta(minutes=5)).timestamp())
    SeenAssertion.objects.create(assertion_id="_old", provider="school", expires_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))

    assert [_first_use("_a1", "school", later), _first_use("_a1", "school", later), _first_use("_a2", "school", None)] == [
        True, False, True
    ]
    assert sorted(SeenAssertion.objects.values_list("assertion_id", flat=True)) == ["_a1", "_a2"]
