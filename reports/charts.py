"""Server-rendered SVG charts: geometry computed here, drawn by templates/reports/_chart.html.

No JavaScript and no CDN; every chart sits next to the table it was drawn from, which is its
text alternative for screen readers and for print.
"""

import math
from dataclasses import dataclass, field

WIDTH = 640
PLOT_TOP = 10


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


@dataclass
class Chart:
    key: str
    title: str
    table_key: str
    horizontal: bool
    height: int
    bars: list[Bar] = field(default_factory=list)
    gridlines: list[tuple[float, str]] = field(default_factory=list)
    plot_left: float = 0
    plot_bottom: float = 0
    width: int = WIDTH

    @property
    def summary(self) -> str:
        if not self.bars:
            return f"{self.title}: no data."
        top = max(self.bars, key=lambda bar: bar.value)
        return f"{self.title}: {len(self.bars)} values; highest {top.text} ({top.label}). Data in the table below."


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


def _text(value: float, unit: str) -> str:
    number = f"{value:g}" if value == int(value) else f"{value:.1f}"
    return f"{number}{unit}"


def column_chart(key: str, title: str, points: list[tuple[str, float | None]], *, table_key: str, unit: str = "") -> Chart:
    """Vertical columns, one per point (weeks): labels thinned out so they never overlap."""
    height, left, bottom = 240, 44, 200
    chart = Chart(key, title, table_key, horizontal=False, height=height, plot_left=left, plot_bottom=bottom)
    values = [(label, value or 0.0) for label, value in points]
    if not values:
        return chart
    top = _nice_max(max(value for _, value in values))
    span = bottom - PLOT_TOP
    slot = (WIDTH - left - 10) / len(values)
    every = max(1, math.ceil(len(values) / 10))
    for i, (label, value) in enumerate(values):
        h = span * value / top
        x = left + i * slot + slot * 0.15
        chart.bars.append(
            Bar(label, value, _text(value, unit), x, bottom - h, slot * 0.7, h, x + slot * 0.35, bottom + 16, i % every == 0)
        )
    chart.gridlines = [(bottom - span * k / 4, _text(top * k / 4, unit)) for k in range(5)]
    return chart


def bar_chart(key: str, title: str, points: list[tuple[str, float | None]], *, table_key: str, unit: str = "") -> Chart:
    """Horizontal bars, one per category (subjects), with the value written at the bar's end."""
    row, left = 26, 190
    values = [(label, value or 0.0) for label, value in points]
    height = PLOT_TOP + row * max(len(values), 1) + 24
    chart = Chart(key, title, table_key, horizontal=True, height=height, plot_left=left, plot_bottom=height - 20)
    if not values:
        return chart
    top = _nice_max(max(value for _, value in values))
    span = WIDTH - left - 60
    for i, (label, value) in enumerate(values):
        w = span * value / top
        y = PLOT_TOP + i * row
        short = label if len(label) <= 28 else label[:27] + "…"
        chart.bars.append(Bar(short, value, _text(value, unit), left, y + 4, w, row - 8, left + w + 6, y + row / 2 + 4))
    chart.gridlines = [(left + span * k / 4, _text(top * k / 4, unit)) for k in range(5)]
    return chart
