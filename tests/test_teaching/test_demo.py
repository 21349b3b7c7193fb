"""The demo data shows every teaching page: an endorsed record with a certificate, and readiness gaps."""

import pytest
from django.core.management import call_command

from accounts.models import User
from teaching import selectors
from teaching.models import Certificate

pytestmark = pytest.mark.django_db


def test_the_demo_has_an_endorsed_record_with_a_certificate_and_a_mentor_missing_a_requirement():
    call_command("seed_demo", stdout=None)

    certificate = Certificate.objects.valid().select_related("endorsement__mentor").get()
    missing = {row["mentor"].email: [i.requirement.name for i in row["missing"]] for row in selectors.readiness_overview()}

    assert certificate.endorsement.mentor.email.startswith("mentor1@")
    assert [names for names in missing.values() if names] == [["Tutor orientation"]]
    assert User.objects.filter(email__startswith="mentor1@").exists()
