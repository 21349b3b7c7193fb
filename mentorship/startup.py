"""What every serving process (web, Celery worker, beat) checks before it starts."""

from django.core.checks import Error, Tags, register
from django.core.exceptions import ImproperlyConfigured

MISSING_KEY = (
    "SECRET_KEY must be set to a long random value when DEBUG is off "
    "(for local use, run with DEBUG=1 as bin/run does)."
)


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
def secret_key_is_set(app_configs, **kwargs) -> list[Error]:
    try:
        require_secret_key()
    except ImproperlyConfigured:
        return [Error(MISSING_KEY, id="mentorship.E001")]
    return []
