"""The summary at the top of the report: tiles against hand-computed figures, the change from the
previous period, the weekly charts without leading empty weeks, and the headline effect's tile.

The scenario's fortnight (2-15 March 2026, tests/test_reports/scenario.py) is compared with the
14 days before it (16 February - 1 March), which hold one session: O7, Sunday 1 March 23:45 local,
B attended and rated it 1. So, by hand:
  sessions held 4 (before 1), hours 4.5 (1.0), mentees served 3: A, D, E (1: B),
  attendance rate 5 of 8 booked seats = 62.5% (1 of 1 = 100%), average rating (5+4+3)/3 = 4.00 (1.00).
"""

import re
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.urls import reverse

from reports import selectors
from reports.charts import ChartPoint, column_chart
from reports.periods import previous_period, term
from reports.tables import build_tables
from tests.test_reports import scenario

pytestmark = pytest.mark.django_db

FORTNIGHT = {"start": "2026-03-02", "end": "2026-03-15"}


@pytest.fixture
def world(settings):
    settings.TIME_ZONE = "America/Chicago"
    return scenario.build()


def _tiles(**filters):
    summary = selectors.term_summary(scenario.filters(**filters))
    return summary, {figure.key: figure for figure in summary.figures}


def test_the_tiles_show_the_fortnights_figures_computed_by_hand(world):
    _, tiles = _tiles()

    assert [tiles[k].value for k in ("sessions_held", "hours", "mentees_served", "attendance_rate", "average_rating")] == [
        4, 4.5, 3, 62.5, 4.0,
    ]  # fmt: skip


def test_each_tile_is_compared_with_the_equally_long_period_just_before(world):
    summary, tiles = _tiles()

    assert (summary.previous.start, summary.previous.end) == (date(2026, 2, 16), date(2026, 3, 1))
    assert [tiles[k].previous for k in ("sessions_held", "hours", "mentees_served", "attendance_rate", "average_rating")] == [
        1, 1.0, 1, 100.0, 1.0,
    ]  # fmt: skip
    assert [tiles[k].change_text for k in ("sessions_held", "hours", "mentees_served", "attendance_rate", "average_rating")] == [
        "+3", "+3.5 h", "+2", "−37.5 points", "+3.00",
    ]  # fmt: skip


def test_the_previous_period_keeps_the_filters(world):
    _, tiles = _tiles(subject_id=world.physiology.pk)

    assert (tiles["sessions_held"].value, tiles["sessions_held"].previous) == (1, 0)
    assert tiles["average_rating"].previous is None and tiles["average_rating"].change_text == ""


def test_a_term_is_compared_with_the_term_before_it(settings):
    settings.ACADEMIC_YEAR_START = (7, 1)
    spring = term(2025, 2)

    before = previous_period(spring.start, spring.end)

    assert (before.start, before.end, before.label) == (date(2025, 7, 1), date(2025, 12, 31), "2025–26 term 1")


def test_the_report_page_leads_with_the_tiles_and_their_change(world, admin_client):
    html = admin_client.get(reverse("reports:report"), FORTNIGHT).content.decode()

    summary_at, first_table_at = html.index('id="summary"'), html.index("<table")
    assert summary_at < first_table_at
    assert "▲ +3</span>\n                from 1 in 16 Feb 2026 – 1 Mar 2026" in html
    assert "▼ −37.5 points</span>\n                from 100.0% in 16 Feb 2026 – 1 Mar 2026" in html
    assert '<a href="#exams">Exam outcomes</a>' in html and 'aria-label="Report sections"' in html


def test_the_summary_downloads_as_a_csv_like_every_table(world, admin_client):
    content = admin_client.get(reverse("reports:export", kwargs={"key": "summary"}), FORTNIGHT).content.decode()

    assert "Sessions held,4,1,3" in content and "Attendance rate,62.5,100.0,-37.5" in content


def test_weekly_tables_and_charts_start_at_the_first_week_with_a_session(world):
    f = scenario.filters()
    wide = type(f)(start=date(2026, 2, 2), end=date(2026, 3, 31), now=scenario.NOW)

    weeks = build_tables(wide, ["trends"])["trends"].column("Week starting")

    # 2, 9 and 16 Feb had nothing; O7 (1 March) is in the week of 23 Feb; 23 and 30 March have not begun.
    assert weeks == ["2026-02-23", "2026-03-02", "2026-03-09", "2026-03-16"]


def test_a_range_with_no_session_at_all_has_no_weekly_rows(settings):
    f = scenario.filters()

    assert build_tables(f, ["trends"])["trends"].rows == []


def test_week_labels_on_a_long_term_never_overlap():
    weeks = [ChartPoint(f"{d.day} {d:%b}", 3) for d in (date(2026, 7, 6) + timedelta(weeks=n) for n in range(26))]

    chart = column_chart("c", "Held", weeks, table_key="trends", table_title="Week by week")

    shown = [bar.label_x for bar in chart.bars if bar.show_label]
    widest = max(len(point.label) for point in weeks) * 7.6
    assert len(shown) >= 6 and min(b - a for a, b in zip(shown, shown[1:], strict=False)) > widest


def test_without_a_headline_the_tile_says_there_is_none_yet_and_why(world, admin_client):
    html = admin_client.get(reverse("reports:report"), FORTNIGHT).content.decode()

    assert "No exam effect to show yet" in html and "a previous exam of the same kind to adjust for" in html


@dataclass
class FakeEffect:
    exam: str = "Block 2"
    estimate: float = 3.1
    ci_low: float = 0.4
    ci_high: float = 5.8
    n: int = 212
    unit: str = "points"
    sentence: str = "Students who attended 4 or more sessions scored 3.1 points higher."
    caveat: str = "This is an association, not proof that the sessions caused it."


def test_a_headline_effect_shows_with_its_interval_n_and_caveat(world, admin_client, monkeypatch):
    monkeypatch.setattr("reports.views.headline_effect_for", lambda period: FakeEffect())

    html = admin_client.get(reverse("reports:report"), FORTNIGHT).content.decode()

    assert "Exam effect, Block 2" in html and "+3.1 points" in html
    assert "95% CI 0.4 to 5.8; 212 students" in html and "not proof that the sessions caused it" in html
    assert "No exam effect to show yet" not in html


def test_a_headline_whose_interval_includes_zero_says_so(world, admin_client, monkeypatch):
    monkeypatch.setattr("reports.views.headline_effect_for", lambda period: FakeEffect(ci_low=-1.2))

    html = admin_client.get(reverse("reports:report"), FORTNIGHT).content.decode()

    assert "The interval includes 0" in html


def test_a_finished_previous_period_is_computed_once_and_again_after_an_exam_import(
    world, settings, django_assert_max_num_queries
):
    from reports.tables import invalidate_report_cache

    settings.REPORT_CACHE_SECONDS = 60
    f = scenario.filters()
    with django_assert_max_num_queries(40) as first:
        build_tables(f, ["summary"])
    with django_assert_max_num_queries(40) as second:
        tables = build_tables(f, ["summary"])
    invalidate_report_cache()
    with django_assert_max_num_queries(40) as third:
        build_tables(f, ["summary"])

    def previous_period_reads(captured):  # queries over 16 February (06:00 UTC is midnight in Chicago)
        return len([q for q in captured.captured_queries if re.search(r"2026-02-16[ T](06:00:00|00:00:00-06)", q["sql"])])

    assert previous_period_reads(first) >= 1  # sessions and the tally by week (mentees served: the one bitmap read)
    assert previous_period_reads(second) == 0
    assert previous_period_reads(third) == previous_period_reads(first)
    assert tables["summary"].rows[0] == ["Sessions held", 4, 1, 3]
