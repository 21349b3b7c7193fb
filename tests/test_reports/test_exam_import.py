"""Importing exam results from CSV: preview with every bad row, import only a clean file, never twice."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from reports.models import ExamImport, ExamResult
from reports.services import ExamImportError, check_exam_file, confirm_exam_import, upload_exam_file
from tests.factories import MenteeFactory, ProgramAdminFactory
from tests.support.file_checks import assert_problems_on_lines
from tests.test_reports.factories import ExamResultFactory

pytestmark = pytest.mark.django_db

GOOD = "student email,exam name,exam date,score\nann@school.edu,Block 3,2026-03-16,81.5\nben@school.edu,Block 3,2026-03-16,74\n"


@pytest.fixture
def students():
    return MenteeFactory(email="ann@school.edu"), MenteeFactory(email="ben@school.edu")


def _upload(content: str):
    return upload_exam_file(uploaded_by=ProgramAdminFactory(), filename="block3.csv", raw=content.encode())


def test_a_clean_file_is_previewed_without_importing_anything(students):
    exam_import, check = _upload(GOOD)
    assert check.is_clean and check.count("new") == 2
    assert exam_import.status == ExamImport.Status.PREVIEW
    assert not ExamResult.objects.exists()


def test_confirming_a_clean_file_imports_every_row(students):
    exam_import, _ = _upload(GOOD)
    done = confirm_exam_import(exam_import=exam_import)
    assert (done.status, done.rows_created) == (ExamImport.Status.IMPORTED, 2)
    result = ExamResult.objects.get(student=students[0])
    assert (result.exam.name, result.exam.first_day, result.score, result.batch) == (
        "Block 3", date(2026, 3, 16), Decimal("81.50"), done
    )


def test_every_bad_row_is_listed_with_its_line_and_reason(students):
    content = (
        "email,exam,date,score\n"
        "ann@school.edu,Block 3,2026-03-16,81\n"  # line 2: fine
        "nobody@school.edu,Block 3,2026-03-16,70\n"  # 3: unknown email
        "ben@school.edu,Block 3,2026-03-16,101\n"  # 4: out of range
        "ben@school.edu,Block 3,16th March,70\n"  # 5: bad date
        "ann@school.edu,Block 3,2026-03-16,82\n"  # 6: duplicate of 2
        "ben@school.edu,Block 3\n"  # 7: malformed
        "ben@school.edu,Block 3,2026-03-16,abc\n"  # 8: not a number
    )
    check = check_exam_file(content)
    assert_problems_on_lines(check.problems, {
        3: "Unknown email", 4: "out of range", 5: "Bad date", 6: "Duplicate of line 2", 7: "Malformed", 8: "not a number",
    })  # fmt: skip
    assert not check.is_clean


def test_a_file_with_bad_rows_cannot_be_imported(students):
    exam_import, _ = _upload(GOOD + "nobody@school.edu,Block 3,2026-03-16,70\n")
    with pytest.raises(ExamImportError):
        confirm_exam_import(exam_import=exam_import)
    assert not ExamResult.objects.exists()


def test_a_header_without_the_required_columns_is_refused(students):
    problems = check_exam_file("email,score\nann@school.edu,80\n").problems
    assert problems[0].line == 1 and "missing column" in problems[0].reason


def test_the_email_of_a_deleted_account_is_unknown(students):
    ann = students[0]
    ann.deleted_at, ann.is_active = timezone.now(), False
    ann.save()
    assert [p.line for p in check_exam_file(GOOD).problems] == [2]


def test_reimporting_the_same_rows_does_not_duplicate_them(students):
    confirm_exam_import(exam_import=_upload(GOOD)[0])
    again, check = _upload(GOOD)
    assert check.count("unchanged") == 2
    done = confirm_exam_import(exam_import=again)
    assert (done.rows_created, done.rows_unchanged) == (0, 2)
    assert ExamResult.objects.count() == 2


def test_reimporting_a_corrected_score_updates_it(students):
    ExamResultFactory(student=students[0], exam_date=date(2026, 3, 16), score=50)
    done = confirm_exam_import(exam_import=_upload(GOOD)[0])
    assert (done.rows_created, done.rows_updated) == (1, 1)
    assert ExamResult.objects.get(student=students[0]).score == Decimal("81.50")


def test_a_file_is_imported_only_once(students):
    exam_import, _ = _upload(GOOD)
    confirm_exam_import(exam_import=exam_import)
    with pytest.raises(ExamImportError, match="already been imported"):
        confirm_exam_import(exam_import=exam_import)


def test_a_file_that_is_not_utf8_is_refused_with_a_message(students):
    with pytest.raises(ExamImportError, match="UTF-8"):
        upload_exam_file(uploaded_by=ProgramAdminFactory(), filename="x.csv", raw="é".encode("latin-1"))


def test_a_spreadsheet_byte_order_mark_and_us_dates_are_accepted(students):
    check = check_exam_file("\ufeffEmail,Exam,Date,Score\nann@school.edu,Block 3,3/16/2026,80\n")
    assert check.is_clean and check.rows[0].exam.first_day == date(2026, 3, 16)


def test_a_file_of_only_a_byte_order_mark_is_refused_as_empty(students):
    with pytest.raises(ExamImportError, match="empty"):
        upload_exam_file(uploaded_by=ProgramAdminFactory(), filename="bom.csv", raw=b"\xef\xbb\xbf")
    assert not ExamImport.objects.exists()


def test_a_file_with_nul_bytes_is_refused_as_not_csv_text(students):
    with pytest.raises(ExamImportError, match="NUL"):
        upload_exam_file(uploaded_by=ProgramAdminFactory(), filename="x.csv", raw=GOOD.encode() + b"\x00")
    assert not ExamImport.objects.exists()


def test_a_row_with_a_nul_character_is_reported_on_its_line(students):
    check = check_exam_file("email,exam,date,score\nann@school.edu,Block\x003,2026-03-16,81\n")
    assert [(p.line, p.reason) for p in check.problems] == [(2, "Malformed row: it contains a NUL character.")]


def test_a_header_with_more_columns_than_the_limit_is_refused_on_line_one(students):
    extra = ",".join(f"note {n}" for n in range(47))
    content = f"email,exam,date,score,{extra}\nann@school.edu,Block 3,2026-03-16,81,{',' * 46}\n"

    check = check_exam_file(content)

    assert [(p.line, p.reason) for p in check.problems] == [
        (1, "Too many columns: the header has 51; a file may have at most 50 (student email, exam name, exam date, score).")
    ]
    assert not check.rows


def test_a_million_header_columns_are_refused_as_an_overlong_first_line(students):
    check = check_exam_file("," * 1_000_000 + "\nann@school.edu,Block 3,2026-03-16,81\n")

    assert [(p.line, p.reason) for p in check.problems] == [
        (1, "Line too long: 1,000,000 characters; a line may have at most 4,000.")
    ]


def test_every_overlong_line_is_reported_with_its_number(students):
    long_name = "B" * 4_000
    content = f"email,exam,date,score\nann@school.edu,Block 3,2026-03-16,81\nben@school.edu,{long_name},2026-03-16,70\n"

    check = check_exam_file(content)

    assert [p.line for p in check.problems] == [3]
    assert check.problems[0].reason.startswith("Line too long: 4,029 characters")


def test_an_exam_file_over_two_megabytes_is_refused_from_its_size_without_being_read():
    from django.core.files.uploadedfile import UploadedFile

    from reports.forms import ExamUploadForm

    class Unreadable(UploadedFile):
        def read(self, *args):
            raise AssertionError("the upload was read")

        def chunks(self, *args):
            raise AssertionError("the upload was read")

    upload = Unreadable(file=None, name="huge.csv", content_type="text/csv", size=2 * 1024 * 1024 + 1)

    form = ExamUploadForm(data={}, files={"file": upload})

    assert not form.is_valid()
    assert form.errors["file"] == ["The file is larger than 2 MB; split it."]


def test_an_exam_file_longer_than_the_row_limit_is_refused_once_on_the_first_line_past_it(students, monkeypatch):
    monkeypatch.setattr("reports.services.MAX_ROWS", 1)
    content = GOOD + "cy@school.edu,Block 3,2026-03-16,70\n"

    problems = check_exam_file(content).problems

    assert [(p.line, p.reason) for p in problems] == [(3, "Too many rows: import at most 1 at a time.")]
