"""The one-page PDF summary: read back with pypdf, from the page's link and from report_csv --pdf."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from tests.factories import MenteeFactory
from tests.test_reports import scenario
from tests.test_reports.test_summary import FakeEffect

pytestmark = pytest.mark.django_db

FORTNIGHT = {"start": "2026-03-02", "end": "2026-03-15"}


@pytest.fixture
def world(settings):
    settings.TIME_ZONE = "America/Chicago"
    settings.PROGRAM_NAME = "Riverside Near-Peer Program"
    return scenario.build()


def _pdf(content: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(content))
    return len(reader.pages), " ".join(page.extract_text() for page in reader.pages)


def test_the_pdf_is_one_page_with_the_program_the_figures_and_the_previous_period(world, admin_client):
    response = admin_client.get(reverse("reports:summary_pdf"), FORTNIGHT)

    assert response["Content-Type"] == "application/pdf"
    pages, text = _pdf(response.content)
    assert pages == 1
    assert "Riverside Near-Peer Program" in text and "2 Mar 2026 - 15 Mar 2026" in text
    assert "Compared with 16 Feb 2026 - 1 Mar 2026" in text
    assert "Sessions held 4 1 +3" in text and "Attendance rate 62.5% 100.0% -37.5 points" in text
    assert "Sessions held per week" in text and "2 Mar" in text and "9 Mar" in text


def test_without_an_estimate_the_pdf_says_why(world, admin_client):
    _, text = _pdf(admin_client.get(reverse("reports:summary_pdf"), FORTNIGHT).content)

    assert "No exam effect to show yet" in text and "previous" in text


def test_the_pdf_shows_the_effect_with_its_interval_and_caveat(world, admin_client, monkeypatch):
    monkeypatch.setattr("reports.pdf.headline_effect_for", lambda period: FakeEffect())

    _, text = _pdf(admin_client.get(reverse("reports:summary_pdf"), FORTNIGHT).content)

    assert "Block 2: +3.1 points (95% CI 0.4 to 5.8; 212 students)" in text
    assert "Caveat: This is an association, not proof that the sessions caused it." in text


def test_the_pdf_names_the_filters_it_was_made_with(world, admin_client):
    _, text = _pdf(
        admin_client.get(reverse("reports:summary_pdf"), {**FORTNIGHT, "subject": world.anatomy.pk}).content
    )

    assert "Anatomy" in text and "Sessions held 3 1 +2" in text


def test_the_report_links_the_pdf_with_its_filters(world, admin_client):
    html = admin_client.get(reverse("reports:report"), FORTNIGHT).content.decode()

    assert f'{reverse("reports:summary_pdf")}?start=2026-03-02&amp;end=2026-03-15' in html


def test_report_csv_writes_the_pdf_for_the_archive_when_asked(world, tmp_path):
    call_command("report_csv", "--from", "2026-03-02", "--to", "2026-03-15", "--out", str(tmp_path), "--pdf")

    pages, text = _pdf((tmp_path / "20260302-20260315-summary.pdf").read_bytes())
    assert pages == 1 and "Riverside Near-Peer Program" in text and "Sessions held 4 1 +3" in text


def test_report_csv_writes_no_pdf_unless_asked(world, tmp_path):
    call_command("report_csv", "--from", "2026-03-02", "--to", "2026-03-15", "--out", str(tmp_path))

    assert not list(tmp_path.glob("*.pdf"))


def test_a_name_outside_latin_1_does_not_break_the_pdf(world, admin_client, settings):
    settings.PROGRAM_NAME = "Programme d’entraide – 同伴"
    MenteeFactory()

    pages, text = _pdf(admin_client.get(reverse("reports:summary_pdf"), FORTNIGHT).content)

    assert pages == 1 and "Programme d'entraide - ??" in text


def test_the_pdf_says_the_caveat_once_and_its_time_in_the_programs_zone(world, admin_client, monkeypatch):
    effect = FakeEffect(sentence=FakeEffect.sentence + " " + FakeEffect.caveat)  # as the estimate writes it
    monkeypatch.setattr("reports.pdf.headline_effect_for", lambda period: effect)

    from reports.headline import headline_tile

    assert FakeEffect.caveat not in headline_tile(effect).sentence  # said once, on its own line
    _, text = _pdf(admin_client.get(reverse("reports:summary_pdf"), FORTNIGHT).content)
    assert "Caveat: This is an association" in text
    assert "UTC" not in text and ("(CST)" in text or "(CDT)" in text)
