"""What every process (manage.py, web, Celery worker, beat) does or checks before it starts."""

from collections.abc import Sequence

from django.apps import AppConfig
from django.core.checks import Error, Tags, register
from django.core.exceptions import ImproperlyConfigured

MISSING_KEY = (
    "SECRET_KEY must be set to a long random value when DEBUG is off "
    "(for local use, run with DEBUG=1 as bin/run does)."
)


def prepare_local_folders() -> None:
    """Create the folders the embedded defaults write to (SQLite file, filesystem broker).

    Called by manage.py, WSGI/ASGI and Celery at start-up, not by importing the settings.
    """
    from pathlib import Path

    from django.conf import settings

    folders: list[Path] = []
    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3" and str(database["NAME"]) != ":memory:":
        folders.append(Path(database["NAME"]).parent)
    options = settings.CELERY_BROKER_TRANSPORT_OPTIONS or {}
    for key in ("data_folder_in", "data_folder_out", "processed_folder"):
        if settings.CELERY_BROKER_URL.startswith("filesystem") and options.get(key):
            folders.append(Path(str(options[key])))
    for folder in folders:
        folder.mkdir(parents=True, exist_ok=True)


def require_secret_key() -> None:
    """Refuse to serve without a real SECRET_KEY: sessions, CSRF and signed links depend on it."""
    from django.conf import settings

    try:
        key = settings.SECRET_KEY
    except ImproperlyConfigured as empty:
        raise ImproperlyConfigured(MISSING_KEY) from empty
    if not key:
        raise ImproperlyConfigured(MISSING_KEY)


@register(Tags.security, deploy=True)
def secret_key_is_set(app_configs: Sequence[AppConfig] | None, **kwargs: object) -> list[Error]:
    try:
        require_secret_key()
    except ImproperlyConfigured:
        return [Error(MISSING_KEY, id="mentorship.E001")]
    return []
