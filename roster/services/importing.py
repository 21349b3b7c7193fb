"""Uploading, confirming and running a roster import: in chunks, each its own transaction, with
the invitations and the deactivations a full roster asks for (see roster.services)."""

import logging
from collections.abc import Iterator

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, connection, transaction
from django.db.models import Field
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from core import locking
from core.enqueue import delay_on_commit
from core.errors import ApplicationError, clean_or_refuse
from notifications.services import queue_many_emails, render_email
from reports.spreadsheet import UnreadableCsv, decode_csv_upload
from roster.models import RosterEntry, RosterImport, new_welcome_token
from roster.services.check import Departure, RosterRow, _describe_roles, check_roster

logger = logging.getLogger("roster")

# Under the request limit (MAX_REQUEST_BYTES, 3 MB), so the form, not the 413 page, says so; about
# 30,000 students. A larger roster goes through the nightly command, which reads a file.
MAX_FILE_BYTES = 2560 * 1024
CHUNK_ROWS = 1000


class RosterImportError(ApplicationError):
    """A roster import cannot go ahead; the message is for the admin."""


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
    clean_or_refuse(roster_import, RosterImportError)
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
