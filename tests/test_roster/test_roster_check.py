"""Checking a roster file: every bad row listed with its line and reason, nothing written."""

import pytest

from accounts.models import User
from roster.models import RosterImport
from roster.services import MAX_FILE_BYTES, RosterImportError, check_roster, confirm_roster_import
from tests.factories import MenteeFactory
from tests.support.file_checks import assert_problems_on_lines
from tests.test_roster.factories import RosterEntryFactory
from tests.test_roster.support import ms, roster, row, upload

pytestmark = pytest.mark.django_db


def _reasons(content: str) -> dict[int, str]:
    return {problem.line: problem.reason for problem in check_roster(content).problems}


def test_a_clean_file_is_previewed_with_every_row_new_and_nothing_written():
    pending = upload(roster(row("ann@school.edu"), row("ben@school.edu", first="Ben")))

    check = check_roster(pending.content)

    assert check.is_clean and check.count("new") == 2
    assert not User.objects.filter(email__in=["ann@school.edu", "ben@school.edu"]).exists()


def test_every_bad_row_is_listed_with_its_line_and_reason():
    content = roster(
        row("ann@school.edu"),  # 2: fine
        row("ben@school.edu", roles="mentee;tutor"),  # 3: unknown role
        row("cy@school.edu", year=1999),  # 4: year out of range
        row("ann@school.edu", first="Annie"),  # 5: duplicate email
        row("not-an-email"),  # 6: bad email
        "dee@school.edu,Dee",  # 7: malformed
        row("eve@school.edu", year="soon"),  # 8: not a year
        row("fay@school.edu", first=""),  # 9: name missing
    )

    problems = check_roster(content).problems

    assert_problems_on_lines(problems, {
        3: "Unknown role 'tutor'", 4: "out of range", 5: "Duplicate email ann@school.edu: also on line 2",
        6: "not an email address", 7: "Malformed row", 8: "not a year", 9: "required",
    })  # fmt: skip


def test_a_graduation_year_beyond_the_incoming_class_is_out_of_range():
    assert "out of range" in _reasons(roster(row("ann@school.edu", year=ms(1) + 1)))[2]


def test_control_characters_in_a_name_are_refused_on_their_line():
    reasons = _reasons(roster(row("ann@school.edu", first="An\x07n"), row("ben@school.edu", last="Lee\u200f")))

    assert sorted(reasons) == [2, 3]
    assert "control characters" in reasons[2]


def test_a_student_id_twice_in_the_file_is_refused():
    content = roster(row("ann@school.edu", student_id="S1"), row("ben@school.edu", student_id="S1"))

    assert "Duplicate student id S1: also on line 2" in _reasons(content)[3]


def test_a_student_id_that_belongs_to_someone_else_is_refused():
    RosterEntryFactory(user=MenteeFactory(email="zoe@school.edu"), student_id="S9")

    assert "belongs to zoe@school.edu" in _reasons(roster(row("ann@school.edu", student_id="S9")))[2]


def test_a_header_without_the_required_columns_is_refused_on_line_1():
    problems = check_roster("email,surname\nann@school.edu,Lee\n").problems

    assert problems[0].line == 1 and "missing column(s) given name, graduation year, roles" in problems[0].reason


def test_a_field_too_large_for_csv_is_reported_as_malformed_csv():
    content = roster(row("ann@school.edu")) + 'ben@school.edu,"' + "x" * 200_000 + '",Lee,2030,mentee,,\n'

    assert any("Malformed CSV" in p.reason for p in check_roster(content).problems)


def test_a_latin1_upload_is_refused_and_nothing_is_stored():
    from roster.services import upload_roster

    with pytest.raises(RosterImportError, match="UTF-8"):
        upload_roster(uploaded_by=None, filename="x.csv", raw=roster(row("a@school.edu", first="Zoë")).encode("latin-1"))
    assert not RosterImport.objects.exists()


def test_a_file_larger_than_the_limit_is_refused():
    from roster.services import upload_roster

    with pytest.raises(RosterImportError, match="larger than"):
        upload_roster(uploaded_by=None, filename="x.csv", raw=b"x" * (MAX_FILE_BYTES + 1))


def test_a_file_with_a_bad_row_cannot_be_imported_and_nothing_is_written():
    pending = upload(roster(row("ann@school.edu"), row("ben@school.edu", roles="boss")))

    with pytest.raises(RosterImportError, match="problems"):
        confirm_roster_import(roster_import=pending)

    assert not User.objects.filter(email="ann@school.edu").exists()
    pending.refresh_from_db()
    assert pending.status == RosterImport.Status.PREVIEW


def test_checking_a_large_roster_takes_the_same_number_of_queries_as_a_small_one(django_assert_max_num_queries):
    small = roster(*(row(f"s{i}@school.edu") for i in range(5)))
    large = roster(*(row(f"l{i}@school.edu") for i in range(500)))
    MenteeFactory.create_batch(3)

    with django_assert_max_num_queries(3):
        check_roster(small, full_roster=True)
    with django_assert_max_num_queries(3):
        check_roster(large, full_roster=True)


def test_a_roster_longer_than_the_row_limit_is_refused_once_on_the_first_line_past_it(monkeypatch):
    monkeypatch.setattr("roster.services.check.MAX_ROWS", 2)
    content = roster(row("ann@school.edu"), "", row("ben@school.edu"), row("cy@school.edu"), row("dee@school.edu"))

    reasons = _reasons(content)

    assert reasons == {5: "Too many rows: import at most 2 at a time."}
