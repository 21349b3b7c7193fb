"""The demo stays usable although program admins need two-factor authentication."""

import random

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP

from accounts.demo import current_demo_totp_code, seed_people
from subjects.services import ensure_seed_subjects

pytestmark = pytest.mark.django_db


def test_the_demo_admin_signs_in_with_the_code_demo_totp_prints():
    ensure_seed_subjects()
    admin = seed_people(random.Random(1))["admin"]

    authenticator = Authenticator.objects.get(user=admin, type=Authenticator.Type.TOTP)

    assert TOTP(authenticator).validate_code(current_demo_totp_code())


def _two_factor_page(client, email):
    from tests.factories import PASSWORD

    response = client.post("/accounts/login/", {"login": email, "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0].endswith("/accounts/2fa/authenticate/")
    return response.content.decode()


def test_with_the_demo_data_the_two_factor_page_says_where_the_demo_code_comes_from(client):
    from tests.factories import ProgramAdminFactory

    ProgramAdminFactory(email="admin@demo.edu")

    page = _two_factor_page(client, "admin@demo.edu")

    assert "manage.py demo_totp" in page
    assert "DEMOADMINTOTPSECRETJBSWY3DPEHPK3" in page


def test_without_the_demo_data_the_two_factor_page_has_no_demo_note(client):
    from tests.factories import ProgramAdminFactory

    ProgramAdminFactory(email="office@school.edu")

    page = _two_factor_page(client, "office@school.edu")
    assert "demo_totp" not in page
    assert "MFA_SUPPORTED_TYPES" not in page and "{#" not in page  # the template's own comment stays hidden


def test_demo_totp_skips_the_system_checks_that_import_every_view():
    from accounts.management.commands.demo_totp import Command

    assert Command.requires_system_checks == []
