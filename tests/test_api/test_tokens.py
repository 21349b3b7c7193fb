"""API tokens: made by program admins, shown once, kept only as a hash, revocable, last use shown."""

import hashlib
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from api.models import ApiToken
from api.services import authenticate, create_token, revoke_token
from tests.factories import MentorFactory, ProgramAdminFactory

pytestmark = pytest.mark.django_db

TOKEN_IN_PAGE = re.compile(r'<code id="new-token"[^>]*>(pm_[0-9a-f]{12}_[A-Za-z0-9_-]{43})</code>')


def _create_on_page(client, **data):
    return client.post(reverse("api:tokens"), {"name": "Advising", "access": "read", **data})


def test_a_program_admin_creates_a_token_on_the_page_and_sees_it_once(client):
    client.force_login(ProgramAdminFactory())

    created = _create_on_page(client, education_records="on")
    raw = TOKEN_IN_PAGE.search(created.content.decode()).group(1)
    later = client.get(reverse("api:tokens")).content.decode()

    assert created.status_code == 201
    assert client.get(reverse("api-v1:sessions"), headers={"Authorization": f"Bearer {raw}"}).status_code == 200
    assert raw not in later
    assert "Advising" in later and "read, education_records" in later


def test_only_the_sha256_of_a_token_is_stored_never_the_token(client):
    token, raw = create_token(name="Advising", access="read", education_records=False, created_by=ProgramAdminFactory())

    row = ApiToken.objects.values().get(pk=token.pk)

    assert row["secret_hash"] == hashlib.sha256(raw.encode()).hexdigest()
    assert all(raw not in str(value) for value in row.values())
    assert raw.split("_")[2] not in str(row)


def test_a_token_that_differs_in_its_secret_is_refused():
    _, raw = create_token(name="Advising", access="read", education_records=False, created_by=ProgramAdminFactory())
    forged = raw[:-1] + ("a" if raw[-1] != "a" else "b")  # same prefix, so the row is found

    assert authenticate(raw) is not None
    assert authenticate(forged) is None


def test_a_revoked_token_is_refused_at_once(client):
    token, raw = create_token(name="Advising", access="read", education_records=False, created_by=ProgramAdminFactory())
    headers = {"Authorization": f"Bearer {raw}"}
    assert client.get(reverse("api-v1:sessions"), headers=headers).status_code == 200

    admin = ProgramAdminFactory()
    client.force_login(admin)
    client.post(reverse("api:revoke_token", kwargs={"pk": token.pk}))
    client.logout()

    assert client.get(reverse("api-v1:sessions"), headers=headers).status_code == 401
    token.refresh_from_db()
    assert token.revoked_by == admin and not token.is_active


def test_revoking_a_token_twice_keeps_the_first_revocation():
    first, second = ProgramAdminFactory(), ProgramAdminFactory()
    token, _ = create_token(name="Advising", access="read", education_records=False, created_by=first)
    revoke_token(token=token, revoked_by=first)
    when = token.revoked_at

    revoke_token(token=token, revoked_by=second)

    assert (token.revoked_at, token.revoked_by) == (when, first)


def test_the_page_shows_when_a_token_was_last_used(client):
    token, raw = create_token(name="Advising", access="read", education_records=False, created_by=ProgramAdminFactory())
    client.force_login(ProgramAdminFactory())
    assert "never" in client.get(reverse("api:tokens")).content.decode()

    client.get(reverse("api-v1:sessions"), headers={"Authorization": f"Bearer {raw}"})
    token.refresh_from_db()

    assert token.last_used_at is not None
    # Shown in the program's time zone (its date differs from UTC's late in the evening).
    shown = timezone.localtime(token.last_used_at).strftime("%Y-%m-%d %H:%M")
    assert shown in client.get(reverse("api:tokens")).content.decode()


def test_two_active_tokens_cannot_share_a_name_and_the_form_says_so(client):
    client.force_login(ProgramAdminFactory())
    _create_on_page(client)

    response = _create_on_page(client)

    assert "An active token already has this name" in response.content.decode()
    assert ApiToken.objects.count() == 1


def test_a_blank_name_is_refused_on_the_form_and_nothing_is_made(client):
    client.force_login(ProgramAdminFactory())

    response = _create_on_page(client, name="   ")

    assert response.status_code == 400
    assert ApiToken.objects.count() == 0


def test_a_mentor_cannot_create_or_revoke_tokens(client):
    token, _ = create_token(name="Advising", access="read", education_records=False, created_by=ProgramAdminFactory())
    client.force_login(MentorFactory())

    assert _create_on_page(client).status_code == 403
    assert client.post(reverse("api:revoke_token", kwargs={"pk": token.pk})).status_code == 403
    assert ApiToken.objects.get().is_active and ApiToken.objects.count() == 1
