"""The headline exam effect as the summary tile and the PDF write it.

The estimate itself (`reports.selectors.impact.headline_effect`) returns an ExamEffect or None;
the tile and the PDF need only the fields below, so they read any object that has them.
"""

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from reports.periods import Period
    from reports.selectors.impact import ExamEffect

NO_HEADLINE = "No exam effect to show yet"
NO_HEADLINE_WHY = (
    "An adjusted estimate needs an exam in these dates with enough students (at least {minimum} in each "
    "group) who also sat a previous exam of the same kind to adjust for. Until then the exam outcomes "
    "section shows the raw figures only."
)


class ExamEffectLike(Protocol):
    """What the tile reads of an effect (read-only, so a frozen ExamEffect satisfies it)."""

    @property
    def exam(self) -> object: ...  # program.Exam or its name: shown with str()
    @property
    def estimate(self) -> float: ...
    @property
    def ci_low(self) -> float: ...
    @property
    def ci_high(self) -> float: ...
    @property
    def n(self) -> int: ...
    @property
    def unit(self) -> str: ...  # "points", "percentage points", ...
    @property
    def sentence(self) -> str: ...
    @property
    def caveat(self) -> str: ...


def _signed(value: float) -> str:
    return f"{'+' if value > 0 else '−' if value < 0 else ''}{abs(value):.1f}"


@dataclass(frozen=True)
class HeadlineTile:
    exam: str
    estimate_text: str  # "+3.1 points"
    interval_text: str  # "95% CI 0.4 to 5.8"
    n_text: str  # "212 students"
    sentence: str
    caveat: str
    includes_zero: bool
    change_text: str = ""  # "+1.2 points vs the previous term's estimate", or ""


def headline_tile(headline: ExamEffectLike | None, previous: ExamEffectLike | None = None) -> HeadlineTile | None:
    if headline is None:
        return None
    change = ""
    if previous is not None and previous.unit == headline.unit:
        change = f"{_signed(headline.estimate - previous.estimate)} {headline.unit}"
    return HeadlineTile(
        exam=str(headline.exam),
        estimate_text=f"{_signed(headline.estimate)} {headline.unit}",
        interval_text=f"95% CI {headline.ci_low:.1f} to {headline.ci_high:.1f}",
        n_text=f"{headline.n:,} student{'s' if headline.n != 1 else ''}",
        # The caveat is said once, on its own line, not again at the end of the sentence.
        sentence=headline.sentence.replace(headline.caveat, "").strip(),
        caveat=headline.caveat,
        includes_zero=headline.ci_low <= 0 <= headline.ci_high,
        change_text=change,
    )


def headline_effect_for(period: "Period") -> "ExamEffect | None":
    """The headline adjusted effect of the period's latest exam, or None (the page says why).

    The one place the report, its PDF and `report_csv --pdf` get it from."""
    from reports.selectors.impact import headline_effect

    return headline_effect(first_day=period.start, last_day=period.end)
