"""The weekly wall-clock rule: which dates a series meets on, and when that is in UTC.

A series meets on `weekday` at `start_time` local time in `time_zone`; the UTC instant of each
occurrence is computed per date with zoneinfo, so 18:00 stays 18:00 across daylight saving.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sessions.errors import InvalidSchedule

MAX_WEEKS = 53


@dataclass(frozen=True)
class Slot:
    series_date: date
    starts_at: datetime  # aware, UTC
    ends_at: datetime  # aware, UTC


def series_dates(*, first_date: date, last_date: date, weekday: int, skip_dates: Iterable[date] = ()) -> list[date]:
    """Every `weekday` from first_date to last_date inclusive, minus the skipped dates."""
    skipped = set(skip_dates)
    day = first_date + timedelta(days=(weekday - first_date.weekday()) % 7)
    dates = []
    while day <= last_date:
        if day not in skipped:
            dates.append(day)
        day += timedelta(weeks=1)
    return dates


def local_instant(day: date, start_time: time, time_zone: str) -> datetime:
    """The UTC instant of `start_time` on `day` in `time_zone`.

    InvalidSchedule if that wall time does not exist (the spring-forward gap) or happens twice
    (the hour repeated when the clocks go back): neither can be booked without saying which instant.
    """
    zone = ZoneInfo(time_zone)
    wall = datetime.combine(day, start_time)
    aware = wall.replace(tzinfo=zone)
    in_utc = aware.astimezone(UTC)
    # A wall time inside a spring-forward gap does not survive the round trip through UTC.
    if in_utc.astimezone(zone).replace(tzinfo=None) != wall:
        raise InvalidSchedule(
            f"{start_time:%H:%M} does not exist on {day:%A %d %B %Y} in {time_zone}: the clocks jump "
            "forward that night. Choose another start time or skip that date.",
            field="start_time",
        )
    # In the repeated hour the two folds of the same wall time are an hour apart.
    if aware.utcoffset() != aware.replace(fold=1).utcoffset():
        first, second = aware.tzname(), aware.replace(fold=1).tzname()
        raise InvalidSchedule(
            f"{start_time:%H:%M} happens twice on {day:%A %d %B %Y} in {time_zone} ({first}, then {second}): "
            "the clocks go back that night. Choose another start time or skip that date.",
            field="start_time",
        )
    return in_utc


def weekly_slots(
    *,
    first_date: date,
    last_date: date,
    weekday: int,
    start_time: time,
    duration: timedelta,
    time_zone: str,
    skip_dates: Iterable[date] = (),
) -> list[Slot]:
    if last_date < first_date:
        raise InvalidSchedule("The last date is before the first date.", field="last_date")
    if (last_date - first_date).days > MAX_WEEKS * 7:
        raise InvalidSchedule("A series can run for at most a year; publish a new one next term.", field="last_date")
    slots = []
    for day in series_dates(first_date=first_date, last_date=last_date, weekday=weekday, skip_dates=skip_dates):
        starts_at = local_instant(day, start_time, time_zone)
        slots.append(Slot(series_date=day, starts_at=starts_at, ends_at=starts_at + duration))
    return slots


def intervals_overlap(a_start: datetime, a_end: datetime, b_start: datetime, b_end: datetime) -> bool:
    return a_start < b_end and b_start < a_end
