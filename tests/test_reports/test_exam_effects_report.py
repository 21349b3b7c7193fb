"""The exam estimates from the database: attendance counted in the exam's subjects before its day,
the previous exam of the same kind, the headline for the summary tile, and the report page."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reports.selectors import ReportFilters, exam_effects, headline_effect
from reports.selectors.impact import ExamEffect
from tests.factories import ExamFactory, MenteeFactory, ProgramAdminFactory, SubjectFactory
from tests.test_reports.factories import AttendanceFactory, ExamResultFactory, OccurrenceFactory, ReviewSeriesFactory

pytestmark = pytest.mark.django_db

BLOCK_1, BLOCK_2 = date(2026, 2, 2), date(2026, 3, 16)
SPRING = ReportFilters(start=date(2026, 3, 1), end=date(2026, 3, 31))


@pytest.fixture
def planted(settings):
    """30 students: 10 attend 0 anatomy sessions, 10 attend 2, 10 attend 5. Those who attend more
    scored lower on Block 1; Block 2 = Block 1 + 10, plus 6 points for 5 sessions. Histology
    sessions and anatomy sessions on Block 2's day do not count."""
    settings.TIME_ZONE = "America/Chicago"
    settings.REPORT_MIN_GROUP_SIZE = 5
    anatomy, histology = SubjectFactory(name="Anatomy"), SubjectFactory(name="Histology")
    block1 = ExamFactory(name="Block 1", first_day=BLOCK_1, subjects=[anatomy])
    block2 = ExamFactory(name="Block 2", first_day=BLOCK_2, subjects=[anatomy])
    series, other = ReviewSeriesFactory(subject=anatomy), ReviewSeriesFactory(subject=histology)
    sessions = [OccurrenceFactory(series=series, starts_at=datetime(2026, 3, d, 18, 0).astimezone()) for d in range(2, 7)]
    exam_day = OccurrenceFactory(series=series, starts_at=datetime(2026, 3, 16, 8, 0).astimezone())
    elsewhere = OccurrenceFactory(series=other, starts_at=datetime(2026, 3, 3, 18, 0).astimezone())
    for index in range(30):
        attended = (0, 2, 5)[index // 10]
        student = MenteeFactory()
        for occurrence in [*sessions[:attended], exam_day, elsewhere]:
            AttendanceFactory(occurrence=occurrence, mentee=student)
        before = 80 - 3 * attended + (index % 10)
        ExamResultFactory(student=student, exam=block1, score=before)
        ExamResultFactory(student=student, exam=block2, score=Decimal(before + 10 + (6 if attended >= 4 else 0)) + Decimal(index % 3) / 2)
    return {"block1": block1, "block2": block2, "anatomy": anatomy}


def test_attendance_counts_only_the_exams_subjects_before_its_day(planted):
    (analysis,) = exam_effects(SPRING)
    assert [(b.band.label, b.students) for b in analysis.bands] == [("0", 10), ("1-3", 10), ("4+", 10)]
    assert analysis.previous_exam == planted["block1"]


def test_the_adjusted_estimate_recovers_the_planted_gain_that_raw_means_hide(planted):
    (analysis,) = exam_effects(SPRING)
    top = analysis.comparisons[-1]
    assert top.unadjusted.estimate < 0
    assert top.adjusted.estimate == pytest.approx(6, abs=0.5)
    assert top.adjusted.ci_low < 6 < top.adjusted.ci_high


def test_without_an_earlier_exam_of_the_same_kind_only_the_unadjusted_figure_is_shown(planted):
    planted["block1"].kind = "nbme_subject"
    planted["block1"].save()
    (analysis,) = exam_effects(SPRING)
    assert analysis.previous_exam is None
    assert all(c.adjusted is None and c.unadjusted.shown for c in analysis.comparisons)
    assert analysis.dose is None and analysis.change is None
    assert any("no previous exam of the same kind" in m for m in analysis.messages)


def test_headline_effect_is_the_latest_exams_top_band_adjusted_with_its_interval(planted):
    effect = headline_effect(first_day=date(2026, 1, 1), last_day=date(2026, 6, 30))
    assert isinstance(effect, ExamEffect)
    assert (effect.exam, effect.band, effect.unit, effect.n) == (planted["block2"], "4+", "points", 30)
    assert effect.ci_low < effect.estimate < effect.ci_high
    assert effect.sentence.startswith("Students who attended 4 or more sessions scored 6")
    assert "association" in effect.caveat


def test_headline_effect_is_none_when_no_exam_can_be_adjusted(planted):
    assert headline_effect(first_day=date(2026, 2, 1), last_day=date(2026, 2, 28)) is None


def test_a_pass_fail_exam_reports_pass_rates_never_means(planted, settings):
    step1 = ExamFactory(name="Step 1", kind="step1", scale="pass_fail", first_day=BLOCK_2, subjects=[planted["anatomy"]])
    for result in planted["block2"].results.all():
        ExamResultFactory(student=result.student, exam=step1, score=None, passed=result.score > 75)
    analysis = next(a for a in exam_effects(SPRING) if a.exam == step1)
    assert analysis.pass_fail and analysis.unit == "percentage points"
    assert [b.average for b in analysis.bands] == [100.0, 100.0, 100.0]  # pass rates in percent
    assert all("Every student passed" in c.unadjusted.message for c in analysis.comparisons)


def test_the_report_shows_each_figure_in_plain_words_with_the_method(client, planted):
    client.force_login(ProgramAdminFactory())
    response = client.get(reverse("reports:report"), {"start": "2026-03-01", "end": "2026-03-31"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Students who attended 4 or more sessions scored 6." in page.replace("6.0", "6.")
    assert "with the same previous score (95% CI" in page
    assert "How this is computed" in page and "adjusted for Block 1" in page


def test_the_report_filter_switches_to_the_published_studys_bands(client, planted):
    client.force_login(ProgramAdminFactory())
    response = client.get(reverse("reports:report"), {"start": "2026-03-01", "end": "2026-03-31", "bands": "0-6,7-15,16-24"})
    page = response.content.decode()
    assert "Attendance bands: 0-6 · 7-15 · 16-24" in page
    assert "Every student is in one attendance band" in page  # everyone attended 0-5 sessions


def test_a_small_band_is_hidden_on_the_page(client, planted, settings):
    settings.REPORT_MIN_GROUP_SIZE = 11
    client.force_login(ProgramAdminFactory())
    page = client.get(reverse("reports:report"), {"start": "2026-03-01", "end": "2026-03-31"}).content.decode()
    assert "fewer than 11" in page
    assert "Students who attended 4 or more sessions scored" not in page


def test_the_exam_estimates_cost_no_more_queries_with_more_students(planted):
    with CaptureQueriesContext(connection) as few:
        exam_effects(SPRING)
    for _ in range(10):
        student = MenteeFactory()
        ExamResultFactory(student=student, exam=planted["block1"], score=60)
        ExamResultFactory(student=student, exam=planted["block2"], score=70)
    with CaptureQueriesContext(connection) as more:
        exam_effects(SPRING)
    assert len(more) == len(few)


def test_the_summary_tile_and_the_pdf_lead_with_the_latest_exams_adjusted_effect(client, planted):
    import io

    from pypdf import PdfReader

    client.force_login(ProgramAdminFactory())
    dates = {"start": "2026-03-01", "end": "2026-03-31"}
    page = client.get(reverse("reports:report"), dates).content.decode()
    summary = page[page.index('id="summary"') : page.index('id="trends"')]
    assert "Block 2" in summary and "points" in summary and "95% CI" in summary and "30 students" in summary

    pdf = client.get(reverse("reports:summary_pdf"), dates)
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Block 2" in text and "95% CI" in text
