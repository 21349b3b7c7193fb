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
