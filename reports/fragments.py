"""The report page's body rendered once per computation of its figures, as HTML.

The body (summary tiles, charts, tables, the confidence section, the exam estimates) depends only
on the figures, the filters, the attendance bands and the query string of its download links, so
it is rendered once and cached beside the tables (`cached_report_part`, under the same version:
an exam import, or anything else that calls `invalidate_report_cache`, shows at once). Table cells
are written here in Python, each number formatted once, as `{{ cell }}` in a template would print it.
"""

import math
from dataclasses import dataclass, field
from datetime import datetime
from hashlib import sha256

from django.conf import settings
from django.template import Context
from django.template.base import render_value_in_context
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from reports.charts import report_charts
from reports.tables import Table, cached_report_part


@dataclass
class ShownTable:
    """A report table as the page draws it: the table's own fields and its rows as HTML."""

    table: Table
    rows_html: list[SafeString] = field(default_factory=list)

    @property
    def key(self) -> str:
        return self.table.key

    @property
    def title(self) -> str:
        return self.table.title

    @property
    def note(self) -> str:
        return self.table.note

    @property
    def columns(self) -> list[str]:
        return self.table.columns

    @property
    def rows(self) -> list[list]:
        return self.table.rows


def shown_table(table: Table) -> ShownTable:
    """The table with each row written as `<tr>`: the first cell a row header, every cell as
    `{{ cell }}` prints it (localized, escaped); equal values are formatted once."""
    context, written = Context(), dict[tuple[type, object, float], str]()
    rows = []
    for row in table.rows:
        cells = []
        for index, cell in enumerate(row):
            # -0.0 == 0.0, yet they print differently: the sign is part of the key.
            memo = (type(cell), cell, math.copysign(1.0, cell) if isinstance(cell, float) else 0.0)
            text = written.get(memo)
            if text is None:
                text = written[memo] = str(render_value_in_context(cell, context))
            cells.append(f'<th scope="row">{text}</th>' if index == 0 else f"<td>{text}</td>")
        rows.append(mark_safe(f"<tr>{''.join(cells)}</tr>"))  # noqa: S308  # every cell is escaped above  # nosec B308 B703
    return ShownTable(table, rows)


def report_body(context: dict, *, tables: dict[str, Table], computed_at: datetime) -> SafeString:
    """The page's body (reports/_report_body.html) for these tables, cached while they are.

    `context` holds the filters, summary, headline, exam sections, bands and query; the charts are
    drawn here from `tables` (their SVG once per computation). The cache key holds the filters, the
    bands, the query and when the figures were computed, so a body is never older than its tables."""
    filters = context["filters"]
    bands = ",".join(band.label for band in context["attendance_bands"])
    query = sha256(context["query"].encode()).hexdigest()[:16]
    stamp = computed_at.isoformat()

    def render() -> SafeString:
        # Template variables cannot hold a dash: "fill-rate" is reachable as t.fill_rate.
        shown = {
            **context,
            "t": {key.replace("-", "_"): shown_table(table) for key, table in tables.items()},
            "c": {key.replace("-", "_"): charts for key, charts in report_charts(tables).items()},
        }
        return mark_safe(render_to_string("reports/_report_body.html", shown))  # noqa: S308  # a rendered template  # nosec B308 B703

    return cached_report_part("body", filters, render, variant=f"{bands}:{query}:{stamp}",
                              seconds=_seconds_left(computed_at))  # fmt: skip


def _seconds_left(computed_at: datetime) -> int:
    """What is left of the tables' REPORT_CACHE_SECONDS (at least 1 while caching is on)."""
    seconds = settings.REPORT_CACHE_SECONDS
    if seconds <= 0:
        return 0
    return max(1, int(seconds - (timezone.now() - computed_at).total_seconds()))
