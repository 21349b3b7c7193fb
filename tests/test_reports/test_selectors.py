"""Every report figure against values computed by hand for tests/test_reports/scenario.py."""

from datetime import date

import pytest

from reports import selectors
from tests.test_reports import scenario
from tests.test_reports.scenario import MS1_GRADUATION

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(settings):
    settings.TIME_ZONE = "America/Chicago"
    return scenario.build()


def test_sessions_held_and_cancelled_count_by_local_start_day(world):
    summary = selectors.activity_summary(scenario.filters())
    assert (summary["sessions_held"], summary["sessions_cancelled"], summary["sessions_upcoming"]) == (4, 1, 0)


def test_tutoring_hours_add_up_held_sessions_only(world):
    assert selectors.activity_summary(scenario.filters())["hours_delivered"] == pytest.approx(4.5)


def test_bookings_count_every_seat_booked_including_cancelled_ones(world):
    summary = selectors.activity_summary(scenario.filters())
    assert (summary["bookings"], summary["bookings_cancelled"], summary["late_cancellations"]) == (11, 2, 1)
    assert summary["late_cancel_rate"] == pytest.approx(1 / 11)


def test_attendance_and_no_show_rates_are_shares_of_seats_booked_at_held_sessions(world):
    summary = selectors.activity_summary(scenario.filters())
    assert summary["seats_booked_at_held_sessions"] == 8
    assert (summary["attended_with_booking"], summary["no_shows"], summary["excused"]) == (5, 2, 1)
    assert summary["attendance_rate"] == pytest.approx(5 / 8)
    assert summary["no_show_rate"] == pytest.approx(2 / 8)


def test_walk_ins_count_as_served_but_not_in_the_attendance_rate(world):
    summary = selectors.activity_summary(scenario.filters())
    assert summary["walk_ins"] == 1
    assert summary["mentees_served"] == 3  # A, D and the deleted E


def test_average_rating_covers_held_sessions_in_range(world):
    summary = selectors.activity_summary(scenario.filters())
    assert summary["average_rating"] == pytest.approx(4.0)
    assert summary["ratings"] == 3


def test_subject_filter_narrows_to_that_subjects_sessions(world):
    summary = selectors.activity_summary(scenario.filters(subject_id=world.anatomy.pk))
    assert (summary["sessions_held"], summary["sessions_cancelled"], summary["bookings"]) == (3, 0, 8)
    assert summary["hours_delivered"] == pytest.approx(3.0)


def test_mentor_filter_narrows_to_that_mentors_sessions(world):
    summary = selectors.activity_summary(scenario.filters(mentor_id=world.m2.pk))
    assert (summary["sessions_held"], summary["sessions_cancelled"], summary["mentees_served"]) == (1, 1, 2)


def test_class_year_filter_narrows_mentee_figures_but_not_sessions(world):
    f = scenario.filters(class_year=1)
    assert f.graduation_year == MS1_GRADUATION
    summary = selectors.activity_summary(f)
    assert summary["sessions_held"] == 4
    assert (summary["bookings"], summary["seats_booked_at_held_sessions"]) == (9, 6)
    assert summary["attendance_rate"] == pytest.approx(3 / 6)
    assert summary["mentees_served"] == 2


def test_a_range_ending_the_day_before_leaves_out_the_late_sunday_session(world):
    f = selectors.ReportFilters(start=scenario.START, end=date(2026, 3, 14), now=scenario.NOW)
    assert selectors.activity_summary(f)["sessions_held"] == 3


def test_a_range_starting_on_the_first_includes_the_session_just_before_local_midnight(world):
    f = selectors.ReportFilters(start=date(2026, 3, 1), end=scenario.END, now=scenario.NOW)
    assert selectors.activity_summary(f)["sessions_held"] == 5


def test_sessions_not_yet_ended_are_upcoming_not_held(world):
    f = selectors.ReportFilters(start=scenario.START, end=scenario.END, now=scenario.local(3, 10, 18, 30))
    summary = selectors.activity_summary(f)
    assert (summary["sessions_held"], summary["sessions_upcoming"]) == (2, 2)


def test_weekly_trends_bucket_by_local_monday_and_include_every_week(world):
    weeks = selectors.weekly_trends(scenario.filters())
    assert [w["week"] for w in weeks] == [date(2026, 3, 2), date(2026, 3, 9)]
    first, second = weeks
    assert (first["held"], first["cancelled"], first["hours"]) == (2, 0, pytest.approx(2.5))
    assert (second["held"], second["cancelled"], second["hours"]) == (2, 1, pytest.approx(2.0))
    assert (first["bookings"], second["bookings"]) == (6, 5)
    assert (first["attended"], first["no_shows"], second["attended"], second["no_shows"]) == (5, 1, 1, 1)
    assert first["attendance_rate"] == pytest.approx(4 / 5)
    assert first["average_rating"] == pytest.approx(4.0)
    assert second["average_rating"] is None


def test_waitlist_by_subject_counts_unmet_demand(world):
    rows = {r["subject"]: r for r in selectors.waitlist_by_subject(scenario.filters())}
    assert (rows["Anatomy"]["joined"], rows["Anatomy"]["promoted"], rows["Anatomy"]["unmet"]) == (2, 1, 1)
    assert (rows["Physiology"]["joined"], rows["Physiology"]["unmet"], rows["Physiology"]["mentees_unmet"]) == (3, 2, 2)


def test_waitlist_by_slot_groups_by_weekday_and_local_start_time(world):
    rows = {(r["weekday"], r["start_time"].strftime("%H:%M")): r["unmet"] for r in selectors.waitlist_by_slot(scenario.filters())}
    assert rows == {(1, "18:00"): 1, (3, "19:00"): 2}


def test_fill_rate_counts_booked_seats_of_sessions_not_cancelled(world):
    rows = {r["subject"]: r for r in selectors.fill_rate_by_subject(scenario.filters())}
    assert (rows["Anatomy"]["seats"], rows["Anatomy"]["booked"]) == (9, 6)
    assert rows["Anatomy"]["fill_rate"] == pytest.approx(6 / 9)
    assert rows["Physiology"]["fill_rate"] == pytest.approx(1.0)


def test_subjects_wanted_without_a_mentor_with_room_are_flagged(world):
    rows = {r["subject"]: r for r in selectors.subject_coverage(scenario.filters())}
    assert rows["Anatomy"]["uncovered"] is False and rows["Anatomy"]["mentors_with_room"] == 1
    assert rows["Physiology"]["uncovered"] is True  # its only mentor's account is deleted
    assert rows["Biochemistry"]["uncovered"] is True  # its mentor has no capacity
    assert "Pharmacology" not in rows  # wanted only by a deleted account


def test_mentor_figures_and_deleted_mentors_are_not_named(world):
    rows = {r["mentor_id"]: r for r in selectors.mentor_activity(scenario.filters())}
    m1, m2 = rows[world.m1.pk], rows[world.m2.pk]
    assert (m1["mentor"], m1["held"], m1["hours"], m1["mentees_served"]) == ("Maya One", 3, pytest.approx(3.0), 3)
    assert (m1["notes_written"], m1["notes_missing"]) == (2, 1)
    assert m1["notes_completion"] == pytest.approx(2 / 3)
    assert m1["average_rating"] == pytest.approx(4.5)
    assert (m2["mentor"], m2["held"], m2["cancelled"], m2["hours"]) == ("Deleted account", 1, 1, pytest.approx(1.5))
    assert (m2["mentees_served"], m2["notes_missing"], m2["average_rating"]) == (2, 1, pytest.approx(3.0))
