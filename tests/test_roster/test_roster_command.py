"""The nightly roster command: a file or the newest CSV in a folder, every change logged."""

import io
import os

import pytest
from django.core.management import CommandError, call_command

from accounts.models import User
from roster.models import RosterImport
from tests.factories import MenteeFactory
from tests.test_roster.support import roster, row

pytestmark = pytest.mark.django_db


def _run(*args) -> str:
    out = io.StringIO()
    call_command("import_roster", *map(str, args), stdout=out)
    return out.getvalue()


def test_the_command_imports_a_file_and_logs_each_change(tmp_path):
    MenteeFactory(email="ben@school.edu", first_name="Ben", last_name="Old")
    path = tmp_path / "roster.csv"
    path.write_text(roster(row("ann@school.edu"), row("ben@school.edu", first="Ben", last="New")))

    out = _run(path)

    assert "roster: created ann@school.edu" in out
    assert "roster: updated ben@school.edu: surname Old → New" in out
    assert User.objects.get(email="ben@school.edu").last_name == "New"


def test_given_a_folder_the_command_imports_its_newest_csv_file(tmp_path):
    older, newer = tmp_path / "monday.csv", tmp_path / "tuesday.csv"
    older.write_text(roster(row("old@school.edu")))
    newer.write_text(roster(row("new@school.edu")))
    os.utime(older, (1_000_000, 1_000_000))

    _run(tmp_path)

    assert User.objects.filter(email="new@school.edu").exists()
    assert not User.objects.filter(email="old@school.edu").exists()


def test_a_file_with_problems_fails_listing_them_and_imports_nothing(tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text(roster(row("ann@school.edu"), row("ben@school.edu", roles="boss")))

    with pytest.raises(CommandError, match="line 3: Unknown role"):
        _run(path)

    assert not User.objects.filter(email="ann@school.edu").exists()
    assert not RosterImport.objects.exists()


def test_a_full_roster_deactivating_more_than_the_limit_is_refused(tmp_path):
    MenteeFactory.create_batch(3)
    path = tmp_path / "roster.csv"
    path.write_text(roster(row("ann@school.edu")))

    with pytest.raises(CommandError, match="would deactivate 3 students"):
        _run(path, "--full", "--max-deactivations", 2)

    assert User.objects.filter(is_active=False).count() == 0


def test_a_full_roster_within_the_limit_deactivates_and_logs_the_missing_students(tmp_path):
    gone = MenteeFactory(email="gone@school.edu")
    path = tmp_path / "roster.csv"
    path.write_text(roster(row("ann@school.edu")))

    out = _run(path, "--full")

    gone.refresh_from_db()
    assert not gone.is_active
    assert "roster: deactivated gone@school.edu" in out


def test_a_folder_without_csv_files_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="No .csv file"):
        _run(tmp_path)
