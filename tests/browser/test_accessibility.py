"""axe-core on the main pages: no serious or critical violations, on a desktop and a phone."""

import pytest

from tests.support.a11y import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PUBLIC_PAGES = ["/", "/accounts/signup/", "/accounts/login/", "/accounts/password/reset/"]


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_page_has_no_serious_accessibility_violations(page, path):
    page.goto(path)

    assert_accessible(page)


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_page_fits_a_375px_phone_screen(page, path):
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(path)

    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    assert_accessible(page)
