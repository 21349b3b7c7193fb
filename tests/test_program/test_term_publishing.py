"""Publishing a series for a term: dates and skip dates come from the calendar (holidays and block
exam days on the series' weekday), across a daylight-saving change; the mentor can still change them."""

from datetime import UTC, date, datetime, time

import pytest
from django.urls import reverse

from program.selectors import dates_for_term
from sessions.models import ReviewSeries
from tests.factories import ExamFactory, HolidayFactory, MentorFactory, SubjectFactory, TermFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 1)


@pytest.fixture
def spring():
    term = TermFactory(name="Spring 2027", first_day=date(2027, 1, 11), last_day=date(2027, 5, 7))
    HolidayFactory(name="Spring break", first_day=date(2027, 3, 15), last_day=date(2027, 3, 19))  # Mon-Fri
    HolidayFactory(name="MLK Day", first_day=date(2027, 1, 18), last_day=date(2027, 1, 18))  # a Monday
    ExamFactory(name="Block 2", kind="block", first_day=date(2027, 3, 23), last_day=date(2027, 3, 23))  # a Tuesday
    ExamFactory(name="CBSE", kind="nbme_cbse", first_day=date(2027, 4, 6), last_day=date(2027, 4, 6))  # not a block
    return term


def test_skip_dates_are_the_holidays_and_block_exam_days_on_the_series_weekday(spring):
    dates = dates_for_term(spring, weekday=1, today=TODAY)  # Tuesdays

    assert dates.skip_dates == [date(2027, 3, 16), date(2027, 3, 23)]
    assert (dates.first_date, dates.last_date) == (date(2027, 1, 11), date(2027, 5, 7))


def test_a_term_already_running_starts_today():
    term = TermFactory(name="Fall 2026", first_day=date(2026, 8, 24), last_day=date(2026, 12, 18))

    assert dates_for_term(term, weekday=1, today=TODAY).first_date == TODAY


def _publish_form(term, **fields):
    return {"term": term.pk, "subject": SubjectFactory(name="Anatomy").pk, "title": "Upper limb", "weekday": "1",
            "start_time": "18:00", "duration_minutes": "90", "seats": "8", "location": "Lab B", **fields}


def test_publishing_for_a_term_with_empty_dates_skips_its_holidays_and_keeps_local_time_across_dst(client, spring):
    mentor = MentorFactory()
    client.force_login(mentor)

    response = client.post(reverse("sessions:series_new"), _publish_form(spring, first_date="", last_date=""))

    assert response.status_code == 302
    series = ReviewSeries.objects.get()
    assert series.skipped == {date(2027, 3, 16), date(2027, 3, 23)}
    starts = {o.series_date: o.starts_at for o in series.occurrences.all()}
    assert date(2027, 3, 16) not in starts and date(2027, 3, 23) not in starts
    assert starts[date(2027, 3, 9)] == datetime(2027, 3, 10, 0, 0, tzinfo=UTC)  # 18:00 CST
    assert starts[date(2027, 3, 30)] == datetime(2027, 3, 30, 23, 0, tzinfo=UTC)  # 18:00 CDT
    assert all(o.starts_at.astimezone(series_zone(series)).time() == time(18, 0) for o in series.occurrences.all())
    assert len(starts) == 17 - 2


def series_zone(series):
    from zoneinfo import ZoneInfo

    return ZoneInfo(series.time_zone)


def test_the_mentor_can_change_the_dates_the_term_would_give(client, spring):
    client.force_login(MentorFactory())

    client.post(reverse("sessions:series_new"), _publish_form(
        spring, first_date="2027-02-02", last_date="2027-03-30", skip_dates="2027-03-02",
    ))  # fmt: skip

    series = ReviewSeries.objects.get()
    assert (series.first_date, series.last_date) == (date(2027, 2, 2), date(2027, 3, 30))
    assert series.skipped == {date(2027, 3, 2)}  # the mentor's own skip dates, not the calendar's


def test_fill_from_term_puts_the_calendars_dates_in_the_form_without_publishing(client, spring):
    client.force_login(MentorFactory())

    response = client.post(reverse("sessions:series_new"), {**_publish_form(spring), "fill_from_term": "1"})

    page = response.content.decode()
    assert response.status_code == 200
    assert 'value="2027-01-11"' in page and 'value="2027-05-07"' in page
    assert "2027-03-16, 2027-03-23" in page
    assert 'value="Upper limb"' in page  # the rest of what the mentor typed is kept
    assert ReviewSeries.objects.count() == 0


def test_without_a_term_the_dates_are_required(client):
    client.force_login(MentorFactory())
    form = {"subject": SubjectFactory().pk, "title": "T", "weekday": "1", "start_time": "18:00",
            "duration_minutes": "90", "seats": "8", "location": "Lab"}

    response = client.post(reverse("sessions:series_new"), form)

    assert response.status_code == 400
    assert "pick a term to fill it from the calendar" in response.content.decode()
