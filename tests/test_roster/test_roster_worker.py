"""Service tier: a real Celery worker imports a confirmed roster and delivers the invitations."""

import time

import pytest

from accounts.models import User
from roster.models import RosterImport
from roster.services import confirm_roster_import
from tests.test_roster.support import roster, row, upload

pytestmark = pytest.mark.service


def test_a_real_worker_imports_a_confirmed_roster_and_the_new_students_get_their_invitations(celery_worker):
    pending = upload(roster(*(row(f"student{i}@roster.edu", first=f"S{i}") for i in range(3))))

    confirm_roster_import(roster_import=pending)
    deadline = time.monotonic() + 30
    while pending.status != RosterImport.Status.IMPORTED and time.monotonic() < deadline:
        time.sleep(0.2)
        pending.refresh_from_db()

    assert (pending.status, pending.progress, pending.rows_created) == (RosterImport.Status.IMPORTED, 100, 3), celery_worker.log()
    assert User.objects.filter(email__endswith="@roster.edu").count() == 3
    mails = celery_worker.wait_for_mails(3)
    assert sorted(m["To"] for m in mails) == [f"student{i}@roster.edu" for i in range(3)]
    assert all("/program/roster/welcome/" in m.get_payload() for m in mails)
