"""Importing the roster: check a CSV of students, preview every change, then apply it in bulk.

The file has a header row and the columns email, given name, surname, graduation year and roles,
optionally student id and cohort (any order; header names matched loosely). The email is the key:
importing the same file twice changes nothing; a changed name, year, id or cohort is updated.

Roles: "mentee" (or "student"), "mentor", "admin", separated by ";" or "|". The cell sets the
person's roles exactly; an empty cell keeps an existing person's roles (a new person is a mentee).
Program admins are protected: a row that would change an admin's roles, or make someone an admin,
is shown apart and applied only when the admin confirming asks for it (`apply_admin_changes`).

A "full roster" lists every current student: students missing from it are deactivated, after
the admin confirmed how many (students with upcoming bookings are listed apart). Admins and
staff are never deactivated by a roster; a later roster that lists a deactivated student again
reactivates them.

New students get an account with a verified address (the school vouches for it) and, unless
settings.ROSTER_SEND_INVITATIONS is off (students sign in through the school's SSO), an
invitation email through the outbox whose link leads to choosing a password.

Nothing is written until the whole file is clean. The import itself runs in chunks of
CHUNK_ROWS rows, each its own transaction, so the page can show progress; a worker that dies
part-way is safe to run again (the rows already imported are then unchanged).

The package: `check` reads and compares a file (no writes), `importing` uploads, confirms and runs
an import, `api` is the API's upsert; every public name is importable from roster.services.
"""

from roster.services.api import (
    API_MAX_ROWS,
    RosterRejected,
    StudentRecord,
    import_students,
)
from roster.services.check import (
    CODE_MAX,
    COLUMNS,
    EMAIL_MAX,
    MAX_ROWS,
    NAME_MAX,
    REQUIRED,
    ROLE_WORDS,
    ROLES,
    USER_FIELDS,
    Departure,
    RosterCheck,
    RosterRow,
    check_roster,
)
from roster.services.importing import (
    CHUNK_ROWS,
    MAX_FILE_BYTES,
    UPDATED_FIELDS,
    RosterImportError,
    confirm_roster_import,
    decode_roster_upload,
    run_roster_import,
    upload_roster,
    welcome_entry,
)

__all__ = [
    "API_MAX_ROWS",
    "CHUNK_ROWS",
    "CODE_MAX",
    "COLUMNS",
    "Departure",
    "EMAIL_MAX",
    "MAX_FILE_BYTES",
    "MAX_ROWS",
    "NAME_MAX",
    "REQUIRED",
    "ROLES",
    "ROLE_WORDS",
    "RosterCheck",
    "RosterImportError",
    "RosterRejected",
    "RosterRow",
    "StudentRecord",
    "UPDATED_FIELDS",
    "USER_FIELDS",
    "check_roster",
    "confirm_roster_import",
    "decode_roster_upload",
    "import_students",
    "run_roster_import",
    "upload_roster",
    "welcome_entry",
]
