"""Importing results on the chosen exam's scale: percent, scaled (whole numbers in range), pass/fail;
a file naming its exams is matched to the catalogue or adds a percent block exam."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from program.models import Exam
from reports.models import ExamResult
from reports.services import check_exam_file, confirm_exam_import, upload_exam_file
from tests.factories import ExamFactory, MenteeFactory, ProgramAdminFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def students():
    return MenteeFactory(email="ann@school.edu"), MenteeFactory(email="ben@school.edu")


def _reasons(content: str, exam: Exam | None) -> dict[int, str]:
    return {p.line: p.reason for p in check_exam_file(content, exam).problems}


def test_a_scaled_exam_takes_whole_numbers_in_its_range(students):
    cbse = ExamFactory(name="NBME CBSE", kind="nbme_cbse", scale="scaled", scale_min=1, scale_max=300)
    exam_import, check = upload_exam_file(uploaded_by=ProgramAdminFactory(), filename="cbse.csv", exam=cbse,
                                          raw=b"email,score\nann@school.edu,212\nben@school.edu,187\n")  # fmt: skip
    assert check.is_clean
    confirm_exam_import(exam_import=exam_import)
    assert sorted(ExamResult.objects.filter(exam=cbse).values_list("score", flat=True)) == [Decimal(187), Decimal(212)]


def test_a_scaled_exam_refuses_out_of_range_decimal_and_pass_fail_values_line_by_line(students):
    cbse = ExamFactory(name="NBME CBSE", kind="nbme_cbse", scale="scaled", scale_min=1, scale_max=300)
    reasons = _reasons("email,score\nann@school.edu,301\nben@school.edu,212.5\nann@school.edu,Pass\n", cbse)
    assert "out of range: NBME CBSE is a scaled score from 1 to 300" in reasons[2]
    assert "not a whole number" in reasons[3]
    assert "'Pass' is a pass/fail result, but NBME CBSE is a scaled score" in reasons[4]


def test_a_pass_fail_exam_takes_pass_and_fail_and_stores_no_score(students):
    step1 = ExamFactory(name="Step 1", kind="step1", scale="pass_fail")
    exam_import, check = upload_exam_file(uploaded_by=ProgramAdminFactory(), filename="s1.csv", exam=step1,
                                          raw=b"email,result\nann@school.edu,Pass\nben@school.edu,fail\n")  # fmt: skip
    assert check.is_clean
    confirm_exam_import(exam_import=exam_import)
    stored = {r.student.email: (r.score, r.passed) for r in ExamResult.objects.select_related("student")}
    assert stored == {"ann@school.edu": (None, True), "ben@school.edu": (None, False)}


def test_a_pass_fail_exam_refuses_a_score(students):
    step1 = ExamFactory(name="Step 1", kind="step1", scale="pass_fail")
    assert "Step 1 is pass/fail, write Pass or Fail" in _reasons("email,score\nann@school.edu,230\n", step1)[2]


def test_a_percent_exam_refuses_pass(students):
    block = ExamFactory(name="Block 2")
    assert "is a pass/fail result, but Block 2 is a percent score" in _reasons("email,score\nann@school.edu,Pass\n", block)[2]


def test_a_file_for_a_chosen_exam_needs_the_email_and_score_columns(students):
    block = ExamFactory(name="Block 2")
    assert "missing column(s) score (expected: student email, score)" in _reasons("email,grade\nann@school.edu,80\n", block)[1]


def test_a_file_naming_its_exam_is_matched_to_the_catalogue_exam_and_its_scale(students):
    step1 = ExamFactory(name="Step 1", kind="step1", scale="pass_fail", first_day=date(2026, 6, 1))
    exam_import, check = upload_exam_file(uploaded_by=ProgramAdminFactory(), filename="s1.csv",
                                          raw=b"email,exam,date,score\nann@school.edu,step 1,2026-06-01,Pass\n")  # fmt: skip
    assert check.is_clean and check.new_exams() == []
    confirm_exam_import(exam_import=exam_import)
    assert ExamResult.objects.get().exam == step1 and Exam.objects.count() == 1


def test_a_file_naming_an_unknown_exam_adds_a_percent_block_exam_on_import(students):
    exam_import, check = upload_exam_file(uploaded_by=ProgramAdminFactory(), filename="b.csv",
                                          raw=b"email,exam,date,score\nann@school.edu,Block 9,2026-03-16,81\n")  # fmt: skip
    assert [(r.name, r.first_day) for r in check.new_exams()] == [("Block 9", date(2026, 3, 16))]
    assert not Exam.objects.exists()  # the preview adds nothing
    confirm_exam_import(exam_import=exam_import)
    exam = Exam.objects.get()
    assert (exam.name, exam.kind, exam.scale, exam.first_day) == ("Block 9", "block", "percent", date(2026, 3, 16))


def test_the_upload_form_offers_the_catalogue_and_the_preview_names_the_exam(client, students):
    cbse = ExamFactory(name="NBME CBSE", kind="nbme_cbse", scale="scaled", scale_min=1, scale_max=300)
    client.force_login(ProgramAdminFactory())
    page = client.get(reverse("reports:exam_import")).content.decode()
    assert "NBME CBSE (15 Oct 2026; Scaled score 1-300)" in page
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(reverse("reports:exam_import"), {
        "exam": cbse.pk, "file": SimpleUploadedFile("cbse.csv", b"email,score\nann@school.edu,400\n", "text/csv"),
    })  # fmt: skip
    preview = client.get(response["Location"]).content.decode()
    assert "Results for <strong>NBME CBSE" in preview
    assert "Score 400 is out of range: NBME CBSE is a scaled score from 1 to 300." in preview


def test_the_database_keeps_exactly_one_of_score_and_passed(students):
    exam = ExamFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        ExamResult.objects.create(student=students[0], exam=exam, score=None, passed=None, imported_at=timezone.now())
    with pytest.raises(IntegrityError), transaction.atomic():
        ExamResult.objects.create(student=students[0], exam=exam, score=50, passed=True, imported_at=timezone.now())


def test_a_students_data_export_holds_their_exam_results_on_each_scale(students):
    from accounts.services import build_data_export

    step1 = ExamFactory(name="Step 1", kind="step1", scale="pass_fail")
    ExamResult.objects.create(student=students[0], exam=step1, passed=True, imported_at=timezone.now())
    ExamResult.objects.create(student=students[0], exam=ExamFactory(name="Block 2"), score=Decimal("81.50"), imported_at=timezone.now())
    exported = build_data_export(user=students[0])["reports"]["exam_results"]
    assert {(r["exam"], r["result"]) for r in exported} == {("Step 1", "Pass"), ("Block 2", "81.5")}
