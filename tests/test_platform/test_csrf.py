"""CSRF: every POST without a token is refused before the view runs, for every role, changing nothing."""

import pytest
from django.urls import get_resolver, reverse

from tests.test_platform.authorization import (
    ROLES,
    _walk_callbacks,
    all_urls,
    build_world,
    client_for,
    fingerprint,
    url_for,
)

pytestmark = pytest.mark.django_db

# Views that accept a POST without a CSRF token, and why. Keep it that way or say why here.
_API = "the API (docs/api.md): its credential is a bearer token, never a cookie, which a cross-site request cannot carry"
CSRF_EXEMPT = {
    # allauth's SAML endpoints receive the school IdP's cross-site POST; what protects them is the
    # IdP's signature and the InResponseTo bound to this browser's session (docs/sso.md, tests/browser/test_sso.py).
    "saml_acs": "the IdP posts the signed SAML response here",
    "saml_sls": "the IdP posts single-logout messages here",
    **{name: _API for name in (
        "api-v1:sessions", "api-v1:session", "api-v1:occurrences", "api-v1:occurrence",
        "api-v1:student_bookings", "api-v1:student_attendance", "api-v1:figures", "api-v1:roster",
    )},
}  # fmt: skip


def test_only_the_documented_views_skip_csrf_protection():
    exempt = sorted(name for name, callback in _walk_callbacks(get_resolver().url_patterns)
                    if getattr(callback, "csrf_exempt", False))  # fmt: skip

    assert exempt == sorted(CSRF_EXEMPT)


@pytest.mark.parametrize("role", ROLES)
def test_a_post_without_a_csrf_token_is_refused_everywhere_and_changes_nothing(role):
    world = build_world()
    client = client_for(world, role, enforce_csrf_checks=True)
    before = fingerprint(include_audit=True)
    accepted = []

    for name, route in all_urls().items():
        if name in CSRF_EXEMPT:
            continue
        response = client.post(url_for(name, route, world), {"decision": "approve", "class_year": "4"})
        # The API's operations refuse a request without a token (401), or a method they do not take (405).
        refused = (401, 405) if name in CSRF_EXEMPT else (403,)
        if response.status_code not in refused:
            accepted.append(f"{name}: {response.status_code}")

    assert accepted == []
    assert fingerprint(include_audit=True) == before


def test_the_same_post_with_the_pages_csrf_token_goes_through():
    # The control for the test above: its 403s come from the missing token, not from the views.
    world = build_world()
    client = client_for(world, "other_mentee", enforce_csrf_checks=True)
    occurrence = world["occurrence"]
    client.get(reverse("sessions:occurrence", kwargs={"pk": occurrence.pk}))

    response = client.post(
        reverse("sessions:book", kwargs={"pk": occurrence.pk}), {"csrfmiddlewaretoken": client.cookies["csrftoken"].value}
    )

    assert response.status_code == 302
    assert occurrence.bookings.filter(mentee=world["other_mentee"]).exists()
