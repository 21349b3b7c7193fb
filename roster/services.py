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
"""

import csv
import io
import logging
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Field
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.services import AccountError, check_graduation_year
from core import locking
from core.enqueue import delay_on_commit
from core.errors import ApplicationError
from notifications.services import queue_many_emails, render_email
from reports.spreadsheet import FileCheck, RowProblem, UnreadableCsv, column_positions, decode_csv_upload
from roster.models import RosterEntry, RosterImport, new_welcome_token
from sessions.models import Booking, Occurrence

logger = logging.getLogger("roster")

# Under the request limit (MAX_REQUEST_BYTES, 3 MB), so the form, not the 413 page, says so; about
# 30,000 students. A larger roster goes through the nightly command, which reads a file.
MAX_FILE_BYTES = 2560 * 1024
MAX_ROWS = 30_000
CHUNK_ROWS = 1000
NAME_MAX = 150
EMAIL_MAX = User._meta.get_field("email").max_length or 254  # 254: EmailField's default
CODE_MAX = 64
COLUMNS = {
    "email": {"email", "emailaddress", "studentemail", "mail"},
    "first_name": {"givenname", "firstname", "first", "given", "forename"},
    "last_name": {"surname", "lastname", "familyname", "last"},
    "graduation_year": {"graduationyear", "gradyear", "graduation", "classof", "expectedgraduation"},
    "roles": {"roles", "role"},
    "student_id": {"studentid", "id", "sisid", "studentnumber"},
    "cohort": {"cohort", "group", "learningcommunity", "section"},
}
REQUIRED = ("email", "first_name", "last_name", "graduation_year", "roles")
ROLE_WORDS = {"mentee": "mentee", "student": "mentee", "mentor": "mentor", "admin": "admin",
              "programadmin": "admin"}  # fmt: skip
ROLES = ("mentee", "mentor", "admin")


class RosterImportError(ApplicationError):
    """A roster import cannot go ahead; the message is for the admin."""


@dataclass(frozen=True)
class RosterRow:
    line: int
    email: str
    first_name: str
    last_name: str
    graduation_year: int | None
    roles: frozenset[str] | None  # None: keep the existing roles
    student_id: str
    cohort: str
    user_id: int | None = None
    change: str = "new"  # "new", "updated", "reactivated" or "unchanged"
    changes: tuple[str, ...] = ()
    admin_change: str = ""  # what would change for a program admin, if anything


@dataclass(frozen=True)
class Departure:
    """A student a full roster leaves out: deactivated if the import goes ahead."""

    user_id: int
    email: str
    name: str
    upcoming_bookings: int


@dataclass
class RosterCheck(FileCheck):
    rows: list[RosterRow] = field(default_factory=list)
    departures: list[Departure] = field(default_factory=list)

    @property
    def admin_changes(self) -> list[RosterRow]:
        return [row for row in self.rows if row.admin_change]

    @property
    def departures_with_bookings(self) -> list[Departure]:
        return [d for d in self.departures if d.upcoming_bookings]


def _roles_of(user: dict) -> frozenset[str]:
    flags = {"mentee": user["is_mentee"], "mentor": user["is_mentor"], "admin": user["is_program_admin"]}
    return frozenset(role for role, on in flags.items() if on)


def _describe_roles(roles: frozenset[str]) -> str:
    return ", ".join(role for role in ROLES if role in roles) or "no role"


def _has_control_characters(text: str) -> bool:
    return any(unicodedata.category(char).startswith("C") for char in text)


def _parse_roles(text: str) -> frozenset[str] | None:
    words = [w for w in text.replace("|", ";").replace(",", ";").split(";") if w.strip()]
    if not words:
        return None
    roles = set()
    for word in words:
        key = "".join(word.lower().split()).replace("_", "").replace("-", "")
        if key not in ROLE_WORDS:
            raise ValueError(word.strip())
        roles.add(ROLE_WORDS[key])
    return frozenset(roles)


def _parse_row(line: int, cell: dict[str, str]) -> RosterRow | RowProblem:
    email = cell["email"].strip().lower()
    first_name, last_name = " ".join(cell["first_name"].split()), " ".join(cell["last_name"].split())
    student_id, cohort = cell.get("student_id", "").strip(), " ".join(cell.get("cohort", "").split())
    if not email:
        return RowProblem(line, "The email is missing.")
    try:
        validate_email(email)
    except ValidationError:
        return RowProblem(line, f"{email!r} is not an email address.")
    if len(email) > EMAIL_MAX:
        return RowProblem(line, f"The email is longer than {EMAIL_MAX} characters.")
    for label, text in (("given name", cell["first_name"]), ("surname", cell["last_name"]),
                        ("student id", student_id), ("cohort", cell.get("cohort", ""))):  # fmt: skip
        if _has_control_characters(text.strip()):
            return RowProblem(line, f"The {label} contains control characters; retype it.")
    if not first_name or not last_name:
        return RowProblem(line, "The given name and the surname are required.")
    if len(first_name) > NAME_MAX or len(last_name) > NAME_MAX:
        return RowProblem(line, f"A name is longer than {NAME_MAX} characters.")
    if len(student_id) > CODE_MAX or len(cohort) > CODE_MAX:
        return RowProblem(line, f"The student id or the cohort is longer than {CODE_MAX} characters.")
    try:
        roles = _parse_roles(cell["roles"])
    except ValueError as error:
        return RowProblem(line, f"Unknown role {str(error)!r}: use mentee, mentor or admin (separated by ;).")
    year_text = cell["graduation_year"].strip()
    graduation_year = None
    if year_text:
        if not year_text.isdigit() or len(year_text) != 4:
            return RowProblem(line, f"Graduation year {year_text!r} is not a year such as 2029.")
        graduation_year = int(year_text)
        try:
            check_graduation_year(graduation_year)
        except AccountError as error:
            return RowProblem(line, f"Graduation year out of range: {error}")
    elif roles != frozenset({"admin"}):
        return RowProblem(line, "The graduation year is required (it may be empty only for admins).")
    return RosterRow(line, email, first_name, last_name, graduation_year, roles, student_id, cohort)


def _read_rows(content: str, check: RosterCheck) -> list[RosterRow]:
    """Parse every row; shape problems go to check.problems. No queries."""
    reader = csv.reader(io.StringIO(content))
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        check.problems.append(RowProblem(1, "The file is empty: it needs a header row and at least one student."))
        return []
    positions = column_positions(header, COLUMNS)
    missing = [key.replace("_", " ").replace("first name", "given name").replace("last name", "surname")
               for key in REQUIRED if key not in positions]  # fmt: skip
    if missing:
        check.problems.append(RowProblem(
            1, f"Malformed header: missing column(s) {', '.join(missing)} "
               "(expected: email, given name, surname, graduation year, roles; optional student id, cohort).",
        ))  # fmt: skip
        return []
    rows: list[RosterRow] = []
    seen_emails: dict[str, int] = {}
    seen_ids: dict[str, int] = {}
    try:
        for record in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in record):
                continue  # blank lines are harmless
            if len(rows) + len(check.problems) >= MAX_ROWS:
                check.problems.append(RowProblem(line, f"Too many rows: import at most {MAX_ROWS} at a time."))
                break
            if len(record) != len(header):
                check.problems.append(
                    RowProblem(line, f"Malformed row: {len(record)} fields where the header has {len(header)}.")
                )
                continue
            parsed = _parse_row(line, {key: record[index] for key, index in positions.items()})
            if isinstance(parsed, RowProblem):
                check.problems.append(parsed)
                continue
            if parsed.email in seen_emails:
                check.problems.append(RowProblem(line, f"Duplicate email {parsed.email}: also on line {seen_emails[parsed.email]}."))
                continue
            if parsed.student_id and parsed.student_id in seen_ids:
                check.problems.append(
                    RowProblem(line, f"Duplicate student id {parsed.student_id}: also on line {seen_ids[parsed.student_id]}.")
                )
                continue
            seen_emails[parsed.email] = line
            if parsed.student_id:
                seen_ids[parsed.student_id] = line
            rows.append(parsed)
    except csv.Error as error:
        check.problems.append(RowProblem(reader.line_num, f"Malformed CSV: {error}."))
    return rows


USER_FIELDS = ("pk", "email", "first_name", "last_name", "graduation_year", "is_mentee", "is_mentor",
               "is_program_admin", "is_staff", "is_superuser", "is_active", "roster_entry__student_id",
               "roster_entry__cohort", "roster_entry__deactivated_at")  # fmt: skip


def _compare(row: RosterRow, user: dict, apply_admin_changes: bool) -> RosterRow:
    """`row` with what importing it would change for the existing account `user`."""
    changes = []
    for label, key, new in (("given name", "first_name", row.first_name), ("surname", "last_name", row.last_name),
                            ("graduation year", "graduation_year", row.graduation_year),
                            ("student id", "roster_entry__student_id", row.student_id),
                            ("cohort", "roster_entry__cohort", row.cohort)):  # fmt: skip
        old = user[key]
        if key.startswith("roster_entry"):
            old = old or ""  # no roster entry yet
        if old != new and not (key == "graduation_year" and new is None):
            changes.append(f"{label} {old or '—'} → {new or '—'}")
    current = _roles_of(user)
    roles, admin_change = (current if row.roles is None else row.roles), ""
    is_admin = user["is_program_admin"] or user["is_staff"] or user["is_superuser"]
    if roles != current:
        if is_admin or "admin" in roles:
            admin_change = f"roles {_describe_roles(current)} → {_describe_roles(roles)}"
            if not apply_admin_changes:
                roles = current
        if roles != current:
            changes.append(f"roles {_describe_roles(current)} → {_describe_roles(roles)}")
    change = "updated" if changes else "unchanged"
    if not user["is_active"] and user["roster_entry__deactivated_at"] is not None:
        change = "reactivated"
    return RosterRow(**{**row.__dict__, "user_id": user["pk"], "change": change, "changes": tuple(changes),
                        "admin_change": admin_change, "roles": roles})  # fmt: skip


def check_roster(content: str, *, full_roster: bool = False, apply_admin_changes: bool = False) -> RosterCheck:
    """Every problem in the file by line, each row as it would be imported, and (for a full
    roster) the students it would deactivate. A fixed number of queries, whatever the size."""
    check = RosterCheck()
    parsed = _read_rows(content, check)
    emails = {row.email for row in parsed}
    users = {
        user["email_lower"]: user
        for user in User.objects.annotate(email_lower=Lower("email"))
        .filter(email_lower__in=emails, deleted_at__isnull=True)
        .values("email_lower", *USER_FIELDS)
    }
    ids_taken = dict(
        RosterEntry.objects.filter(student_id__in={row.student_id for row in parsed if row.student_id})
        .annotate(email_lower=Lower("user__email"))
        .values_list("student_id", "email_lower")
    )
    for row in parsed:
        owner = ids_taken.get(row.student_id)
        if row.student_id and owner and owner != row.email:
            check.problems.append(RowProblem(row.line, f"Student id {row.student_id} belongs to {owner}."))
            continue
        user = users.get(row.email)
        if user is None:
            roles = row.roles or frozenset({"mentee"})
            admin_change = f"new program admin ({_describe_roles(roles)})" if "admin" in roles else ""
            if admin_change and not apply_admin_changes:
                roles = roles - {"admin"} or frozenset({"mentee"})
            check.rows.append(RosterRow(**{**row.__dict__, "roles": roles, "admin_change": admin_change}))
        else:
            check.rows.append(_compare(row, user, apply_admin_changes))
    if full_roster and parsed:
        check.departures = _departures(emails)
    check.problems.sort(key=lambda problem: problem.line)
    if not check.rows and not check.problems:
        check.problems.append(RowProblem(1, "The file has a header but no students."))
    return check


def _departures(listed: set[str]) -> list[Departure]:
    """Active students (not admins, not staff) whose address the full roster does not list."""
    students = (
        User.objects.filter(is_active=True, deleted_at__isnull=True, is_program_admin=False, is_staff=False,
                            is_superuser=False)  # fmt: skip
        .annotate(email_lower=Lower("email"))
        .values_list("pk", "email_lower", "first_name", "last_name")
    )
    leaving = [(pk, email, f"{first} {last}".strip()) for pk, email, first, last in students if email not in listed]
    bookings = dict(
        Booking.objects.filter(
            mentee_id__in=[pk for pk, _, _ in leaving], status=Booking.Status.BOOKED,
            occurrence__status=Occurrence.Status.SCHEDULED, occurrence__starts_at__gte=timezone.now(),
        )  # fmt: skip
        .values("mentee_id")
        .annotate(n=Count("pk"))
        .values_list("mentee_id", "n")
    )
    return [Departure(pk, email, name or email, bookings.get(pk, 0)) for pk, email, name in leaving]


# ---------------------------------------------------------------------------
# Uploading, confirming, importing
# ---------------------------------------------------------------------------


def decode_roster_upload(raw: bytes) -> str:
    try:
        return decode_csv_upload(raw, max_bytes=MAX_FILE_BYTES, needs="student")
    except UnreadableCsv as error:
        raise RosterImportError(str(error)) from error


def upload_roster(*, uploaded_by: User | None, filename: str, raw: bytes, full_roster: bool = False,
                  source: str = RosterImport.Source.PAGE) -> RosterImport:  # fmt: skip
    """Store an uploaded roster for preview; nothing is imported yet. Raises RosterImportError
    for a file that is not CSV text (too large, not UTF-8, empty)."""
    content = decode_roster_upload(raw)
    roster_import = RosterImport(uploaded_by=uploaded_by, filename=filename[:255], content=content,
                                 full_roster=full_roster, source=source)  # fmt: skip
    roster_import.full_clean()
    roster_import.save()
    return roster_import


def confirm_roster_import(*, roster_import: RosterImport, confirmed_deactivations: int | None = None,
                          apply_admin_changes: bool = False) -> RosterImport:  # fmt: skip
    """Queue a previewed, clean roster for import by a worker (after commit).

    A full roster that deactivates students needs `confirmed_deactivations` equal to the number
    the check finds now, so an admin never confirms a number they did not see."""
    from roster.tasks import import_roster

    with transaction.atomic():
        locked = locking.lock(RosterImport.objects.all(), roster_import.pk)
        if locked.status != RosterImport.Status.PREVIEW:
            raise RosterImportError("This roster is already being imported or was imported.")
        check = check_roster(locked.content, full_roster=locked.full_roster, apply_admin_changes=apply_admin_changes)
        if not check.is_clean:
            raise RosterImportError("The file has problems; nothing was imported. Fix them and upload it again.")
        leaving = len(check.departures)
        if leaving and confirmed_deactivations != leaving:
            raise RosterImportError(
                f"This roster deactivates {leaving} student{'s' if leaving != 1 else ''}: "
                f"type {leaving} to confirm, or upload it again without “full roster”."
            )
        locked.status = RosterImport.Status.QUEUED
        locked.confirmed_deactivations = leaving
        locked.apply_admin_changes = apply_admin_changes
        locked.progress, locked.progress_note = 0, "Waiting for a worker"
        locked.save(update_fields=["status", "confirmed_deactivations", "apply_admin_changes", "progress",
                                   "progress_note"])  # fmt: skip
        delay_on_commit(import_roster, locked.pk)
    return locked


def _set_progress(roster_import_id: int, percent: int, note: str) -> None:
    RosterImport.objects.filter(pk=roster_import_id).update(progress=min(percent, 100), progress_note=note[:200])


def _fail(roster_import: RosterImport, message: str) -> RosterImport:
    roster_import.status, roster_import.error = RosterImport.Status.FAILED, message
    roster_import.finished_at = timezone.now()
    roster_import.save(update_fields=["status", "error", "finished_at"])
    logger.warning("roster import %s failed: %s", roster_import.pk, message)
    return roster_import


def _chunks(rows: list[RosterRow]) -> Iterator[list[RosterRow]]:
    for start in range(0, len(rows), CHUNK_ROWS):
        yield rows[start : start + CHUNK_ROWS]


def run_roster_import(*, roster_import_id: int) -> RosterImport:
    """Import a confirmed roster (called by the Celery task and the nightly command).

    Re-checks the file, then writes chunk by chunk, updating the progress the page polls.
    Logs every change on the "roster" logger. Safe to run again after a crash part-way."""
    claimed = RosterImport.objects.filter(
        pk=roster_import_id, status__in=[RosterImport.Status.QUEUED, RosterImport.Status.RUNNING]
    ).update(status=RosterImport.Status.RUNNING, started_at=timezone.now())
    roster_import = RosterImport.objects.get(pk=roster_import_id)
    if not claimed:
        return roster_import  # imported, failed or never confirmed: nothing to do
    _set_progress(roster_import.pk, 2, "Checking the file")
    check = check_roster(roster_import.content, full_roster=roster_import.full_roster,
                         apply_admin_changes=roster_import.apply_admin_changes)  # fmt: skip
    if not check.is_clean:
        return _fail(roster_import, "The file has problems now (someone changed accounts since the preview); "
                                    "nothing more was imported. Upload it again to see them.")  # fmt: skip
    if len(check.departures) > (roster_import.confirmed_deactivations or 0):
        return _fail(roster_import, f"The roster would now deactivate {len(check.departures)} students, more than the "
                                    f"{roster_import.confirmed_deactivations or 0} confirmed; nothing more was imported.")  # fmt: skip
    total = max(len(check.rows), 1)
    invited = 0
    done = 0
    try:
        for chunk in _chunks(check.rows):
            with transaction.atomic():
                invited += _import_chunk(chunk, roster_import)
            done += len(chunk)
            _set_progress(roster_import.pk, 5 + 90 * done // total, f"Imported {done} of {len(check.rows)} rows")
    except IntegrityError:  # an account appeared since the check (a sign-up): the next run sees it
        return _fail(roster_import, "An account changed while importing; the rows so far are imported. "
                                    "Upload the file again to finish.")  # fmt: skip
    except Exception:
        # The page must not poll forever: say where it stopped, then let the task log the error.
        _fail(roster_import, f"The import stopped after {done} of {len(check.rows)} rows (see the worker's log); "
                             "those are imported. Upload the file again to finish.")  # fmt: skip
        raise
    deactivated = _deactivate(check.departures, roster_import) if check.departures else 0
    roster_import.status = RosterImport.Status.IMPORTED
    roster_import.finished_at = timezone.now()
    roster_import.progress, roster_import.progress_note = 100, "Imported"
    roster_import.rows_created, roster_import.rows_updated = check.count("new"), check.count("updated")
    roster_import.rows_unchanged, roster_import.rows_reactivated = check.count("unchanged"), check.count("reactivated")
    roster_import.students_deactivated, roster_import.invitations_sent = deactivated, invited
    roster_import.save(update_fields=["status", "finished_at", "progress", "progress_note", "rows_created", "rows_updated",
                                      "rows_unchanged", "rows_reactivated", "students_deactivated", "invitations_sent"])  # fmt: skip
    logger.info(
        "roster import %s (%s): %s new, %s updated, %s reactivated, %s unchanged, %s deactivated, %s invited",
        roster_import.pk, roster_import.filename, roster_import.rows_created, roster_import.rows_updated,
        roster_import.rows_reactivated, roster_import.rows_unchanged, deactivated, invited,
    )  # fmt: skip
    return roster_import


def _flags(roles: frozenset[str] | None) -> dict[str, bool]:
    roles = frozenset({"mentee"}) if roles is None else roles
    return {"is_mentee": "mentee" in roles, "is_mentor": "mentor" in roles, "is_program_admin": "admin" in roles}


UPDATED_FIELDS = ["first_name", "last_name", "is_mentee", "is_mentor", "is_program_admin", "graduation_year"]


def _concrete_field(name: str) -> "Field[object, object]":
    field = User._meta.get_field(name)
    if not isinstance(field, Field):
        raise TypeError(f"User.{name} is not a column")
    return field


def _cast_type(field: "Field[object, object]") -> str:
    """The type to cast a bound value to, as Django's own bulk_update does on PostgreSQL."""
    return field.cast_db_type(connection)  # type: ignore[attr-defined]  # Django's API; django-stubs lacks it


def _update_users(rows: list[RosterRow]) -> None:
    """Give each row's account its names, roles and graduation year (an empty year keeps the old one).

    One UPDATE ... FROM (VALUES ...) on PostgreSQL: Django's bulk_update builds a CASE per field
    and row, which took most of a 2,000-row import's time. Elsewhere (SQLite) bulk_update."""
    values = [(row.user_id, row.first_name, row.last_name, *_flags(row.roles).values(), row.graduation_year) for row in rows]
    if connection.vendor != "postgresql":
        users = [User(pk=pk, **dict(zip(UPDATED_FIELDS, rest, strict=True))) for pk, *rest in values]
        User.objects.bulk_update(users, UPDATED_FIELDS[:-1], batch_size=CHUNK_ROWS)
        User.objects.bulk_update([u for u in users if u.graduation_year], ["graduation_year"], batch_size=CHUNK_ROWS)
        return
    meta = User._meta
    fields = [meta.pk, *(_concrete_field(name) for name in UPDATED_FIELDS)]
    columns = [field.column for field in fields]
    casts = [_cast_type(field) for field in fields]
    row_sql = "(" + ", ".join(f"%s::{cast}" for cast in casts) + ")"
    year = _concrete_field("graduation_year").column
    assignments = ", ".join(
        f'"{column}" = COALESCE(v."{column}", u."{column}")' if column == year else f'"{column}" = v."{column}"'
        for column in columns[1:]
    )
    with connection.cursor() as cursor:
        for start in range(0, len(values), CHUNK_ROWS):
            batch = values[start : start + CHUNK_ROWS]
            sql = (
                f'UPDATE "{meta.db_table}" AS u SET {assignments} '  # noqa: S608  # nosec B608 - names from the model, values bound
                f"FROM (VALUES {', '.join([row_sql] * len(batch))}) AS v({', '.join(f'{c}' for c in columns)}) "
                f'WHERE u."{meta.pk.column}" = v."{meta.pk.column}"'
            )
            cursor.execute(sql, [value for row in batch for value in row])


def _import_chunk(rows: list[RosterRow], roster_import: RosterImport) -> int:
    """Write one chunk (a handful of bulk queries); returns how many invitations were queued."""
    now = timezone.now()
    send = settings.ROSTER_SEND_INVITATIONS
    new_rows = [row for row in rows if row.change == "new"]
    created = User.objects.bulk_create(
        [
            User(email=row.email, first_name=row.first_name, last_name=row.last_name,
                 graduation_year=row.graduation_year, password=make_password(None), **_flags(row.roles))  # fmt: skip
            for row in new_rows
        ],
        batch_size=CHUNK_ROWS,
    )
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=user, email=user.email, verified=True, primary=True) for user in created],
        batch_size=CHUNK_ROWS,
    )
    user_ids = {row.email: row.user_id for row in rows if row.user_id} | {user.email: user.pk for user in created}
    changed = [row for row in rows if row.change in ("updated", "reactivated")]
    if changed:
        _update_users(changed)
        # Only accounts a full roster deactivated come back; one deactivated by hand stays so.
        User.objects.filter(pk__in=[row.user_id for row in changed if row.change == "reactivated"]).update(is_active=True)
    tokens = {user.pk: new_welcome_token() for user in created} if send else {}
    RosterEntry.objects.bulk_create(
        [
            RosterEntry(user_id=user_ids[row.email], student_id=row.student_id, cohort=row.cohort,
                        last_import=roster_import, deactivated_at=None, updated_at=now,
                        welcome_token=tokens.get(user_ids[row.email]),
                        invited_at=now if user_ids[row.email] in tokens else None)  # fmt: skip
            for row in rows
        ],
        update_conflicts=True,
        unique_fields=["user"],
        update_fields=["student_id", "cohort", "last_import", "deactivated_at", "updated_at"],
        batch_size=CHUNK_ROWS,
    )
    for row in rows:
        if row.change == "new":
            logger.info("roster: created %s (%s %s, %s, %s)", row.email, row.first_name, row.last_name,
                        row.graduation_year or "—", _describe_roles(row.roles or frozenset()))  # fmt: skip
        elif row.change != "unchanged":
            logger.info("roster: %s %s: %s", row.change, row.email, "; ".join(row.changes) or "account active again")
        if row.admin_change and not roster_import.apply_admin_changes:
            logger.warning("roster: left the roles of %s as they are (%s): admin changes were not confirmed",
                           row.email, row.admin_change)  # fmt: skip
    if tokens:
        link = settings.SITE_URL + reverse("roster:welcome", args=["TOKEN"])  # reversed once, not per student
        messages = [_invitation(user, link.replace("TOKEN", tokens[user.pk])) for user in created]
        queue_many_emails(kind="roster_invitation", messages=messages)
    return len(tokens)


def _invitation(user: User, welcome_url: str) -> tuple[User, str, str, str]:
    subject, text, html = render_email(
        "roster/email/invitation", {"user": user, "welcome_url": welcome_url, "valid_days": RosterEntry.WELCOME_VALID_DAYS}
    )
    return user, subject, text, html


def _deactivate(departures: list[Departure], roster_import: RosterImport) -> int:
    """Deactivate the students a full roster left out (never admins or staff: the query says so)."""
    now = timezone.now()
    ids = [d.user_id for d in departures]
    with transaction.atomic():
        count = User.objects.filter(
            pk__in=ids, is_active=True, is_program_admin=False, is_staff=False, is_superuser=False
        ).update(is_active=False)
        RosterEntry.objects.bulk_create(
            [RosterEntry(user_id=pk, deactivated_at=now, last_import=roster_import, updated_at=now) for pk in ids],
            update_conflicts=True, unique_fields=["user"], update_fields=["deactivated_at", "last_import", "updated_at"],
            batch_size=CHUNK_ROWS,
        )  # fmt: skip
    for departure in departures:
        bookings = f" ({departure.upcoming_bookings} upcoming bookings)" if departure.upcoming_bookings else ""
        logger.info("roster: deactivated %s, missing from the full roster%s", departure.email, bookings)
    return count


def welcome_entry(token: str) -> RosterEntry | None:
    """The roster entry of an invitation link still usable (in time, no password chosen yet)."""
    entry = RosterEntry.objects.select_related("user").filter(welcome_token=token).first()
    if entry is None or not entry.welcome_is_usable(timezone.now()):
        return None
    user = entry.user
    if not user.is_active or user.deleted_at is not None or user.has_usable_password():
        return None
    return entry


# ---------------------------------------------------------------------------
# The API's roster upsert (POST /api/v1/roster): the same rules as the file import
# ---------------------------------------------------------------------------
API_MAX_ROWS = 1000


@dataclass(frozen=True)
class StudentRecord:
    """One student as the school's system sends it through the API."""

    email: str
    given_name: str
    surname: str
    graduation_year: int | None = None


class RosterRejected(RosterImportError):
    """Some rows are wrong: `problems` lists (row number from 1, reason); nothing was written."""

    def __init__(self, problems: list[tuple[int, str]]) -> None:
        super().__init__(f"{len(problems)} row(s) refused; nothing was changed.")
        self.problems = problems


def import_students(*, students: list[StudentRecord]) -> RosterImport:
    """Import the students of one API request at once, by the rules of the roster import: new
    students are created (invited unless ROSTER_SEND_INVITATIONS is off), existing ones get their
    names and graduation year; roles are kept (the request names none) and nobody is deactivated.
    Raises RosterRejected, writing nothing, when any row is wrong. Returns the finished import,
    with its counts; sending the same students again changes nothing."""
    if len(students) > API_MAX_ROWS:
        raise RosterRejected([(API_MAX_ROWS + 1, f"Send at most {API_MAX_ROWS} rows per request.")])
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["email", "given name", "surname", "graduation year", "roles"])
    for student in students:
        year = "" if student.graduation_year is None else str(student.graduation_year)
        writer.writerow([student.email, student.given_name, student.surname, year, ""])
    content = buffer.getvalue()
    check = check_roster(content)
    if check.problems:
        # Line 1 of the file is its header: row n of the request is line n + 1.
        raise RosterRejected([(max(problem.line - 1, 1), problem.reason) for problem in check.problems])
    roster_import = RosterImport.objects.create(
        filename="API request", content=content, source=RosterImport.Source.API,
        status=RosterImport.Status.QUEUED, confirmed_deactivations=0,
    )  # fmt: skip
    done = run_roster_import(roster_import_id=roster_import.pk)
    if done.status != RosterImport.Status.IMPORTED:
        raise RosterRejected([(0, done.error or "Another roster change ran at the same time; send the rows again.")])
    return done
