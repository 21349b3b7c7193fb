"""Rosters for the tests: a CSV builder and an import run the way the page runs it."""

from accounts.class_year import graduation_year_for
from roster.services import confirm_roster_import, upload_roster
from tests.factories import ProgramAdminFactory

HEADER = "email,given name,surname,graduation year,roles,student id,cohort"


def ms(class_year: int) -> int:
    return graduation_year_for(class_year)


def roster(*rows: str, header: str = HEADER) -> str:
    return "\n".join([header, *rows]) + "\n"


def row(email: str, first: str = "Ann", last: str = "Lee", year: int | None = None, roles: str = "mentee",
        student_id: str = "", cohort: str = "") -> str:  # fmt: skip
    return ",".join([email, first, last, str(year if year is not None else ms(1)), roles, student_id, cohort])


def upload(content: str, *, full_roster: bool = False, admin=None):
    return upload_roster(uploaded_by=admin or ProgramAdminFactory(), filename="roster.csv", raw=content.encode(),
                         full_roster=full_roster)  # fmt: skip


def import_roster(capture, content: str, *, full_roster: bool = False, confirmed_deactivations=None,
                  apply_admin_changes: bool = False):  # fmt: skip
    """Upload, confirm and run the import (the task runs eagerly when the confirmation commits)."""
    pending = upload(content, full_roster=full_roster)
    with capture(execute=True):
        confirm_roster_import(roster_import=pending, confirmed_deactivations=confirmed_deactivations,
                              apply_admin_changes=apply_admin_changes)  # fmt: skip
    pending.refresh_from_db()
    return pending
