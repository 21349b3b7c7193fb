"""Real identity providers for the SSO tests, each in a thread on 127.0.0.1 with its own keys.

- `SamlIdentityProvider`: pysaml2's IdP (`saml2.server.Server`, signing with the xmlsec1 binary)
  behind a small WSGI app: /metadata, /sso/redirect (a sign-in page), /sso/login (answers the
  SP with a signed SAML response in an HTML form, like Shibboleth without JavaScript). What the
  next answer says (who, signed or not, expired, for which audience, which AuthnContextClassRef)
  is set on the object by the test; the last answer is kept so a test can replay it.
- `oidc_provider`: oidc-provider-mock's OpenID Connect provider (Authlib), with predefined users.
"""

from __future__ import annotations

import datetime as dt
import html
import shutil
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs
from wsgiref.simple_server import WSGIRequestHandler, make_server

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

PASSWORD_PROTECTED_TRANSPORT = "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"
REFEDS_MFA = "https://refeds.org/profile/mfa"


def write_test_keys(folder: Path, common_name: str) -> tuple[Path, Path]:
    """A fresh RSA key and self-signed certificate (PEM files) for a test IdP."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30)).sign(key, hashes.SHA256())
    )
    key_path, cert_path = folder / "idp.key", folder / "idp.crt"
    key_path.write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption()
    ))
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return key_path, cert_path


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, *args) -> None:
        pass


@dataclass
class SamlPerson:
    email: str | None
    given_name: str = ""
    surname: str = ""
    class_of: str = ""
    affiliation: str = "student"

    def attributes(self) -> dict[str, list[str]]:
        ava = {"givenName": [self.given_name], "sn": [self.surname], "eduPersonAffiliation": [self.affiliation]}
        if self.email:
            ava["mail"] = [self.email]
        if self.class_of:
            ava["classOf"] = [self.class_of]
        return ava


@dataclass
class SamlIdentityProvider:
    """pysaml2's IdP. Set `person` and the knobs, then sign in through /sso/redirect."""

    folder: Path
    person: SamlPerson = field(default_factory=lambda: SamlPerson(email="student@school.edu"))
    sign: bool = True
    expired: bool = False
    audience: str | None = None  # None: the SP that asked
    authn_context: str = PASSWORD_PROTECTED_TRANSPORT
    last_answer_html: str = ""
    base_url: str = ""
    sp_metadata: str = ""
    _metadata: str = ""

    def __post_init__(self) -> None:
        if not shutil.which("xmlsec1"):
            import pytest

            pytest.skip("needs the xmlsec1 binary for pysaml2's IdP: apt-get install xmlsec1")
        self.key_file, self.cert_file = write_test_keys(self.folder, "test-idp")

    @property
    def entity_id(self) -> str:
        return f"{self.base_url}/metadata"

    def _server(self, *, lifetime_minutes: int = 5):
        from saml2 import BINDING_HTTP_REDIRECT
        from saml2.config import IdPConfig
        from saml2.saml import NAME_FORMAT_URI
        from saml2.server import Server

        config = IdPConfig()
        config.load({
            "entityid": self.entity_id,
            "service": {"idp": {
                "endpoints": {"single_sign_on_service": [(f"{self.base_url}/sso/redirect", BINDING_HTTP_REDIRECT)]},
                "policy": {"default": {"lifetime": {"minutes": lifetime_minutes}, "name_form": NAME_FORMAT_URI}},
                "want_authn_requests_signed": False,
            }},
            "key_file": str(self.key_file),
            "cert_file": str(self.cert_file),
            "xmlsec_binary": shutil.which("xmlsec1"),
            "metadata": {"inline": self._known_service_providers()} if self.sp_metadata else {},
        })
        return Server(config=config)

    def _known_service_providers(self) -> list[str]:
        """The platform's SP metadata; with `audience` set, also another SP of that entity id."""
        import re

        known = [self.sp_metadata]
        if self.audience:
            known.append(re.sub(r'entityID="[^"]*"', f'entityID="{self.audience}"', self.sp_metadata, count=1))
        return known

    def metadata_xml(self) -> str:
        """Its metadata, built once (the keys and the address do not change while it runs)."""
        from saml2.metadata import entity_descriptor

        if not self._metadata:
            self._metadata = str(entity_descriptor(self._server().config))
        return self._metadata

    def _answer(self, saml_request: str, relay_state: str) -> str:
        from saml2 import BINDING_HTTP_REDIRECT
        from saml2.saml import NAMEID_FORMAT_TRANSIENT, NameID

        server = self._server(lifetime_minutes=-10 if self.expired else 5)
        request = server.parse_authn_request(saml_request, BINDING_HTTP_REDIRECT).message
        acs_url = request.assertion_consumer_service_url
        response = server.create_authn_response(
            self.person.attributes(),
            in_response_to=request.id,
            destination=acs_url,
            sp_entity_id=self.audience or request.issuer.text,
            name_id=NameID(format=NAMEID_FORMAT_TRANSIENT, text=f"nid-{self.person.email or 'nobody'}"),
            authn={"class_ref": self.authn_context, "authn_auth": self.entity_id},
            sign_assertion=self.sign,
            sign_response=self.sign,
            sign_alg="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
            digest_alg="http://www.w3.org/2001/04/xmlenc#sha256",
        )
        import base64

        encoded = base64.b64encode(str(response).encode()).decode()
        self.last_answer_html = (
            "<!doctype html><title>Test IdP</title><h1>Signed in at the test IdP</h1>"
            f'<form method="post" action="{html.escape(acs_url)}">'
            f'<input type="hidden" name="SAMLResponse" value="{encoded}">'
            f'<input type="hidden" name="RelayState" value="{html.escape(relay_state)}">'
            '<button type="submit">Continue to the program</button></form>'
        )
        return self.last_answer_html

    def wsgi(self, environ, start_response):
        path = environ["PATH_INFO"]
        if path == "/metadata":
            start_response("200 OK", [("Content-Type", "application/samlmetadata+xml")])
            return [self.metadata_xml().encode()]
        if path == "/sso/redirect":  # the IdP's own sign-in page (it trusts whoever clicks)
            query = environ.get("QUERY_STRING", "")
            start_response("200 OK", [("Content-Type", "text/html")])
            return [(
                "<!doctype html><title>Test IdP</title><h1>School sign-in</h1>"
                f'<form method="post" action="/sso/login?{html.escape(query)}">'
                '<button type="submit">Sign in at the school</button></form>'
            ).encode()]
        if path == "/sso/login":
            query = parse_qs(environ.get("QUERY_STRING", ""))
            body = self._answer(query["SAMLRequest"][0], query.get("RelayState", [""])[0])
            start_response("200 OK", [("Content-Type", "text/html")])
            return [body.encode()]
        if path == "/last-answer":  # the same signed answer again: a replay
            start_response("200 OK", [("Content-Type", "text/html")])
            return [self.last_answer_html.encode()]
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"not found"]


@contextmanager
def saml_identity_provider(folder: Path):
    """Start pysaml2's IdP on a free port of 127.0.0.1; yields the SamlIdentityProvider."""
    idp = SamlIdentityProvider(folder=folder)
    server = make_server("127.0.0.1", 0, idp.wsgi, handler_class=_QuietHandler)
    idp.base_url = f"http://127.0.0.1:{server.server_port}"
    idp.metadata_xml()  # built before serving: the platform's fetch of it has a 10 s timeout (allauth)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield idp
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@contextmanager
def oidc_provider(users: dict[str, dict]):
    """oidc-provider-mock's OpenID Connect provider; `users` maps each sub to its claims."""
    import os

    from oidc_provider_mock import User, run_server_in_thread

    previous = os.environ.get("AUTHLIB_INSECURE_TRANSPORT")
    os.environ["AUTHLIB_INSECURE_TRANSPORT"] = "1"  # plain http on the loopback, in tests only
    try:
        with run_server_in_thread(user_claims=[User(sub=sub, claims=claims) for sub, claims in users.items()]) as server:
            yield f"http://localhost:{server.server_port}"
    finally:
        if previous is None:
            os.environ.pop("AUTHLIB_INSECURE_TRANSPORT", None)
        else:
            os.environ["AUTHLIB_INSECURE_TRANSPORT"] = previous
