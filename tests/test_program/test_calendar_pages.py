"""The academic calendar's admin pages: add, edit, delete, and clear refusals that save nothing."""

from datetime import date

import pytest
from django.urls import reverse

from program.models import Exam, Holiday, Term
from tests.factories import ExamFactory, HolidayFactory, SubjectFactory, TermFactory

pytestmark = pytest.mark.django_db


def _term(**fields):
    return {"name": "Spring 2027", "first_day": "2027-01-11", "last_day": "2027-05-07", **fields}


def test_an_admin_adds_a_term_and_sees_it_on_the_calendar(admin_client):
    response = admin_client.post(reverse("program:term_new"), _term(), follow=True)

    assert "Saved the term Spring 2027" in response.content.decode()
    assert Term.objects.get().last_day == date(2027, 5, 7)


def test_an_overlapping_term_is_refused_with_the_term_it_overlaps_and_nothing_is_saved(admin_client):
    TermFactory(name="Fall 2026", first_day=date(2026, 8, 24), last_day=date(2027, 1, 15))

    response = admin_client.post(reverse("program:term_new"), _term())

    assert response.status_code == 400
    assert "This overlaps the term Fall 2026" in response.content.decode()
    assert 'value="Spring 2027"' in response.content.decode()  # what the admin typed is kept
    assert Term.objects.count() == 1


def test_moving_a_term_onto_another_is_refused(admin_client):
    TermFactory(name="Fall 2026", first_day=date(2026, 8, 24), last_day=date(2026, 12, 18))
    spring = TermFactory(name="Spring 2027", first_day=date(2027, 1, 11), last_day=date(2027, 5, 7))

    response = admin_client.post(reverse("program:term_edit", args=[spring.pk]), _term(first_day="2026-12-01"))

    assert response.status_code == 400
    spring.refresh_from_db()
    assert spring.first_day == date(2027, 1, 11)


def test_a_term_can_be_edited_without_overlapping_itself(admin_client):
    spring = TermFactory(name="Spring 2027", first_day=date(2027, 1, 11), last_day=date(2027, 5, 7))

    admin_client.post(reverse("program:term_edit", args=[spring.pk]), _term(last_day="2027-05-14"))

    spring.refresh_from_db()
    assert spring.last_day == date(2027, 5, 14)


def test_a_last_day_before_the_first_day_is_refused(admin_client):
    response = admin_client.post(reverse("program:holiday_new"),
                                 {"name": "Spring break", "first_day": "2027-03-19", "last_day": "2027-03-15"})

    assert response.status_code == 400
    assert "is before the first day" in response.content.decode()
    assert Holiday.objects.count() == 0


def _exam(**fields):
    return {"name": "Block 2: Anatomy", "kind": "block", "scale": "percent", "first_day": "2027-03-23",
            "last_day": "2027-03-23", **fields}


def test_an_exam_outside_every_term_is_refused_when_terms_exist(admin_client):
    TermFactory(name="Spring 2027", first_day=date(2027, 1, 11), last_day=date(2027, 5, 7))

    response = admin_client.post(reverse("program:exam_new"), _exam(first_day="2027-06-01", last_day="2027-06-01"))

    assert response.status_code == 400
    assert "is outside every term" in response.content.decode()
    assert Exam.objects.count() == 0


def test_an_exam_running_past_the_end_of_its_term_is_refused(admin_client):
    TermFactory(name="Spring 2027", first_day=date(2027, 1, 11), last_day=date(2027, 5, 7))

    response = admin_client.post(reverse("program:exam_new"), _exam(first_day="2027-05-06", last_day="2027-05-10"))

    assert response.status_code == 400


def test_an_exam_inside_a_term_is_saved_with_its_subjects(admin_client):
    TermFactory(name="Spring 2027", first_day=date(2027, 1, 11), last_day=date(2027, 5, 7))
    anatomy = SubjectFactory(name="Anatomy")

    admin_client.post(reverse("program:exam_new"), _exam(subjects=[anatomy.pk]))

    assert list(Exam.objects.get().subjects.all()) == [anatomy]


def test_an_exam_with_no_terms_defined_is_accepted(admin_client):
    admin_client.post(reverse("program:exam_new"), _exam())

    assert Exam.objects.count() == 1


def test_a_scaled_exam_without_its_range_is_refused_on_the_page(admin_client):
    response = admin_client.post(reverse("program:exam_new"), _exam(kind="nbme_cbse", scale="scaled"))

    assert response.status_code == 400
    assert "A scaled score needs its lowest and highest score" in response.content.decode()


def test_a_scaled_exam_with_its_range_is_saved(admin_client):
    admin_client.post(reverse("program:exam_new"), _exam(kind="nbme_cbse", scale="scaled", scale_min="1", scale_max="300"))

    assert Exam.objects.get().scale_label() == "Scaled score 1-300"


def test_the_calendar_page_lists_terms_holidays_and_exams(admin_client):
    TermFactory(name="Spring 2027", first_day=date(2027, 1, 11), last_day=date(2027, 5, 7))
    HolidayFactory(name="Spring break", first_day=date(2027, 3, 15), last_day=date(2027, 3, 19))
    ExamFactory(name="Block 2", first_day=date(2027, 3, 23), subjects=[SubjectFactory(name="Histology")])

    page = admin_client.get(reverse("program:calendar")).content.decode()

    assert "Spring 2027" in page and "Spring break" in page and "Histology" in page


def test_deleting_a_holiday_removes_it(admin_client):
    holiday = HolidayFactory()

    admin_client.post(reverse("program:calendar_delete", args=["holiday", holiday.pk]))

    assert Holiday.objects.count() == 0


def test_deleting_an_exam_with_imported_results_is_refused_with_a_message_and_keeps_it(admin_client):
    from tests.test_reports.factories import ExamResultFactory

    exam = ExamResultFactory().exam

    response = admin_client.post(reverse("program:calendar_delete", args=["exam", exam.pk]), follow=True)

    assert "point at this exam; it is kept for them" in response.content.decode()
    assert Exam.objects.filter(pk=exam.pk).exists()


def test_uploading_a_file_that_is_not_icalendar_shows_a_message_on_the_page(admin_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    file = SimpleUploadedFile("roster.csv", b"email,name\na@b.edu,A\n", content_type="text/csv")
    response = admin_client.post(reverse("program:calendar_import"), {"file": file})

    assert response.status_code == 400
    assert "This is not an iCalendar (.ics) file" in response.content.decode()


def test_the_import_preview_shows_what_will_be_created_before_anything_is_saved(admin_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.test_program.ical_samples import SCHOOL_CALENDAR

    file = SimpleUploadedFile("school.ics", SCHOOL_CALENDAR.encode(), content_type="text/calendar")
    response = admin_client.post(reverse("program:calendar_import"), {"file": file}, follow=True)
    page = response.content.decode()

    assert "Spring Term 2027" in page and "Exam block" in page and "Ignored" in page
    assert Term.objects.count() == 0
    admin_client.post(response.redirect_chain[-1][0])
    assert Term.objects.count() == 1
