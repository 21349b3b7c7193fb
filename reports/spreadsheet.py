"""CSV that a spreadsheet opens as data: the one writer behind every CSV export.

A cell that begins with = + - @ (or a tab or carriage return, which some spreadsheets skip before
reading a formula) runs as a formula when the file is opened; names and titles come from users,
so such cells get a leading apostrophe (OWASP "CSV injection"). Every other cell, empty ones
included, is written as it is.
"""

import csv
import io
from collections.abc import Iterable, Sequence

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


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
