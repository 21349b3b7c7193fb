"""The menu bar stays on one line at 1280 px, even for a program admin (who has the most pages)."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import ADMIN_TOTP_SECRET, ProgramAdminFactory
from tests.support.browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_program_admins_menu_bar_is_one_line_at_1280_px_with_their_pages_under_program(page):
    admin = ProgramAdminFactory(email="office@school.edu", first_name="Dev", last_name="Kim")
    sign_in(page, admin.email, totp_secret=ADMIN_TOTP_SECRET)
    page.wait_for_url(re.compile(r"/dashboard/"))
    bar = page.get_by_role("navigation", name="Main")

    brand_height = page.locator(".navbar-brand").bounding_box()["height"]
    assert bar.bounding_box()["height"] < brand_height + 40  # one row of links, not two

    bar.get_by_role("button", name="Program").click()
    for name in ("Matching rounds", "Subjects", "Reminder log", "Impact report", "Import the roster"):
        expect(bar.get_by_role("link", name=name)).to_be_visible()
