"""The one-page term summary as a PDF, drawn with fpdf2 (pure Python: no browser, no Pango).

What it shows: the program's name, the dates and the period compared with, the summary figures
with their change, the headline exam effect with its interval and caveat (or why there is none),
and one chart (sessions held per week) drawn with fpdf2's own rectangles, lines and text.

fpdf2's built-in Helvetica covers Latin-1 only, so text goes through `_latin1` (dashes and minus
signs become hyphens; anything else outside Latin-1 becomes "?"); no font file is needed.
"""

from dataclasses import dataclass
from datetime import datetime

from fpdf import FPDF

from reports.charts import ChartPoint, points, week_label
from reports.headline import NO_HEADLINE, NO_HEADLINE_WHY, HeadlineTile, headline_effect_for, headline_tile
from reports.periods import program_zone
from reports.selectors import TermSummary
from reports.tables import Table, summary_of

_REPLACEMENTS = {"–": "-", "—": "-", "−": "-", "‘": "'", "’": "'", "“": '"', "”": '"', "…": "...", "▲": "+", "▼": "-"}
PAGE_WIDTH, MARGIN = 210, 15  # mm, A4 portrait
CONTENT = PAGE_WIDTH - 2 * MARGIN


def _latin1(text: str) -> str:
    for wide, narrow in _REPLACEMENTS.items():
        text = text.replace(wide, narrow)
    return text.encode("latin-1", "replace").decode("latin-1")


@dataclass(frozen=True)
class SummaryDocument:
    """Everything the page shows; the view and `report_csv --pdf` build it the same way."""

    program_name: str
    summary: TermSummary
    weeks: list[ChartPoint]  # sessions held per week
    headline: HeadlineTile | None
    no_headline_why: str
    computed_at: datetime
    filters_text: str = ""  # "Anatomy · MS1 mentees", when filtered


class _Page(FPDF):
    def text_line(self, text: str, *, size: float = 10, style: str = "", height: float = 5.5, gap: float = 0) -> None:
        self.set_font("helvetica", style, size)
        self.multi_cell(CONTENT, height, _latin1(text), new_x="LMARGIN", new_y="NEXT")
        if gap:
            self.ln(gap)


def _figures(pdf: _Page, document: SummaryDocument) -> None:
    summary = document.summary
    widths = (62, 38, 42, 38)
    heads = ("Figure", "This period", f"Previous ({summary.previous.label})", "Change")
    pdf.set_font("helvetica", "B", 9)
    pdf.set_fill_color(233, 236, 239)
    for width, head in zip(widths, heads, strict=True):
        pdf.cell(width, 7, _latin1(head), border=1, fill=True)
    pdf.ln()
    pdf.set_font("helvetica", "", 10)
    for figure in summary.figures:
        cells = (figure.label, figure.value_text, figure.previous_text, figure.change_text or "-")
        for width, text in zip(widths, cells, strict=True):
            pdf.cell(width, 7, _latin1(text), border=1)
        pdf.ln()
    pdf.ln(4)


def _local_time(moment: datetime) -> str:
    """A time as the report page shows it: in the program's zone, the zone named."""
    local = moment.astimezone(program_zone())
    return f"{local:%d %b %Y %H:%M} ({local.tzname()})"


def _effect(pdf: _Page, document: SummaryDocument) -> None:
    headline = document.headline
    pdf.text_line("Exam effect (adjusted for the previous score)", size=12, style="B", height=6)
    if headline is None:
        pdf.text_line(NO_HEADLINE, style="B")
        pdf.text_line(document.no_headline_why, size=9, height=4.5, gap=3)
        return
    pdf.text_line(
        f"{headline.exam}: {headline.estimate_text} ({headline.interval_text}; {headline.n_text})", size=11, style="B"
    )
    if headline.change_text:
        pdf.text_line(f"Change from {document.summary.previous.label}: {headline.change_text}", size=9)
    pdf.text_line(headline.sentence, size=9, height=4.5)
    pdf.text_line(f"Caveat: {headline.caveat}", size=9, height=4.5, gap=3)


def _chart(pdf: _Page, title: str, weeks: list[ChartPoint]) -> None:
    """Columns per week with a value axis: drawn, not embedded, so it stays sharp and searchable."""
    pdf.text_line(title, size=12, style="B", height=6)
    if not weeks:
        pdf.text_line("No sessions in these dates.", size=9, gap=3)
        return
    left, top, width, height = MARGIN + 12, pdf.get_y() + 3, CONTENT - 14, 55
    bottom = top + height
    highest = max((point.value or 0) for point in weeks) or 1
    step = max(1, int(highest // 4) or 1)
    while highest / step > 5:
        step *= 2
    axis_max = step * (int(highest // step) + (0 if highest % step == 0 else 1))
    pdf.set_font("helvetica", "", 8)
    pdf.set_draw_color(200, 200, 200)
    for tick in range(0, int(axis_max) + 1, step):
        y = bottom - height * tick / axis_max
        pdf.line(left, y, left + width, y)
        pdf.text(left - 2 - pdf.get_string_width(str(tick)), y + 1.2, str(tick))
    slot = width / len(weeks)
    every = max(1, int(12 / slot) + 1)  # a label needs about 12 mm
    pdf.set_fill_color(13, 110, 253)
    for i, point in enumerate(weeks):
        value = point.value or 0
        bar = height * value / axis_max
        x = left + i * slot + slot * 0.15
        if bar:
            pdf.rect(x, bottom - bar, slot * 0.7, bar, style="F")
        if i % every == 0:
            label = _latin1(point.label)
            pdf.text(x + slot * 0.35 - pdf.get_string_width(label) / 2, bottom + 4, label)
    pdf.set_y(bottom + 8)


def summary_pdf(document: SummaryDocument) -> bytes:
    """The one-page summary as PDF bytes."""
    summary = document.summary
    pdf = _Page(orientation="P", unit="mm", format="A4")
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_auto_page_break(auto=False)
    pdf.set_title(_latin1(f"{document.program_name}: term summary {summary.period.label}"))
    pdf.set_author(_latin1(document.program_name))
    pdf.add_page()
    pdf.text_line(document.program_name, size=18, style="B", height=9)
    pdf.text_line(f"Summary for {summary.period.label}", size=13, height=7)
    period = f"{summary.period.start:%d %b %Y} to {summary.period.end:%d %b %Y}"
    pdf.text_line(
        f"{period}{' · ' + document.filters_text if document.filters_text else ''}. Compared with "
        f"{summary.previous.label}. Figures as of {_local_time(document.computed_at)}.",
        size=9, gap=4,
    )  # fmt: skip
    _figures(pdf, document)
    _effect(pdf, document)
    _chart(pdf, "Sessions held per week", document.weeks)
    pdf.text_line(
        "Association, not cause: students who choose to attend may differ in other ways. Groups smaller than "
        "the program's minimum size are never shown. The full report, with every table, is on the platform.",
        size=8, height=4,
    )  # fmt: skip
    return bytes(pdf.output())


def summary_document(
    *, program_name: str, tables: dict[str, Table], computed_at: datetime, minimum_group: int, filters_text: str = ""
) -> SummaryDocument:
    """The PDF's content from the report's tables (cached or fresh) and the headline effect."""
    summary = summary_of(tables)
    return SummaryDocument(
        program_name=program_name,
        summary=summary,
        weeks=points(tables["trends"], "Week starting", "Sessions held", week_label),
        headline=headline_tile(headline_effect_for(summary.period), headline_effect_for(summary.previous)),
        no_headline_why=NO_HEADLINE_WHY.format(minimum=minimum_group),
        computed_at=computed_at,
        filters_text=filters_text,
    )
