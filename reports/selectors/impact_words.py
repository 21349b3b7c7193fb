"""Attendance bands and the plain words under each estimate (no database)."""

import re
from collections.abc import Sequence
from dataclasses import dataclass

from reports.estimate import Fitted

# Fewer students than this in a model: the sentence warns that the estimate is imprecise.
SMALL_SAMPLE = 30
DEFAULT_BANDS = "0,1-3,4+"
STUDY_BANDS = "0-6,7-15,16-24"  # of 24 weekly sessions, as in the observational study (Med Teach 2022)
BAND_CHOICES = [(DEFAULT_BANDS, "0, 1-3, 4 or more sessions"), (STUDY_BANDS, "0-6, 7-15, 16-24 sessions (the published study)")]
_BAND = re.compile(r"^(\d+)(?:-(\d+)|(\+))?$")


@dataclass(frozen=True)
class Band:
    """Sessions attended from `low` to `high` (both included); `high` None: `low` or more."""

    label: str
    low: int
    high: int | None

    @property
    def key(self) -> str:
        return f"band {self.label}"

    def holds(self, sessions: int) -> bool:
        return self.low <= sessions and (self.high is None or sessions <= self.high)


def parse_bands(text: str) -> tuple[Band, ...]:
    """Bands from "0,1-3,4+": contiguous from 0, at least two; the last one holds every higher count too
    (so "16-24" of a 24-session study also holds a student who came 25 times)."""
    bands: list[Band] = []
    for part in (p.strip() for p in text.split(",")):
        match = _BAND.match(part)
        if not match:
            raise ValueError(f"Attendance band {part!r} is not like 0, 1-3 or 4+.")
        low = int(match.group(1))
        high = None if match.group(3) else int(match.group(2) or low)
        expected = bands[-1].high + 1 if bands and bands[-1].high is not None else 0
        if bands and bands[-1].high is None or low != expected or (high is not None and high < low):
            raise ValueError(f"Attendance bands must run from 0 without gaps or overlaps: {text!r}.")
        bands.append(Band(part, low, high))
    if len(bands) < 2:
        raise ValueError("Give at least two attendance bands, such as 0,1-3,4+.")
    last = bands[-1]
    bands[-1] = Band(last.label, last.low, None)
    return tuple(bands)


def band_words(band: Band) -> str:
    if band.low == 0 and band.high == 0:
        return "no sessions"
    if band.high is None and band.label.endswith("+"):
        return f"{band.low} or more sessions"
    if band.high is None:
        return f"{band.label.replace('-', ' to ')} sessions (or more)"
    if band.low == band.high:
        return f"{band.low} session{'s' if band.low != 1 else ''}"
    return f"{band.low} to {band.high} sessions"


def number(value: float) -> str:
    return f"{value:.1f}".replace("-0.0", "0.0")


def sentence(template: str, fitted: Fitted, unit: str, *, adjusted: bool, directions: Sequence[str] = ("higher", "lower")) -> str:
    """`template` (with {amount} and {direction}) filled in, then the interval, n and what it means."""
    # By the figure as written: an estimate that rounds to 0.0 is not called "lower".
    direction = directions[0] if float(number(fitted.estimate)) >= 0 else directions[1]
    text = template.format(amount=f"{number(abs(fitted.estimate))} {unit}", direction=direction)
    text += f" (95% CI {number(fitted.ci_low)} to {number(fitted.ci_high)}; {fitted.n} students)."
    if adjusted:
        return text + " " + caveat()
    return text + " This raw difference does not account for who chose to attend."


def caveat() -> str:
    return (
        "This is an association, not proof that the sessions caused it: students choose to attend, and the "
        "adjustment accounts only for what the previous score and class year capture."
    )


def warning(fitted: Fitted) -> str:
    parts = []
    if fitted.n < SMALL_SAMPLE:
        parts.append(f"Only {fitted.n} students: the estimate is imprecise.")
    if fitted.includes_zero:
        parts.append("The interval includes 0: the data are consistent with no difference at all.")
    return " ".join(parts)
