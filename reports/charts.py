"""Server-rendered SVG charts: geometry computed here, drawn by templates/reports/_chart.html.

No JavaScript and no CDN; every chart sits next to the table it was drawn from, which is its
text alternative for screen readers and for print.

Sizes are chosen for reading at 100% zoom: the viewBox is WIDTH units wide and the page draws it
between MIN_RENDER_WIDTH and MAX_RENDER_WIDTH pixels (reports/static/reports/report.css), so the
14-unit labels show at 11 to 16 px; a narrower screen scrolls the chart, not the page.
"""

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import TYPE_CHECKING

from django.template import Context
from django.template.base import render_value_in_context
from django.template.defaultfilters import add
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

if TYPE_CHECKING:
    from reports.tables import Table

WIDTH = 520
MIN_RENDER_WIDTH = 400
MAX_RENDER_WIDTH = 600
PLOT_TOP = 12
LABEL_SIZE = 14  # font size of every text in the SVG (viewBox units); report.css says the same
CHAR_WIDTH = 7.6  # the average width of a character at LABEL_SIZE, to keep labels apart
BAR_LABEL_CHARACTERS = 30


@dataclass(frozen=True)
class ChartPoint:
    """One bar: its label and value (None: no figure, drawn as an empty slot)."""

    label: str
    value: float | None


@dataclass
class Bar:
    label: str
    value: float
    text: str
    x: float
    y: float
    width: float
    height: float
    label_x: float
    label_y: float
    show_label: bool = True


@dataclass(frozen=True)
class Gridline:
    position: float
    label: str


@dataclass
class Chart:
    key: str
    title: str
    table_key: str
    table_title: str
    horizontal: bool
    height: int
    bars: list[Bar] = field(default_factory=list)
    gridlines: list[Gridline] = field(default_factory=list)
    plot_left: float = 0
    plot_bottom: float = 0
    width: int = WIDTH

    @property
    def summary(self) -> str:
        if not self.bars:
            return f"{self.title}: no data."
        top = max(self.bars, key=lambda bar: bar.value)
        return f"{self.title}: {len(self.bars)} values; highest {top.text} ({top.label}). Data in the table below."

    @cached_property
    def svg(self) -> SafeString:
        """The <svg> element, built once per chart in Python: the same markup a template loop with a
        filter per attribute wrote (reports/_chart.html), at a fraction of the cost."""
        return _svg(self)


def _number(value: object) -> str:
    """A number as `{{ value }}` prints it in a template (localized, escaped)."""
    return str(render_value_in_context(value, Context()))


def _svg(chart: Chart) -> SafeString:
    e = conditional_escape
    key, title = e(chart.key), e(chart.title)
    parts = [
        f'<svg viewBox="0 0 {_number(chart.width)} {_number(chart.height)}" role="img" '
        f'aria-labelledby="{key}-title {key}-desc" preserveAspectRatio="xMinYMin meet">\n'
        f'    <title id="{key}-title">{title}</title>\n'
        f'    <desc id="{key}-desc">{e(chart.summary)}</desc>\n    '
    ]
    if chart.horizontal:
        bottom, tick_y, label_x = (
            _number(chart.plot_bottom),
            _number(add(chart.height, "-6")),
            _number(add(chart.plot_left, "-6")),
        )
        parts.append(_gridlines(chart, lambda x: (x, x, "6", bottom, f'x="{x}" y="{tick_y}" text-anchor="middle"')))
        for bar in chart.bars:
            label, text, y = e(bar.label), e(bar.text), f"{bar.label_y:.1f}"
            parts.append(
                f'\n        <text class="label" x="{label_x}" y="{y}" text-anchor="end">{label}</text>'
                f"\n        {_bar_rect(bar, label, text)}"
                f'\n        <text class="value" x="{bar.label_x:.1f}" y="{y}">{text}</text>\n      '
            )
    else:
        left, width, tick_x = _number(chart.plot_left), _number(chart.width), _number(add(chart.plot_left, "-5"))
        parts.append(_gridlines(chart, lambda y: (left, width, y, y, f'x="{tick_x}" y="{y}" dy="5" text-anchor="end"')))
        for bar in chart.bars:
            label = e(bar.label)
            tick = (
                f'<text class="tick" x="{bar.label_x:.1f}" y="{bar.label_y:.1f}" text-anchor="middle">{label}</text>'
                if bar.show_label
                else ""
            )
            parts.append(f"\n        {_bar_rect(bar, label, e(bar.text))}\n        {tick}\n      ")
    parts.append("\n    \n  </svg>")
    return mark_safe("".join(parts))  # noqa: S308  # every value above is escaped or a formatted number  # nosec B308 B703


def _gridlines(chart: Chart, place: Callable[[str], tuple[str, str, str, str, str]]) -> str:
    """The chart's gridlines, each a line and its tick label, then the opening of the bars' group.
    `place(position)` gives the line's x1, x2, y1, y2 and the tick text's attributes."""
    parts = ["\n      "]
    for line in chart.gridlines:
        x1, x2, y1, y2, tick = place(f"{line.position:.1f}")
        parts.append(
            f'\n        <line class="grid" x1="{x1}" x2="{x2}" y1="{y1}" y2="{y2}"></line>'
            f'\n        <text class="tick" {tick}>{conditional_escape(line.label)}</text>\n      '
        )
    parts.append("\n      ")
    return "".join(parts)


def _bar_rect(bar: Bar, label: str, text: str) -> str:
    """One bar's rectangle with its tooltip (`label` and `text` already escaped)."""
    return (
        f'<rect class="bar" x="{bar.x:.1f}" y="{bar.y:.1f}" width="{bar.width:.1f}" '
        f'height="{bar.height:.1f}"><title>{label}: {text}</title></rect>'
    )


def _axis(highest: float) -> tuple[float, float]:
    """(axis maximum, tick step): 4 or 5 round steps (1, 2 or 5 x 10^n; 25 x 10^n for tens and up)."""
    if highest <= 0:
        return 1, 0.25
    rough = highest / 4
    magnitude = 10 ** math.floor(math.log10(rough))
    steps = (1, 2, 2.5, 5, 10) if magnitude >= 10 else (1, 2, 5, 10)
    step = next(s * magnitude for s in steps if s * magnitude >= rough)
    return step * math.ceil(highest / step - 1e-9), step


def _text(value: float, unit: str) -> str:
    number = f"{value:g}" if value == int(value) else f"{value:.1f}"
    return f"{number}{unit}"


def column_chart(
    key: str, title: str, points: list[ChartPoint], *, table_key: str, table_title: str, unit: str = ""
) -> Chart:
    """Vertical columns, one per point (weeks): labels thinned out so they never overlap."""
    height, left, bottom = 260, 48, 220
    chart = Chart(key, title, table_key, table_title, horizontal=False, height=height, plot_left=left, plot_bottom=bottom)
    values = [(point.label, point.value or 0.0) for point in points]
    if not values:
        return chart
    top, step = _axis(max(value for _, value in values))
    span = bottom - PLOT_TOP
    slot = (WIDTH - left - 8) / len(values)
    widest = max(len(label) for label, _ in values) * CHAR_WIDTH + 10
    every = max(1, math.ceil(widest / slot))
    for i, (label, value) in enumerate(values):
        h = span * value / top
        x = left + i * slot + slot * 0.15
        chart.bars.append(
            Bar(label, value, _text(value, unit), x, bottom - h, slot * 0.7, h, x + slot * 0.35, bottom + 22, i % every == 0)
        )
    ticks = round(top / step)
    chart.gridlines = [Gridline(bottom - span * k / ticks, _text(step * k, unit)) for k in range(ticks + 1)]
    return chart


def bar_chart(
    key: str, title: str, points: list[ChartPoint], *, table_key: str, table_title: str, unit: str = ""
) -> Chart:
    """Horizontal bars, one per category (subjects, exam groups), with the value at the bar's end."""
    row, left = 30, 8 + BAR_LABEL_CHARACTERS * CHAR_WIDTH
    values = [(point.label, point.value or 0.0) for point in points]
    height = PLOT_TOP + row * max(len(values), 1) + 28
    chart = Chart(
        key, title, table_key, table_title, horizontal=True, height=height, plot_left=left, plot_bottom=height - 24
    )
    if not values:
        return chart
    top, step = _axis(max(value for _, value in values))
    span = WIDTH - left - 56
    for i, (label, value) in enumerate(values):
        w = span * value / top
        y = PLOT_TOP + i * row
        short = label if len(label) <= BAR_LABEL_CHARACTERS else label[: BAR_LABEL_CHARACTERS - 1] + "…"
        chart.bars.append(Bar(short, value, _text(value, unit), left, y + 4, w, row - 8, left + w + 6, y + row / 2 + 5))
    ticks = round(top / step)
    chart.gridlines = [Gridline(left + span * k / ticks, _text(step * k, unit)) for k in range(ticks + 1)]
    return chart


# ---------------------------------------------------------------------------
# The report's charts, each drawn from one table of reports.tables (named columns).
# ---------------------------------------------------------------------------
GROUP_LABELS = {"0": "no sessions", "1-3": "1 to 3 sessions", "4+": "4 or more sessions"}


def points(
    table: "Table", label_column: str, value_column: str, label: Callable[[str], str] = str
) -> list[ChartPoint]:
    labels, values = table.column(label_column), table.column(value_column)
    return [
        ChartPoint(label(name), value if value != "" else None) for name, value in zip(labels, values, strict=True)
    ]


def week_label(iso: str) -> str:
    """'2026-03-09' -> '9 Mar': day first, month in words, so no reader takes it for 3 September."""
    day = date.fromisoformat(iso)
    return f"{day.day} {day:%b}"


def exam_group_label(exam: str, group: str) -> str:
    """'Block 2, 4 or more sessions'."""
    return f"{exam}, {GROUP_LABELS.get(group, group + ' sessions')}"


def report_charts(tables: dict[str, "Table"]) -> dict[str, list[Chart]]:
    trends, waitlists, fill, exams = tables["trends"], tables["waitlist-subjects"], tables["fill-rate"], tables["exams"]
    exam_points = [
        ChartPoint(exam_group_label(exam, group), mean)
        for exam, group, mean in zip(
            exams.column("Exam"), exams.column("Sessions attended before"), exams.column("Mean score"), strict=True
        )
        if mean != ""
    ]

    def weekly(key: str, title: str, column: str, unit: str = "") -> Chart:
        return column_chart(
            key, title, points(trends, "Week starting", column, week_label),
            table_key=trends.key, table_title=trends.title, unit=unit,
        )

    return {
        "summary": [
            weekly("chart-held", "Sessions held per week", "Sessions held"),
            weekly("chart-rate", "Attendance rate per week", "Attendance rate (%)", unit="%"),
        ],
        "trends": [
            weekly("chart-attended", "Mentees attending per week", "Attended (with walk-ins)"),
            weekly("chart-hours", "Tutoring hours per week", "Hours"),
        ],
        "waitlist-subjects": [
            bar_chart("chart-unmet", "Unmet waitlist demand by subject", points(waitlists, "Subject", "Unmet"),
                      table_key=waitlists.key, table_title=waitlists.title)
        ],
        "fill-rate": [
            bar_chart("chart-fill", "Fill rate by subject", points(fill, "Subject", "Fill rate (%)"),
                      table_key=fill.key, table_title=fill.title, unit="%")
        ],
        "exams": [
            bar_chart("chart-exams", "Mean exam score by sessions attended", exam_points,
                      table_key=exams.key, table_title=exams.title)
        ],
    }  # fmt: skip
