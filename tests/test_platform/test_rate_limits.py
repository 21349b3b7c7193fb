"""Rate limits are counted once for the whole site, not once per web process.

allauth counts failed sign-ins, TOTP codes and (here) account-deletion passwords in the cache;
gunicorn runs several worker processes, so the cache must be one all of them reach.
"""

import json
import os
import subprocess
import sys

import pytest
from django.urls import reverse

from tests.factories import PASSWORD, MenteeFactory
from tests.support.worker import ROOT, database_url, redis_reachable

PRODUCTION = {"SECRET_KEY": "x7#kq-production-like-secret-9f2a8c4e1b7d6053aa91e0c7d2b48f6e",
              "ALLOWED_HOSTS": "mentoring.example.edu"}  # fmt: skip
SHOW_CACHE = "import json; from django.conf import settings as s; print(json.dumps(s.CACHES['default']))"

# Another web process: its own interpreter, its own cache client, the same database.
FAILED_SIGN_INS = """
import django
django.setup()
from django.test import Client
from django.test.utils import setup_test_environment
setup_test_environment()
client = Client()
statuses = [client.post("/accounts/login/", {"login": EMAIL, "password": "wrong"}).status_code for _ in range(5)]
print(statuses)
"""


def _production_shell(code: str, **env: str) -> str:
    """Run `code` in a fresh production-mode process (no test settings, no inherited CACHE_URL)."""
    inherited = {k: v for k, v in os.environ.items() if k not in {"CACHE_URL", "DEBUG", "SECRET_KEY"}}
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120,
        env={**inherited, "DJANGO_SETTINGS_MODULE": "config.settings", **PRODUCTION, **env},
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def _cache_of_a_production_process(**env: str) -> dict:
    return json.loads(_production_shell(SHOW_CACHE, **env))


def test_without_a_cache_url_the_cache_is_the_database_table_that_migrate_creates():
    cache = _cache_of_a_production_process()

    assert cache["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    assert cache["LOCATION"] == "platform_cache"


def test_a_redis_cache_url_makes_redis_the_cache():
    cache = _cache_of_a_production_process(CACHE_URL="redis://127.0.0.1:6379/5")

    assert cache["BACKEND"] == "core.cache.RedisCache"  # Django's, with one client per pool
    assert cache["LOCATION"] == "redis://127.0.0.1:6379/5"


def test_migrate_alone_creates_the_cache_table(tmp_path):
    database = f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
    _production_shell("from django.core.management import call_command; call_command('migrate', verbosity=0); print('ok')",
                      DATABASE_URL=database)  # fmt: skip

    tables = _production_shell("from django.db import connection; print(connection.introspection.table_names())",
                               DATABASE_URL=database)  # fmt: skip
    assert "'platform_cache'" in tables


@pytest.mark.service
def test_failed_sign_ins_in_another_process_count_against_this_one(postgres, client):
    MenteeFactory(email="shared-limit@school.edu")
    other = subprocess.run(
        [sys.executable, "-c", f"EMAIL = 'shared-limit@school.edu'\n{FAILED_SIGN_INS}"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings",
             "DATABASE_URL": database_url(postgres.settings_dict), "CONN_MAX_AGE": "0"},  # fmt: skip
    )
    assert other.returncode == 0, other.stderr
    assert other.stdout.strip().splitlines()[-1] == "[200, 200, 200, 200, 200]"  # five wrong passwords, shown the form

    # The right password, in this process, is refused: the five failures were counted where both look.
    response = client.post(reverse("account_login"), {"login": "shared-limit@school.edu", "password": PASSWORD})

    assert response.status_code == 200
    assert "Too many failed sign-in attempts. Try again in 5 minutes." in response.content.decode()


@pytest.mark.service
def test_two_processes_configured_for_redis_see_the_same_counter():
    url = os.environ.get("CELERY_BROKER_URL", "")
    if not url.startswith("redis"):
        pytest.skip("needs Redis: set CELERY_BROKER_URL=redis://... (bin/test skips it without)")
    if not redis_reachable(url):
        pytest.skip(f"Redis at {url} does not answer")
    key = f"test-rate-limit-{os.getpid()}"
    bump = ("from django.core.cache import cache; cache.add(KEY, 0); print(cache.incr(KEY))").replace("KEY", repr(key))

    counts = [_production_shell(bump, CACHE_URL=url) for _ in range(2)]
    _production_shell(f"from django.core.cache import cache; print(cache.delete({key!r}))", CACHE_URL=url)

    assert counts == ["1", "2"]
