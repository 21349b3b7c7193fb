"""Checking a roster file: every row parsed and compared with the accounts, every problem by line.
No writes (see roster.services for the whole import)."""

import csv
import io
import unicodedata
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Count
from django.db.models.functions import Lower
from django.utils import timezone

from accounts.models import User
from accounts.services import AccountError, check_graduation_year
from reports.spreadsheet import FileCheck, RowProblem, column_positions, data_records
from roster.models import RosterEntry
from sessions.models import Booking, Occurrence

# About the 30,000 students the largest upload holds (importing.MAX_FILE_BYTES).
MAX_ROWS = 30_000
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
        for line, record in data_records(reader, header, check.problems, max_rows=MAX_ROWS):
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
