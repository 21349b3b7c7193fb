"""Production configuration: refuses an unsafe start and passes Django's deploy checks."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    # tests/settings.py relaxes these for the test process; a production start must not inherit them.
    relaxed = {"SECRET_KEY", "DEBUG", "DJANGO_SETTINGS_MODULE", "SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE",
               "CSRF_COOKIE_SECURE", "SECURE_HSTS_SECONDS"}
    clean = {k: v for k, v in os.environ.items() if k not in relaxed}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT, env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True, text=True, timeout=120,
    )


def run_python(code: str, **env: str) -> subprocess.CompletedProcess:
    relaxed = {"SECRET_KEY", "DEBUG", "DJANGO_SETTINGS_MODULE"}
    clean = {k: v for k, v in os.environ.items() if k not in relaxed}
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True, text=True, timeout=120,
    )


def test_production_web_server_refuses_to_start_without_a_secret_key():
    result = run_python("import config.wsgi")

    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_celery_refuses_to_start_without_a_secret_key():
    result = run_python("from config.celery import refuse_to_start_without_a_secret_key as r; r()")

    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_the_deploy_check_reports_a_missing_secret_key():
    result = run_manage("check", "--deploy")

    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_the_development_secret_key():
    result = run_python("import config.wsgi", SECRET_KEY="dev-only-insecure-secret-key-change-me")

    assert result.returncode != 0
    assert "development SECRET_KEY cannot be used" in result.stderr


def test_migrations_can_be_checked_without_a_secret_key():
    result = run_manage("makemigrations", "--check", "--dry-run")

    assert result.returncode == 0, result.stdout + result.stderr


def test_production_settings_pass_the_deploy_checks_without_warnings():
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING",
        SECRET_KEY="x7#kq-production-like-secret-9f2a8c4e1b7d6053aa91e0c7d2b48f6e", ALLOWED_HOSTS="mentoring.example.edu",
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_migrations_match_the_models():
    result = run_manage("makemigrations", "--check", "--dry-run", DEBUG="1")

    assert result.returncode == 0, result.stdout + result.stderr


def test_importing_the_settings_creates_no_folders_but_manage_py_prepares_them(tmp_path):
    database = tmp_path / "var" / "db.sqlite3"
    broker_env = {"DATABASE_URL": f"sqlite:///{database}", "CELERY_BROKER_URL": "filesystem://", "DEBUG": "1"}

    imported = run_python("import django.conf as c; c.settings.DATABASES", **broker_env)
    assert imported.returncode == 0, imported.stderr
    assert not database.parent.exists()

    checked = run_manage("check", **broker_env)
    assert checked.returncode == 0, checked.stderr
    assert database.parent.is_dir()


def test_a_django_log_line_is_printed_once_in_development():
    # What runserver's reloader logs at start ("Watching for file changes with StatReloader").
    result = run_python(
        "import django, logging; django.setup();"
        " logging.getLogger('django.utils.autoreload').info('Watching for file changes')",
        DEBUG="1",
    )

    assert result.returncode == 0, result.stderr
    assert result.stderr.count("Watching for file changes") == 1
