import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.django_db


def test_pages_send_a_content_security_policy_that_forbids_inline_scripts(client):
    policy = client.get("/")["Content-Security-Policy"]

    script_src = re.search(r"script-src ([^;]*)", policy).group(1)
    assert script_src.split() == ["'self'"]
    assert "frame-ancestors 'none'" in policy


def test_no_template_carries_an_inline_script():
    # The CSP would block it in the browser; catching it here names the file.
    offenders = []
    for template in ROOT.glob("**/templates/**/*.html"):
        if ".venv" in template.parts:
            continue
        for tag in re.findall(r"<script\b[^>]*>", template.read_text()):
            if "src=" not in tag:
                offenders.append(f"{template.relative_to(ROOT)}: {tag}")
    assert offenders == []


def test_pages_cannot_be_framed_by_other_sites(client):
    assert client.get("/")["X-Frame-Options"] == "DENY"
