"""The impact report as the dean's office sees it, at 1280 px and on a 375 px phone: the summary
first, the tiles and their change, charts whose labels read at 100% zoom, no sideways scrolling,
no serious axe violation. Screenshots go to $REPORT_SCREENSHOTS (or the test's tmp folder)."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.factories import ProgramAdminFactory
from tests.support.a11y import serious_violations
from tests.support.browser import sign_in_as
from tests.test_reports import scenario

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FORTNIGHT = "/reports/?start=2026-03-02&end=2026-03-15"


@pytest.mark.parametrize(("width", "smallest_label_px"), [(1280, 13), (375, 10)])
def test_the_report_leads_with_readable_tiles_and_charts_and_fits_the_screen(
    page, live_server, settings, tmp_path, width, smallest_label_px
):
    settings.TIME_ZONE = "America/Chicago"
    scenario.build()
    sign_in_as(page, live_server, ProgramAdminFactory())
    page.set_viewport_size({"width": width, "height": 900})

    page.goto(FORTNIGHT)

    summary = page.get_by_role("heading", name="Summary", exact=True)
    expect(summary).to_be_in_viewport()
    tile = page.locator(".summary-tile", has=page.get_by_role("heading", name="Sessions held"))
    expect(tile).to_contain_text("4")
    expect(tile).to_contain_text("+3 from 1 in 16 Feb 2026 – 1 Mar 2026")
    expect(page.get_by_text("No exam effect to show yet")).to_be_visible()
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    label_heights = page.eval_on_selector_all(
        "#summary figure.report-chart svg text.tick", "nodes => nodes.map(n => n.getBoundingClientRect().height)"
    )
    assert label_heights and min(label_heights) >= smallest_label_px
    assert serious_violations(page) == []

    page.get_by_role("navigation", name="Report sections").get_by_role("link", name="Exam outcomes").click()
    expect(page.get_by_role("heading", name="Exam outcomes")).to_be_in_viewport()

    folder = Path(os.environ.get("REPORT_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    page.goto(FORTNIGHT)
    page.screenshot(path=str(folder / f"report-summary-{width}.png"))
    page.screenshot(path=str(folder / f"report-{width}-full.png"), full_page=True)
