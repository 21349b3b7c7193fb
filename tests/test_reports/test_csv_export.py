"""CSV exports open in a spreadsheet as data: formula-like cells are neutralised, nothing else changes."""

import csv
import io

import pytest
from django.urls import reverse

from reports.spreadsheet import csv_text
from reports.tables import Table
from tests.factories import MentorFactory, ProgramAdminFactory
from tests.test_reports import scenario
from tests.test_reports.factories import OccurrenceFactory, ReviewSeriesFactory

FORTNIGHT = {"start": "2026-03-02", "end": "2026-03-15"}


def _cells(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


@pytest.mark.parametrize("risky", ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1"])
def test_a_cell_that_a_spreadsheet_would_run_gets_a_leading_apostrophe(risky):
    assert _cells(csv_text(["Name"], [[risky]]))[1] == ["'" + risky]


@pytest.mark.parametrize("plain", ["", "Maya One", "a=b", "x-ray", "1", " =1"])
def test_every_other_text_cell_is_written_as_it_is(plain):
    assert _cells(csv_text(["Name"], [[plain]]))[1] == [plain]


def test_numbers_and_empty_cells_are_not_quoted():
    assert _cells(csv_text(["a", "b", "c", "d"], [["", -5, 0.5, None]]))[1] == ["", "-5", "0.5", ""]


def test_a_report_table_uses_the_protected_writer_for_its_header_too():
    table = Table("t", "T", ["=Mentor", "Hours"], [["=HYPERLINK(1)", ""]])
    assert _cells(table.to_csv()) == [["'=Mentor", "Hours"], ["'=HYPERLINK(1)", ""]]


@pytest.mark.django_db
def test_an_exported_table_keeps_its_empty_cells_empty(client, settings):
    # Nobody rated Nora's session, so she has no average rating: an empty cell, not a lone apostrophe.
    settings.TIME_ZONE = "America/Chicago"
    scenario.build()
    nora = MentorFactory(first_name="Nora", last_name="Unrated")
    OccurrenceFactory(series=ReviewSeriesFactory(mentor=nora), starts_at=scenario.local(3, 4, 18))
    client.force_login(ProgramAdminFactory())

    content = client.get(reverse("reports:export", kwargs={"key": "mentors"}), FORTNIGHT).content.decode()

    rows = _cells(content)
    nora_row = next(row for row in rows if row[0] == "Nora Unrated")
    assert nora_row[rows[0].index("Average rating")] == ""
    assert not any(cell == "'" for row in rows for cell in row)

