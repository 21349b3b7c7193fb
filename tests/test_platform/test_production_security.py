"""Production security settings are real: secure cookies, HSTS and HTTPS redirect are on and take effect."""

import json

import pytest
from django.test import override_settings
from django.urls import reverse

from tests.factories import PASSWORD, MenteeFactory
from tests.test_platform.test_settings import run_manage

PRODUCTION = {"SECRET_KEY": "x7#kq-production-like-secret-9f2a8c4e1b7d6053aa91e0c7d2b48f6e",
              "ALLOWED_HOSTS": "mentoring.example.edu"}  # fmt: skip
# What production turns on (tests/settings.py relaxes it for the test client's plain http).
AS_IN_PRODUCTION = {
    "SESSION_COOKIE_SECURE": True, "CSRF_COOKIE_SECURE": True, "SECURE_SSL_REDIRECT": True,
    "SECURE_HSTS_SECONDS": 31536000, "SECURE_HSTS_INCLUDE_SUBDOMAINS": True, "SECURE_HSTS_PRELOAD": True,
}  # fmt: skip


def test_production_settings_turn_on_secure_cookies_hsts_and_the_https_redirect():
    code = ("import json; from django.conf import settings as s; print(json.dumps({k: getattr(s, k) for k in "
            f"{sorted(AS_IN_PRODUCTION)!r}}} | {{'SESSION_COOKIE_HTTPONLY': s.SESSION_COOKIE_HTTPONLY, 'DEBUG': s.DEBUG}}))")  # fmt: skip

    result = run_manage("shell", "-c", code, **PRODUCTION)

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == {**AS_IN_PRODUCTION, "SESSION_COOKIE_HTTPONLY": True,
                                                                   "DEBUG": False}  # fmt: skip


@pytest.mark.django_db
@override_settings(**AS_IN_PRODUCTION)
def test_https_responses_carry_hsts_for_a_year_with_subdomains(client):
    response = client.get(reverse("home"), secure=True)

    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


@pytest.mark.django_db
@override_settings(**AS_IN_PRODUCTION)
def test_plain_http_is_redirected_to_https(client):
    response = client.get(reverse("home"))

    assert response.status_code == 301
    assert response["Location"].startswith("https://")


@pytest.mark.django_db
@override_settings(**AS_IN_PRODUCTION)
def test_the_session_and_csrf_cookies_are_secure_and_the_session_cookie_is_http_only(client):
    MenteeFactory(email="cookie@school.edu")
    client.get(reverse("account_login"), secure=True)
    csrf = client.cookies["csrftoken"]

    response = client.post(reverse("account_login"), {"login": "cookie@school.edu", "password": PASSWORD}, secure=True)

    session = response.cookies["sessionid"]
    assert csrf["secure"] and session["secure"] and session["httponly"]


def test_bin_test_runs_bandit_at_medium_severity_over_every_app_of_the_platform():
    from pathlib import Path

    from django.apps import apps

    root = Path(__file__).resolve().parents[2]
    line = next(line for line in (root / "bin" / "test").read_text().splitlines() if "bandit" in line and "-r" in line)
    local_apps = {Path(a.path).name for a in apps.get_app_configs() if Path(a.path).parent == root}

    assert "-ll" in line.split()
    assert local_apps <= set(line.split())


@pytest.mark.django_db
@override_settings(**AS_IN_PRODUCTION)
def test_a_client_that_sends_x_forwarded_proto_itself_is_still_sent_to_https(client):
    response = client.get(reverse("home"), HTTP_X_FORWARDED_PROTO="https")

    assert response.status_code == 301
    assert response["Location"].startswith("https://")


def test_x_forwarded_proto_is_believed_only_behind_a_configured_proxy():
    code = "import json; from django.conf import settings as s; print(json.dumps(s.SECURE_PROXY_SSL_HEADER))"

    direct = run_manage("shell", "-c", code, **PRODUCTION)
    proxied = run_manage("shell", "-c", code, **PRODUCTION, ALLAUTH_TRUSTED_PROXY_COUNT="1")

    assert direct.returncode == 0 and proxied.returncode == 0, direct.stderr + proxied.stderr
    assert json.loads(direct.stdout.strip().splitlines()[-1]) is None
    assert json.loads(proxied.stdout.strip().splitlines()[-1]) == ["HTTP_X_FORWARDED_PROTO", "https"]


def test_bin_test_type_checks_every_app_of_the_platform_strictly():
    import tomllib
    from pathlib import Path

    from django.apps import apps

    root = Path(__file__).resolve().parents[2]
    config = tomllib.loads((root / "pyproject.toml").read_text())["tool"]["mypy"]
    local_apps = {Path(a.path).name for a in apps.get_app_configs() if Path(a.path).parent == root}

    assert any(line.strip().endswith(".venv/bin/mypy") for line in (root / "bin" / "test").read_text().splitlines())
    assert local_apps | {"config"} <= set(config["packages"])
    assert config["disallow_untyped_defs"] is True
