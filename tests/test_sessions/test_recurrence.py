from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from sessions.errors import InvalidSchedule
from sessions.recurrence import local_instant, series_dates, weekly_slots

CHICAGO = "America/Chicago"


def test_weekly_dates_start_on_the_first_matching_weekday_and_include_the_last_date():
    dates = series_dates(first_date=date(2026, 1, 5), last_date=date(2026, 1, 27), weekday=1)

    assert dates == [date(2026, 1, 6), date(2026, 1, 13), date(2026, 1, 20), date(2026, 1, 27)]


def test_skipped_dates_have_no_session():
    dates = series_dates(
        first_date=date(2026, 1, 6), last_date=date(2026, 1, 27), weekday=1, skip_dates=[date(2026, 1, 13)]
    )

    assert date(2026, 1, 13) not in dates
    assert len(dates) == 3


def test_six_pm_stays_six_pm_local_across_the_march_change():
    slots = weekly_slots(
        first_date=date(2026, 3, 3), last_date=date(2026, 3, 10), weekday=1, start_time=time(18, 0),
        duration=timedelta(minutes=90), time_zone=CHICAGO,
    )

    local = [s.starts_at.astimezone(ZoneInfo(CHICAGO)) for s in slots]
    assert [t.hour for t in local] == [18, 18]
    assert slots[0].starts_at == datetime(2026, 3, 4, 0, 0, tzinfo=UTC)  # CST, UTC-6
    assert slots[1].starts_at == datetime(2026, 3, 10, 23, 0, tzinfo=UTC)  # CDT, UTC-5


def test_six_pm_stays_six_pm_local_across_the_november_change():
    slots = weekly_slots(
        first_date=date(2026, 10, 27), last_date=date(2026, 11, 3), weekday=1, start_time=time(18, 0),
        duration=timedelta(minutes=60), time_zone=CHICAGO,
    )

    assert [s.starts_at.astimezone(ZoneInfo(CHICAGO)).hour for s in slots] == [18, 18]
    assert slots[1].starts_at - slots[0].starts_at == timedelta(days=7, hours=1)


def test_a_start_time_inside_the_spring_forward_gap_is_refused_with_the_date():
    with pytest.raises(InvalidSchedule, match="2:30|02:30") as error:
        local_instant(date(2026, 3, 8), time(2, 30), CHICAGO)

    assert "8 March 2026" in error.value.message


def test_a_series_ending_before_it_starts_is_refused():
    with pytest.raises(InvalidSchedule, match="before the first date"):
        weekly_slots(
            first_date=date(2026, 3, 10), last_date=date(2026, 3, 1), weekday=1, start_time=time(18, 0),
            duration=timedelta(minutes=60), time_zone=CHICAGO,
        )
