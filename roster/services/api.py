"""The API's roster upsert (POST /api/v1/roster): the same rules as the file import."""

import csv
import io
from dataclasses import dataclass

from roster.models import RosterImport
from roster.services.check import check_roster
from roster.services.importing import RosterImportError, run_roster_import

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
