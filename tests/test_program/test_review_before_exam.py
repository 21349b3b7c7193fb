"""The mentee's dashboard: "Review sessions before your next exam" lists sessions in the exam's
subjects between now and the exam that this mentee may book."""

from datetime import date

import pytest
from django.urls import reverse

from accounts.class_year import graduation_year_for
from tests.factories import ExamFactory, MenteeFactory, MentorFactory, SubjectFactory, published_series

pytestmark = pytest.mark.django_db


@pytest.fixture
def anatomy_exam():
    anatomy = SubjectFactory(name="Anatomy")
    return ExamFactory(name="Block 2: Anatomy", first_day=date(2027, 1, 20), subjects=[anatomy])


def _dashboard(client, user):
    client.force_login(user)
    return client.get(reverse("dashboard")).content.decode()


def test_a_mentee_sees_sessions_in_the_exams_subjects_before_it(client, anatomy_exam):
    published_series(title="Limbs before the block", subject=anatomy_exam.subjects.get(),
                     first_date=date(2027, 1, 5), last_date=date(2027, 1, 26))
    published_series(title="Biochemistry drills", first_date=date(2027, 1, 5), last_date=date(2027, 1, 12))

    page = _dashboard(client, MenteeFactory(graduation_year=graduation_year_for(1)))

    assert "Review sessions before your next exam" in page
    assert "Block 2: Anatomy" in page
    assert page.count("Limbs before the block") == 3  # 5, 12 and 19 January; not the 26th, after the exam
    assert "Biochemistry drills" not in page


def test_sessions_for_other_class_years_are_not_listed(client, anatomy_exam):
    published_series(title="MS2 only", subject=anatomy_exam.subjects.get(), allowed_class_years=[2],
                     first_date=date(2027, 1, 5), last_date=date(2027, 1, 12))

    page = _dashboard(client, MenteeFactory(graduation_year=graduation_year_for(1)))

    assert "MS2 only" not in page
    assert "No review session in these subjects" in page


def test_mentors_do_not_get_the_panel(client, anatomy_exam):
    assert "Review sessions before your next exam" not in _dashboard(client, MentorFactory())


def test_no_upcoming_exam_means_no_panel(client):
    ExamFactory(name="Old block", first_day=date(2026, 10, 1), subjects=[SubjectFactory()])

    assert "Review sessions before your next exam" not in _dashboard(client, MenteeFactory())
