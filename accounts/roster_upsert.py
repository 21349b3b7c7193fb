"""Roster upsert for the API (POST /api/v1/roster): create or update students from the school's
system of record, all rows or none.

Small and self-contained on purpose: the roster import (CSV page and nightly command) is another
piece of work; once it lands, the API should call its service instead and this module can go."""

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction

from accounts.models import User
from accounts.services import AccountError, check_graduation_year

MAX_ROWS = 1000
NAME_LENGTH = 150  # User.first_name / last_name


@dataclass(frozen=True)
class RosterRow:
    email: str
    given_name: str
    surname: str
    graduation_year: int | None = None


@dataclass
class RosterResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


class RosterRejected(AccountError):
    """Some rows are wrong: `problems` lists (row number from 1, message); nothing was written."""

    def __init__(self, problems: list[tuple[int, str]]):
        super().__init__(f"{len(problems)} row(s) refused; nothing was changed.")
        self.problems = problems


def _row_problem(row: RosterRow, existing: User | None) -> str | None:
    try:
        validate_email(row.email)
    except ValidationError:
        return f"{row.email!r} is not an email address."
    if not row.given_name or not row.surname:
        return "Give both the given name and the surname."
    if any(len(name) > NAME_LENGTH or any(ch < " " for ch in name) for name in (row.given_name, row.surname)):
        return f"Names are at most {NAME_LENGTH} characters, without control characters."
    try:
        check_graduation_year(row.graduation_year)
    except AccountError as exc:
        return str(exc)
    if existing is not None and (existing.is_program_admin or existing.is_staff):
        return "This is a program admin's account; the roster does not change admins."
    if existing is not None and existing.deleted_at is not None:
        return "This account was deleted at the student's request; it is not brought back."
    return None


def upsert_roster(*, rows: list[RosterRow]) -> RosterResult:
    """Create missing students (mentees, email verified: the school vouches for it) and update the
    names and graduation year of existing ones; never roles. Raises RosterRejected, writing nothing,
    if any row is wrong. Idempotent: sending the same rows again changes nothing."""
    if len(rows) > MAX_ROWS:
        raise RosterRejected([(MAX_ROWS + 1, f"Send at most {MAX_ROWS} rows per request.")])
    rows = [RosterRow(r.email.strip().lower(), r.given_name.strip(), r.surname.strip(), r.graduation_year) for r in rows]
    with transaction.atomic():
        # Row locks on the existing accounts: two concurrent upserts of one student update it in turn.
        existing = {u.email.lower(): u for u in User.objects.select_for_update().filter(email__in=[r.email for r in rows])}
        problems, seen = [], set()
        for number, row in enumerate(rows, start=1):
            problem = "The same email is in an earlier row." if row.email in seen else _row_problem(row, existing.get(row.email))
            seen.add(row.email)
            if problem:
                problems.append((number, problem))
        if problems:
            raise RosterRejected(problems)
        result = RosterResult()
        try:
            with transaction.atomic():
                for row in rows:
                    _apply(row, existing.get(row.email), result)
        except IntegrityError as exc:  # a concurrent request created one of these students first
            raise RosterRejected([(0, "Another roster change ran at the same time; send the rows again.")]) from exc
    return result


def _apply(row: RosterRow, user: User | None, result: RosterResult) -> None:
    if user is None:
        user = User.objects.create_user(
            email=row.email, first_name=row.given_name, last_name=row.surname, graduation_year=row.graduation_year,
            is_mentee=True,
        )  # fmt: skip
        user.set_unusable_password()
        user.save(update_fields=["password"])
        EmailAddress.objects.create(user=user, email=row.email, verified=True, primary=True)
        result.created += 1
        return
    changes = {"first_name": row.given_name, "last_name": row.surname, "graduation_year": row.graduation_year}
    changed = [field for field, value in changes.items() if getattr(user, field) != value]
    if not changed:
        result.unchanged += 1
        return
    for field in changed:
        setattr(user, field, changes[field])
    user.save(update_fields=changed)
    result.updated += 1
