"""Importing the school's iCalendar file: how events map, DTEND exclusive, time zones and DST,
re-import by UID, and files that are not iCalendar."""

from datetime import date

import pytest

from program.errors import ImportAlreadyConfirmed, InvalidCalendar, NotICalendar
from program.models import Exam, Holiday, Term
from program.services import confirm_calendar_import, plan_import, upload_calendar
from tests.factories import ProgramAdminFactory, SubjectFactory, TermFactory
from tests.test_program.ical_samples import SCHOOL_CALENDAR, calendar

pytestmark = pytest.mark.django_db


def _import(content: str) -> dict[str, int]:
    upload = upload_calendar(uploaded_by=ProgramAdminFactory(), filename="school.ics", raw=content.encode())
    return confirm_calendar_import(upload=upload)


def test_the_school_calendar_creates_its_term_holidays_and_exam_block():
    SubjectFactory(name="Anatomy"), SubjectFactory(name="Histology"), SubjectFactory(name="Physiology")

    summary = _import(SCHOOL_CALENDAR)

    assert summary["term_create"] == 1 and summary["holiday_create"] == 2 and summary["exam_create"] == 1
    term = Term.objects.get()
    assert (term.name, term.first_day, term.last_day) == ("Spring Term 2027", date(2027, 1, 11), date(2027, 5, 7))
    exam = Exam.objects.get()
    assert exam.kind == Exam.Kind.BLOCK and exam.first_day == exam.last_day == date(2027, 3, 23)
    assert sorted(exam.subjects.values_list("name", flat=True)) == ["Anatomy", "Histology"]


def test_an_all_day_events_dtend_is_the_day_after_its_last_day():
    _import(SCHOOL_CALENDAR)

    spring_break = Holiday.objects.get(ical_uid="spring-break-2027@school.edu")
    assert (spring_break.first_day, spring_break.last_day) == (date(2027, 3, 15), date(2027, 3, 19))


def test_an_all_day_event_without_dtend_is_one_day():
    _import(SCHOOL_CALENDAR)

    mlk = Holiday.objects.get(ical_uid="mlk-2027@school.edu")
    assert mlk.first_day == mlk.last_day == date(2027, 1, 18)


def test_an_event_that_is_no_term_holiday_or_exam_is_listed_as_ignored_and_not_imported():
    plan = plan_import(SCHOOL_CALENDAR)

    ignored = [e.name for e in plan.events if e.action == "ignored"]
    assert ignored == ["Welcome reception"]


def test_a_utc_time_is_read_on_the_programs_local_day_with_daylight_saving_time():
    # 05:30 UTC on 16 March 2027 is 00:30 CDT on the 16th (a fixed CST offset would say 23:30 on the 15th).
    content = calendar("UID:u1\nSUMMARY:Clinic closed\nDTSTART:20270316T053000Z\nDTEND:20270316T070000Z")

    (event,) = plan_import(content).events

    assert event.first_day == event.last_day == date(2027, 3, 16)


def test_a_utc_time_in_winter_is_read_with_the_standard_offset():
    # 05:30 UTC on 16 January is 23:30 CST on the 15th.
    content = calendar("UID:u1\nSUMMARY:Clinic closed\nDTSTART:20270116T053000Z\nDTEND:20270116T070000Z")

    (event,) = plan_import(content).events

    assert event.first_day == date(2027, 1, 15)


def test_a_timed_event_ending_at_midnight_does_not_take_the_next_day():
    content = calendar(
        "UID:u1\nSUMMARY:Faculty holiday\nDTSTART;TZID=America/Chicago:20270315T180000\n"
        "DTEND;TZID=America/Chicago:20270316T000000"
    )

    (event,) = plan_import(content).events

    assert (event.first_day, event.last_day) == (date(2027, 3, 15), date(2027, 3, 15))


def test_a_floating_time_is_read_as_program_time():
    content = calendar("UID:u1\nSUMMARY:Block 3 exam\nDTSTART:20270410T230000\nDTEND:20270410T235900")

    (event,) = plan_import(content).events

    assert event.first_day == date(2027, 4, 10)


def test_categories_decide_before_the_summary():
    content = calendar("UID:u1\nSUMMARY:Exam week rest days\nCATEGORIES:Holiday\nDTSTART;VALUE=DATE:20270401")

    (event,) = plan_import(content).events

    assert event.kind == "holiday"


def test_importing_the_same_file_again_changes_nothing_and_duplicates_nothing():
    _import(SCHOOL_CALENDAR)

    summary = _import(SCHOOL_CALENDAR)

    assert sum(summary.values()) == 0
    assert (Term.objects.count(), Holiday.objects.count(), Exam.objects.count()) == (1, 2, 1)


def test_a_changed_event_is_updated_by_its_uid():
    _import(SCHOOL_CALENDAR)
    moved = SCHOOL_CALENDAR.replace("DTSTART;VALUE=DATE:20270315", "DTSTART;VALUE=DATE:20270322").replace(
        "DTEND;VALUE=DATE:20270320", "DTEND;VALUE=DATE:20270327"
    )

    summary = _import(moved)

    assert summary["holiday_update"] == 1
    spring_break = Holiday.objects.get(ical_uid="spring-break-2027@school.edu")
    assert (spring_break.first_day, spring_break.last_day) == (date(2027, 3, 22), date(2027, 3, 26))
    assert Holiday.objects.count() == 2


def test_a_file_that_is_not_icalendar_is_refused_and_nothing_is_kept():
    with pytest.raises(NotICalendar, match="not an iCalendar"):
        upload_calendar(uploaded_by=ProgramAdminFactory(), filename="roster.csv", raw=b"email,name\na@b.edu,A\n")

    assert Term.objects.count() == 0


def test_a_binary_file_is_refused_with_a_message():
    with pytest.raises(NotICalendar, match="not text"):
        upload_calendar(uploaded_by=ProgramAdminFactory(), filename="photo.ics", raw=b"\xff\xd8\xff\xe0\x00")


def test_an_event_whose_dates_cannot_be_read_is_a_problem_and_nothing_is_imported():
    content = calendar("UID:u1\nSUMMARY:Spring break\nDTSTART:notadate", "UID:u2\nSUMMARY:Fall term\nDTSTART;VALUE=DATE:20270823\nDTEND;VALUE=DATE:20271218")
    upload = upload_calendar(uploaded_by=ProgramAdminFactory(), filename="broken.ics", raw=content.encode())

    (problem,) = plan_import(upload.content).problems
    with pytest.raises(InvalidCalendar):
        confirm_calendar_import(upload=upload)

    assert "cannot be read" in problem.problem
    assert Term.objects.count() == 0


def test_a_term_overlapping_an_existing_term_blocks_the_whole_import():
    TermFactory(name="Winter 2027", first_day=date(2027, 1, 1), last_day=date(2027, 2, 1))
    upload = upload_calendar(uploaded_by=ProgramAdminFactory(), filename="school.ics", raw=SCHOOL_CALENDAR.encode())

    problems = plan_import(upload.content).problems
    with pytest.raises(InvalidCalendar, match="problems"):
        confirm_calendar_import(upload=upload)

    assert "overlaps the term Winter 2027" in problems[0].problem
    assert Holiday.objects.count() == 0 and Exam.objects.count() == 0


def test_an_exam_outside_every_term_blocks_the_import():
    TermFactory(name="Fall 2027", first_day=date(2027, 8, 23), last_day=date(2027, 12, 17))
    content = calendar("UID:e1\nSUMMARY:Block 1 exam\nDTSTART;VALUE=DATE:20270701")

    (event,) = plan_import(content).problems

    assert "outside every term" in event.problem


def test_a_confirmed_import_is_not_applied_twice():
    upload = upload_calendar(uploaded_by=ProgramAdminFactory(), filename="school.ics", raw=SCHOOL_CALENDAR.encode())
    confirm_calendar_import(upload=upload)

    with pytest.raises(ImportAlreadyConfirmed):
        confirm_calendar_import(upload=upload)


def test_an_event_that_ends_before_it_starts_blocks_the_import_with_its_reason():
    content = calendar("UID:bad@school.edu\nSUMMARY:Spring break\nDTSTART;VALUE=DATE:20270319\nDTEND;VALUE=DATE:20270315")
    upload = upload_calendar(uploaded_by=ProgramAdminFactory(), filename="school.ics", raw=content.encode())

    (problem,) = plan_import(upload.content).problems
    assert "ends before it starts" in problem.problem
    with pytest.raises(InvalidCalendar):
        confirm_calendar_import(upload=upload)
    assert not Holiday.objects.exists()
