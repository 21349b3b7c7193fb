"""The archive command and the demo data."""

import csv
import random
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from accounts.models import User
from reports.demo import seed_reports
from reports.models import ExamResult
from reports.periods import parse_term, term
from tests.factories import MenteeFactory
from tests.test_reports import scenario

pytestmark = pytest.mark.django_db


def test_report_csv_writes_every_table_for_the_given_dates(tmp_path, settings):
    settings.TIME_ZONE = "America/Chicago"
    scenario.build()
    call_command("report_csv", "--from", "2026-03-02", "--to", "2026-03-15", "--out", str(tmp_path))
    files = sorted(p.name for p in tmp_path.iterdir())
    assert "20260302-20260315-activity.csv" in files and "20260302-20260315-exams.csv" in files
    with open(tmp_path / "20260302-20260315-activity.csv", encoding="utf-8") as handle:
        rows = dict(csv.reader(handle))
    assert rows["Bookings"] == "11"


def test_report_csv_takes_a_term(tmp_path):
    call_command("report_csv", "--term", "2025-2", "--out", str(tmp_path))
    assert (tmp_path / "2025-2-trends.csv").exists()


def test_report_csv_refuses_a_bad_term(tmp_path):
    with pytest.raises(CommandError):
        call_command("report_csv", "--term", "spring", "--out", str(tmp_path))


def test_terms_are_academic_half_years(settings):
    settings.ACADEMIC_YEAR_START = (7, 1)
    first, second = term(2026, 1), term(2026, 2)
    assert (first.start.isoformat(), first.end.isoformat()) == ("2026-07-01", "2026-12-31")
    assert (second.start.isoformat(), second.end.isoformat()) == ("2027-01-01", "2027-06-30")
    assert parse_term("2026-2") == second


def test_demo_exam_results_can_be_seeded_twice_without_duplicates():
    people = {"mentees": [MenteeFactory(), MenteeFactory()]}
    seed_reports(random.Random(1), people)
    seed_reports(random.Random(1), people)
    assert ExamResult.objects.count() == 6


def test_the_demo_report_shows_an_adjusted_exam_effect_that_the_raw_means_get_backwards(client):
    from io import StringIO

    from reports.periods import program_today
    from reports.selectors import headline_effect
    from reports.selectors.impact import analyse_exam, parse_bands

    call_command("seed_demo", stdout=StringIO())
    today = program_today()
    effect = headline_effect(first_day=today - timedelta(days=30), last_day=today)
    assert effect is not None and effect.exam.name == "Block 2: Foundations"
    assert effect.estimate > 0 and effect.ci_low < effect.estimate < effect.ci_high
    top = analyse_exam(effect.exam, parse_bands("0,1-3,4+")).comparisons[-1]
    assert top.unadjusted.estimate < 0  # the planted selection bias
    client.force_login(User.objects.get(email__startswith="admin@"))
    page = client.get(reverse("reports:report")).content.decode()
    assert effect.sentence.split(" (95% CI")[0] in page
    assert "There is no previous exam of the same kind to adjust for" in page  # the NBME CBSE
