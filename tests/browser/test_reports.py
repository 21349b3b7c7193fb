"""An admin opens the impact report, filters it by subject, imports exam results and downloads a CSV."""

import csv
import io
import re

import pytest
from playwright.sync_api import expect

from reports.models import ExamResult
from tests.factories import ADMIN_TOTP_SECRET, MenteeFactory, ProgramAdminFactory
from tests.support.browser import sign_in
from tests.test_reports import scenario

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _show_anatomy_from_the_2nd_to_the_15th_of_march(page) -> None:
    page.get_by_text("Other dates and filters").click()
    page.get_by_label("From", exact=True).fill("2026-03-02")
    page.get_by_label("To (included)", exact=True).fill("2026-03-15")
    page.get_by_label("Subject", exact=True).select_option(label="Anatomy")
    page.get_by_role("button", name="Show report").click()
    page.wait_for_url(re.compile(r"subject="))


def test_an_admin_filters_the_report_imports_exam_results_and_downloads_csv(page, settings):
    settings.TIME_ZONE = "America/Chicago"
    scenario.build()
    MenteeFactory(email="ann@school.edu")
    admin = ProgramAdminFactory(email="office@school.edu")

    sign_in(page, admin.email, totp_secret=ADMIN_TOTP_SECRET)
    page.wait_for_url(re.compile(r"/dashboard/"))

    page.get_by_role("button", name="Program").click()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Impact report").click()
    _show_anatomy_from_the_2nd_to_the_15th_of_march(page)
    held = page.locator("#table-activity tr", has_text="Sessions held").locator("td")
    expect(held).to_have_text("3")
    expect(page.locator("figure.report-chart svg").first).to_be_visible()

    page.get_by_role("link", name="Import exam results").click()
    page.get_by_label("CSV file").set_input_files(
        files=[{"name": "block3.csv", "mimeType": "text/csv",
                "buffer": b"student email,exam name,exam date,score\nann@school.edu,Block 3,2026-03-16,88\n"}]  # fmt: skip
    )
    page.get_by_role("button", name="Check the file").click()
    page.get_by_role("button", name="Import 1 row").click()
    expect(page.get_by_text("1 new, 0 updated")).to_be_visible()
    assert ExamResult.objects.get().student.email == "ann@school.edu"

    page.get_by_role("link", name="See the impact report").click()
    _show_anatomy_from_the_2nd_to_the_15th_of_march(page)
    page.get_by_text("Every activity figure").click()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download “Activity” as CSV").click()
    rows = dict(csv.reader(io.StringIO(open(download_info.value.path(), encoding="utf-8").read())))
    assert rows["Sessions held"] == "3"
