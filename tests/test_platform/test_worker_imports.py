"""A web worker imports only what its pages need: the statistics (numpy's friends scipy, pandas,
statsmodels) and the PDF libraries (fpdf2 with Pillow and fontTools) are ~150 MiB together, and only
the report's estimates, a matching round and the PDFs load them, inside the functions that use them;
icalendar (about 9 MiB) is loaded by the calendar feeds and the reminders, not by the pages; python3-saml
with lxml and xmlsec (about 20 MiB) by a school sign-in (accounts/sso/saml/urls.py); segno (about 9 MiB)
by the check-in screen's QR code and the certificate PDF."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HEAVY = (
    "scipy",
    "pandas",
    "statsmodels",
    "fpdf",
    "PIL",
    "fontTools",
    "icalendar",
    "onelogin",
    "lxml",
    "xmlsec",
    "segno",
)

# What a gunicorn worker has loaded before its first request, and after resolving one (the URLconf
# imports every view module).
STARTUP = f"""
import json, sys
import config.wsgi
from django.urls import get_resolver
get_resolver().url_patterns
print(json.dumps(sorted({{m.split(".")[0] for m in sys.modules}} & set({list(HEAVY)!r}))))
"""


def test_the_wsgi_application_and_its_urls_load_no_statistics_pdf_or_calendar_library():
    result = subprocess.run(
        [sys.executable, "-c", STARTUP],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "tests.settings"},
    )

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == []
