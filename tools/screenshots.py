"""Screenshots of the main pages at 1280 px and 375 px, from a running server with the demo data.

    bin/run                                  # in one terminal (or any server with `seed_demo` data)
    .venv/bin/python tools/screenshots.py    # writes docs/screenshots/*.png

Options: --base-url (default http://127.0.0.1:$PORT, PORT defaulting to 8000), --out (default
docs/screenshots), --only NAME (repeatable; names as in PAGES below). It signs in through the real
forms with the demo logins (the admin's two-factor code is computed from the demo secret), so it
imports nothing from Django and works against any server holding the demo data. Pages are captured
at most 1,800 px tall and, when Pillow is installed, reduced to a 256-colour palette to stay small.
"""

import argparse
import base64
import hashlib
import hmac
import os
import re
import struct
import sys
import time
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

PASSWORD = "mentor-demo-2026"  # noqa: S105 - the demo logins, printed by bin/run
ADMIN_TOTP_SECRET = "DEMOADMINTOTPSECRETJBSWY3DPEHPK3"  # noqa: S105 - demo data only (accounts/demo.py)
WIDTHS = {"desktop": 1280, "phone": 375}
MAX_HEIGHT = 1800

# (name, who signs in, path or a function of the page returning a path)
PAGES: list[tuple[str, str | None, str]] = [
    ("home", None, "/"),
    ("sign-in", None, "/accounts/login/"),
    ("mentee-dashboard", "mentee1@demo.edu", "/dashboard/"),
    ("browse-sessions", "mentee1@demo.edu", "/sessions/"),
    ("session", "mentee1@demo.edu", "first-occurrence"),
    ("my-sessions", "mentee1@demo.edu", "/sessions/mine/"),
    ("cancel-confirm", "mentee1@demo.edu", "first-cancel"),
    ("profile", "mentee1@demo.edu", "/profile/"),
    ("find-a-mentor", "mentee26@demo.edu", "/matching/"),
    ("mentor-week", "mentor1@demo.edu", "/sessions/my-week/"),
    ("publish-series", "mentor1@demo.edu", "/sessions/new/"),
    ("mentor-requests", "mentor5@demo.edu", "/matching/requests/"),
    ("admin-dashboard", "admin@demo.edu", "/dashboard/"),
    ("matching-rounds", "admin@demo.edu", "/matching/rounds/"),
    ("impact-report", "admin@demo.edu", "/reports/"),
]


def totp_code(secret: str, at: float) -> str:
    """RFC 6238 code (SHA-1, 6 digits, 30 s), as allauth's authenticator checks it."""
    key = base64.b32decode(secret)
    digest = hmac.new(key, struct.pack(">Q", int(at) // 30), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = (struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF) % 1_000_000
    return f"{value:06d}"


def sign_in(page: Page, base: str, email: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_load_state()
    if "/2fa/authenticate" in page.url:
        page.get_by_label("Code").fill(totp_code(ADMIN_TOTP_SECRET, time.time()))
        page.get_by_role("button", name="Sign In").click()
        page.wait_for_load_state()
    if "/accounts/login" in page.url:
        sys.exit(f"Could not sign in as {email}: is the demo data loaded (manage.py seed_demo)?")


def resolve(page: Page, base: str, target: str) -> str:
    if target == "first-occurrence":  # the first bookable session on the browse page
        page.goto(f"{base}/sessions/")
        href = page.locator("a[href^='/sessions/o/']").first.get_attribute("href")
        return href or "/sessions/"
    if target == "first-cancel":  # the confirm step of the first seat on My sessions
        page.goto(f"{base}/sessions/mine/")
        href = page.locator("a[href*='/cancel/confirm/']").first.get_attribute("href")
        return href or "/sessions/mine/"
    return target


def shrink(path: Path) -> None:
    try:
        from PIL import Image
    except ImportError:
        return
    with Image.open(path) as image:
        small = image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
    small.save(path, optimize=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base-url", default=f"http://127.0.0.1:{os.environ.get('PORT', '8000')}")
    parser.add_argument("--out", default=str(Path(__file__).resolve().parent.parent / "docs" / "screenshots"))
    parser.add_argument("--only", action="append", default=[])
    args = parser.parse_args()
    base, out = args.base_url.rstrip("/"), Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    chosen = [p for p in PAGES if not args.only or p[0] in args.only]
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=os.environ.get("CHROMIUM", "/usr/bin/chromium"))
        page = browser.new_page(viewport={"width": WIDTHS["desktop"], "height": 800})
        who: str | None = "nobody yet"
        for name, email, target in chosen:
            if email != who:  # sign in once per person (a TOTP code cannot be used twice)
                page.context.clear_cookies()
                if email:
                    sign_in(page, base, email)
                who = email
            path = resolve(page, base, target)
            for label, width in WIDTHS.items():
                page.set_viewport_size({"width": width, "height": 800})
                page.goto(base + path)
                page.wait_for_load_state("networkidle")
                height = min(MAX_HEIGHT, page.evaluate("document.documentElement.scrollHeight"))
                file = out / f"{name}-{label}.png"
                page.screenshot(path=str(file), clip={"x": 0, "y": 0, "width": width, "height": height},
                                full_page=True, animations="disabled")
                shrink(file)
                print(f"{file}  {re.sub(r'^https?://[^/]+', '', page.url)}  {file.stat().st_size // 1024} KB")
        browser.close()

if __name__ == "__main__":
    main()
