"""A mentor sees their record, an admin endorses it, the mentor downloads the certificate and an
anonymous visitor verifies it by its link; the experience text's counter and copy button work."""

import io
import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.factories import ProgramAdminFactory
from tests.support.a11y import serious_violations
from tests.support.browser import sign_in_as
from tests.test_teaching.support import build_scenario

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_mentors_record_is_endorsed_downloaded_and_verified_by_anyone(page, live_server, settings):
    settings.SITE_URL = live_server.url
    scenario = build_scenario()
    admin = ProgramAdminFactory(first_name="Ada", last_name="Admin")

    sign_in_as(page, live_server, scenario.mentor)
    page.goto("/dashboard/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Teaching record").click()
    expect(page.get_by_role("heading", name="My teaching record")).to_be_visible()
    expect(page.get_by_text("Fall 2026").first).to_be_visible()
    expect(page.get_by_text("Not endorsed yet.")).to_be_visible()
    assert serious_violations(page) == []

    description = page.get_by_label("Experience description")
    description.fill("Led weekly anatomy reviews.")
    expect(page.locator("#experience-count")).to_have_text("27 / 750 characters")
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.get_by_role("button", name="Copy").click()
    expect(page.get_by_text("Copied to the clipboard.")).to_be_visible()

    sign_in_as(page, live_server, admin)
    page.goto("/dashboard/")
    page.get_by_role("button", name="Program").click()
    page.get_by_role("link", name="Teaching records").click()
    page.get_by_role("link", name="Maya Okafor").click()
    page.get_by_label("Note (optional, shown on the certificate)").fill("Prepared and punctual")
    page.get_by_role("button", name="Endorse Fall 2026").click()
    expect(page.get_by_text("Fall 2026 is endorsed; the certificate is ready.")).to_be_visible()

    sign_in_as(page, live_server, scenario.mentor)
    page.goto("/teaching/record/")
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("Download the certificate")).click()
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(open(download.value.path(), "rb").read())).pages)
    assert "Maya Okafor" in text and "Ada Admin" in text
    link = re.search(r"https?://\S+/teaching/verify/[A-Za-z0-9_-]+/", text).group(0)

    page.context.clear_cookies()
    page.goto(link)
    expect(page.get_by_text(re.compile(rf"Verified by {settings.PROGRAM_NAME} on \d+ \w+ \d{{4}}"))).to_be_visible()
    expect(page.get_by_text("Maya Okafor")).to_be_visible()
    expect(page.get_by_text("Prepared and punctual")).to_be_visible()
    assert serious_violations(page) == []

    page.goto(link[:-4] + "xyz/")
    expect(page.get_by_text("This certificate link is not valid.")).to_be_visible()
