"""CSV to and from spreadsheets: the one writer behind every CSV export, and the reading every
CSV import shares (exam results, the roster).

A cell that begins with = + - @ (or a tab or carriage return, which some spreadsheets skip before
reading a formula) runs as a formula when the file is opened; names and titles come from users,
so such cells get a leading apostrophe (OWASP "CSV injection"). Every other cell, empty ones
included, is written as it is.
"""

import csv
import io
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from _csv import Reader

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class RowProblem:
    """A line of an imported file that cannot be imported, and why (exam results, rosters)."""

    line: int
    reason: str


@dataclass
class FileCheck:
    """What checking an imported file found: the rows as they would be imported (each with a
    `change`: "new", "updated", "unchanged", ...) and every problem by line. Exam results and the
    roster extend it."""

    rows: list[Any] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)

    @property
    def is_clean(self) -> bool:
        return not self.problems and bool(self.rows)

    def count(self, change: str) -> int:
        return sum(1 for row in self.rows if row.change == change)


def protect_cell(value: object) -> object:
    """`value` with a leading apostrophe if a spreadsheet would read it as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_text(columns: Sequence[object], rows: Iterable[Sequence[object]]) -> str:
    """A header row and `rows` as CSV text, every cell protected."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([protect_cell(c) for c in columns])
    for row in rows:
        writer.writerow([protect_cell(v) for v in row])
    return out.getvalue()


class UnreadableCsv(ValueError):
    """An uploaded file is not CSV text we can read; the message says what to do."""


def decode_csv_upload(raw: bytes, *, max_bytes: int, needs: str) -> str:
    """The text of an uploaded CSV file, or UnreadableCsv (too large, not UTF-8, empty, NUL bytes).

    `needs` finishes the sentence "it needs a header row and at least one ...".
    """
    if len(raw) > max_bytes:
        raise UnreadableCsv(f"The file is larger than {max_bytes // (1024 * 1024)} MB; split it.")
    try:
        content = raw.decode("utf-8-sig")  # spreadsheets often write a byte-order mark
    except UnicodeDecodeError as error:
        raise UnreadableCsv("The file is not UTF-8 text. Save it from your spreadsheet as “CSV UTF-8”.") from error
    # A file of only a byte-order mark or blanks would fail to store (content is required).
    if not content.strip():
        raise UnreadableCsv(f"The file is empty: it needs a header row and at least one {needs}.")
    # PostgreSQL text cannot hold NUL; such a file is not CSV text anyway.
    if "\x00" in content:
        raise UnreadableCsv("The file contains NUL characters, so it is not CSV text. Save it as “CSV UTF-8”.")
    return content


def data_records(
    reader: "Reader", header: Sequence[str], problems: list[RowProblem], *, max_rows: int
) -> Iterator[tuple[int, list[str]]]:
    """The records after the header, each with its line number, for the caller to turn into exactly
    one row or one problem each. Blank lines are skipped; a record of the wrong width becomes a
    problem here; past `max_rows` records one problem says so and reading stops. csv.Error
    (malformed quoting) reaches the caller, who decides what a broken file means."""
    read = 0
    for record in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in record):
            continue  # blank lines are harmless
        if read >= max_rows:
            problems.append(RowProblem(line, f"Too many rows: import at most {max_rows} at a time."))
            return
        read += 1
        if len(record) != len(header):
            problems.append(
                RowProblem(line, f"Malformed row: {len(record)} fields where the header has {len(header)}.")
            )
            continue
        yield line, record


def _squash(name: str) -> str:
    return re.sub(r"[^a-z]", "", name.lower())


def column_positions(header: Sequence[str], columns: Mapping[str, set[str]]) -> dict[str, int]:
    """Column key -> index in `header`, header names matched loosely ("Student email" is "email")."""
    names = {key: {_squash(n) for n in aliases} for key, aliases in columns.items()}
    positions: dict[str, int] = {}
    for index, name in enumerate(header):
        squashed = _squash(name)
        key = next((key for key, aliases in names.items() if squashed in aliases), None)
        if key and key not in positions:
            positions[key] = index
    return positions
