"""The summary at the top of the report: the term's main figures beside the previous term's.

"Previous term" is `reports.periods.previous_period`: the term before when the range is a term,
else the equally long range just before it. The same filters (subject, mentor, class year) apply to
both; a class year is judged at each range's end, so last term's MS1s are compared with this term's.
"""

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from django.utils import timezone

from reports.periods import Period, period_for, previous_period, program_zone
from reports.selectors.activity import ActivityFacts, activity_summary
from reports.selectors.filters import ReportFilters


@dataclass(frozen=True)
class SummaryFigure:
    """One tile: this period's value, the previous period's, and how it is written."""

    key: str
    label: str
    value: float | None
    previous: float | None
    unit: str = ""  # written after the number: "%", " h", " / 5"
    decimals: int = 0
    change_unit: str | None = None  # " points" for rates; None: the figure's own unit

    @property
    def change(self) -> float | None:
        if self.value is None or self.previous is None:
            return None
        return round(self.value - self.previous, self.decimals)

    def _number(self, value: float) -> str:
        return f"{value:,.{self.decimals}f}"

    @property
    def value_text(self) -> str:
        return "–" if self.value is None else f"{self._number(self.value)}{self.unit}"

    @property
    def previous_text(self) -> str:
        return "no data" if self.previous is None else f"{self._number(self.previous)}{self.unit}"

    @property
    def change_text(self) -> str:
        """'+3', '−1.5 points', 'no change', or '' when either side is missing."""
        change = self.change
        if change is None:
            return ""
        if change == 0:
            return "no change"
        sign = "+" if change > 0 else "−"  # a true minus sign reads better than a hyphen
        return f"{sign}{self._number(abs(change))}{self.unit if self.change_unit is None else self.change_unit}"

    @property
    def direction(self) -> str:
        """'up', 'down' or 'same' (for the arrow; the words say it too)."""
        change = self.change
        if change is None or change == 0:
            return "same"
        return "up" if change > 0 else "down"


@dataclass(frozen=True)
class TermSummary:
    period: Period
    previous: Period
    figures: list[SummaryFigure]

    def figure(self, key: str) -> SummaryFigure:
        return next(figure for figure in self.figures if figure.key == key)


def _percent(rate: float | None) -> float | None:
    return None if rate is None else round(rate * 100, 1)


def previous_filters(f: ReportFilters) -> ReportFilters:
    """The same filters over the period the summary compares with."""
    previous = previous_period(f.start, f.end)
    return replace(f, start=previous.start, end=previous.end)


def term_summary(
    f: ReportFilters, facts: ActivityFacts | None = None, *, previous_activity: dict | None = None
) -> TermSummary:
    """The five activity tiles for the range and the previous period (a fixed number of queries).

    `previous_activity`: activity_summary(previous_filters(f)) when the caller has it (cached)."""
    facts = facts or ActivityFacts(f)
    previous = previous_period(f.start, f.end)
    now = activity_summary(f, facts)
    before = previous_activity if previous_activity is not None else activity_summary(previous_filters(f))
    figures = [
        SummaryFigure("sessions_held", "Sessions held", now["sessions_held"], before["sessions_held"]),
        SummaryFigure(
            "hours", "Tutoring hours", round(now["hours_delivered"], 1), round(before["hours_delivered"], 1),
            unit=" h", decimals=1,
        ),
        SummaryFigure("mentees_served", "Mentees served", now["mentees_served"], before["mentees_served"]),
        SummaryFigure(
            "attendance_rate", "Attendance rate", _percent(now["attendance_rate"]), _percent(before["attendance_rate"]),
            unit="%", decimals=1, change_unit=" points",
        ),
        SummaryFigure(
            "average_rating", "Average rating",
            None if now["average_rating"] is None else round(now["average_rating"], 2),
            None if before["average_rating"] is None else round(before["average_rating"], 2),
            unit=" / 5", decimals=2, change_unit="",
        ),
    ]  # fmt: skip
    return TermSummary(period_for(f.start, f.end), previous, figures)


def weeks_worth_showing(weeks: list[dict], now: datetime) -> list[dict]:
    """The weekly rows from the first week with any session or booking up to the current week:
    a term's leading empty weeks and the weeks not yet begun say nothing on a chart."""
    today: date = timezone.localdate(now, program_zone())
    this_monday = today - timedelta(days=today.weekday())
    started = [week for week in weeks if week["week"] <= this_monday]
    first = next(
        (i for i, week in enumerate(started) if week["held"] or week["cancelled"] or week["upcoming"] or week["bookings"]),
        len(started),
    )
    return started[first:]
