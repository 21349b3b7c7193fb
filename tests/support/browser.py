"""Browser tests' pages, and signing in from them: through the real form (with the TOTP step for
admins) or by cookie."""

import time
from collections.abc import Iterator
from contextlib import contextmanager

from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.conf import settings
from django.test import Client

from tests.factories import ADMIN_TOTP_SECRET, PASSWORD


@contextmanager
def open_page(browser, base_url: str, *, width: int, height: int) -> Iterator:
    """A page in a browser context of its own (cookies apart) at this window size; closed after."""
    context = browser.new_context(base_url=base_url, viewport={"width": width, "height": height})
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        yield page
    finally:
        context.close()


def current_totp_code(secret: str = ADMIN_TOTP_SECRET) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def sign_in(page, email: str, password: str = PASSWORD, *, totp_secret: str | None = None) -> None:
    """Sign in through allauth's form; give `totp_secret` for a user with two-factor (admins)."""
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign In").click()
    if totp_secret:
        page.wait_for_url("**/accounts/2fa/authenticate/")
        page.get_by_label("Code").fill(current_totp_code(totp_secret))
        page.get_by_role("button", name="Sign In").click()
    page.wait_for_load_state()


def sign_in_as(page, live_server, user) -> None:
    """Start a browser session as `user` without the form (the form has tests of its own)."""
    client = Client()
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies([
        {"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
         "url": live_server.url},
    ])
