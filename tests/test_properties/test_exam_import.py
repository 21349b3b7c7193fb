"""Exam import under arbitrary input: only ExamImportError escapes, bad rows come with line numbers,
and a clean file imports exactly its rows, once."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from reports.models import ExamImport, ExamResult
from reports.services import (
    ExamImportError,
    check_exam_file,
    confirm_exam_import,
    upload_exam_file,
)
from tests.factories import MenteeFactory, ProgramAdminFactory
from tests.test_properties.support import FEW, rolled_back

pytestmark = pytest.mark.django_db

EMAILS = ["ann@school.edu", "ben@school.edu", "cat@school.edu"]
HEADER = ["student email", "exam name", "exam date", "score"]

cells = st.one_of(
    st.text(max_size=30),
    st.sampled_from(EMAILS + ["nobody@school.edu", "", " ", "\x00", "2026-03-16", "3/16/2026", "81.5", "1e9999",
                              "NaN", "-Infinity", "100.001", "-0", "x" * 200]),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.dates().map(str),
)
rows = st.lists(st.lists(cells, min_size=0, max_size=6), max_size=8)


def _csv(header: list[str], body: list[list[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(body)
    return out.getvalue()


@pytest.fixture
def admin():
    for email in EMAILS:
        MenteeFactory(email=email)
    return ProgramAdminFactory()


def _upload_or_refuse(admin, raw: bytes):
    """The upload path an admin takes; the only error it may raise is the documented one."""
    try:
        return upload_exam_file(uploaded_by=admin, filename="x.csv", raw=raw)
    except ExamImportError:
        return None


@FEW
@given(raw=st.one_of(st.binary(max_size=300), st.text(max_size=300).map(lambda s: s.encode("utf-8", "surrogatepass"))))
def test_arbitrary_bytes_are_checked_or_refused_with_an_exam_import_error(admin, raw):
    with rolled_back():
        uploaded = _upload_or_refuse(admin, raw)
        if uploaded:
            exam_import, check = uploaded
            assert exam_import.status == ExamImport.Status.PREVIEW
            assert all(problem.line >= 1 for problem in check.problems)
        assert not ExamResult.objects.exists()


@FEW
@example(header=HEADER, body=[["\x00ann@school.edu", "Block 1", "2026-03-16", "50"]])
@example(header=HEADER, body=[["ann@school.edu", "Block\x00 1", "2026-03-16", "50"]])
@given(header=st.one_of(st.just(HEADER), st.permutations(HEADER), st.lists(cells, max_size=5)), body=rows)
def test_arbitrary_csv_text_reports_every_bad_row_by_a_line_in_the_file(admin, header, body):
    content = _csv(list(header), body)
    with rolled_back():
        check = check_exam_file(content)
        lines = content.count("\n") + 1
        for problem in check.problems:
            assert 1 <= problem.line <= lines and problem.reason
        assert {row.line for row in check.rows}.isdisjoint({p.line for p in check.problems})
        if check.is_clean and "\x00" not in content:  # an upload with NUL is refused before this point
            # Whatever the check accepts, the database accepts too (no 500 at confirmation).
            exam_import = ExamImport.objects.create(uploaded_by=admin, content=content)
            confirm_exam_import(exam_import=exam_import)
            assert ExamResult.objects.count() == len(check.rows)


good_rows = st.lists(
    st.tuples(
        st.sampled_from(EMAILS),
        st.sampled_from(["Block 1", "Block 2", "Shelf: Surgery", "Ünïcode exam"]),
        st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)),
        st.decimals(min_value=0, max_value=100, places=2, allow_nan=False, allow_infinity=False),
    ),
    min_size=1,
    max_size=10,
    unique_by=lambda row: (row[0], row[1], row[2]),
)


@FEW
@given(body=good_rows)
def test_a_clean_file_imports_exactly_its_rows_once(admin, body):
    content = _csv(HEADER, [[e, n, d.isoformat(), str(s)] for e, n, d, s in body])
    with rolled_back():
        exam_import, check = upload_exam_file(uploaded_by=admin, filename="clean.csv", raw=content.encode())
        assert check.is_clean and check.count("new") == len(body)
        done = confirm_exam_import(exam_import=exam_import)
        assert done.rows_created == len(body)
        stored = {(r.student.email, r.exam.name, r.exam.first_day, r.score) for r in ExamResult.objects.select_related("student", "exam")}
        assert stored == {(e, n, d, Decimal(s)) for e, n, d, s in body}

        with pytest.raises(ExamImportError):
            confirm_exam_import(exam_import=exam_import)
        again, _ = upload_exam_file(uploaded_by=admin, filename="clean.csv", raw=content.encode())
        assert confirm_exam_import(exam_import=again).rows_unchanged == len(body)
        assert ExamResult.objects.count() == len(body)
