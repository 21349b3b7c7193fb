"""Test settings: the real settings with test-friendly defaults from the environment.

DATABASE_URL and CELERY_BROKER_URL pass through, so the suite runs on PostgreSQL and Redis
when they are given (as .ci/run does) and on SQLite otherwise.
"""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz")
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("SESSION_COOKIE_SECURE", "0")
os.environ.setdefault("CSRF_COOKIE_SECURE", "0")
os.environ.setdefault("SITE_URL", "http://testserver")
os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "1")
os.environ.setdefault("SCHOOL_EMAIL_DOMAINS", "")
os.environ.setdefault("ACCOUNT_DEFAULT_HTTP_PROTOCOL", "http")
os.environ.setdefault("REPORT_CACHE_SECONDS", "0")  # figures checked right after arranging data
os.environ.setdefault("PAGE_CACHE_SECONDS", "300")  # as in production: every page test also checks that kept pages follow changes

from config.settings import *  # noqa: E402,F403

STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
WHITENOISE_AUTOREFRESH = True  # no collectstatic before tests
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only; never in production
