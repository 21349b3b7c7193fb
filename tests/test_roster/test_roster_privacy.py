"""The roster's student id and cohort are personal data: in the export, gone with the account."""

import pytest

from accounts.services import build_data_export, delete_account
from roster.models import RosterEntry
from tests.test_roster.factories import RosterEntryFactory

pytestmark = pytest.mark.django_db


def test_a_students_data_export_includes_their_roster_id_and_cohort():
    entry = RosterEntryFactory(student_id="S42", cohort="Osler")

    assert build_data_export(user=entry.user)["roster"] == {"student_id": "S42", "cohort": "Osler"}


def test_deleting_an_account_removes_its_roster_entry():
    entry = RosterEntryFactory(student_id="S42")

    delete_account(user=entry.user)

    assert not RosterEntry.objects.filter(pk=entry.pk).exists()
