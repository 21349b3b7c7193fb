"""The short code a mentor shows at check-in: six digits that change every CHECKIN_CODE_SECONDS.

code = HMAC-SHA256(secret, window) reduced to six digits, where window = unix time // CHECKIN_CODE_SECONDS
and secret = Django's salted HMAC of the occurrence id (SECRET_KEY): a per-occurrence secret that
needs no row, so opening the mentor's page changes nothing. The current and the previous window are
accepted (a code read just before it changed still works).
"""

import hashlib
import hmac
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.utils.crypto import salted_hmac

DIGITS = 6
ACCEPTED_WINDOWS = 2  # the current one and the one before
EXPIRED_LOOKBACK = timedelta(hours=12)  # an older code of the same session is "expired", not "wrong"


def window_at(now: datetime) -> int:
    return int(now.timestamp()) // settings.CHECKIN_CODE_SECONDS


def window_ends_at(now: datetime) -> datetime:
    return datetime.fromtimestamp((window_at(now) + 1) * settings.CHECKIN_CODE_SECONDS, tz=UTC)


def _secret(occurrence_id: int) -> bytes:
    return salted_hmac("checkin.occurrence-secret", str(occurrence_id), algorithm="sha256").digest()


def code_for(occurrence_id: int, window: int) -> str:
    mac = hmac.new(_secret(occurrence_id), str(window).encode(), hashlib.sha256).digest()
    return f"{int.from_bytes(mac[:8], 'big') % 10**DIGITS:0{DIGITS}d}"


def current_code(occurrence_id: int, now: datetime) -> str:
    return code_for(occurrence_id, window_at(now))


def normalise(code: str) -> str:
    return "".join(ch for ch in code if ch.isdigit())


def is_current(occurrence_id: int, code: str, now: datetime) -> bool:
    window = window_at(now)
    return any(
        hmac.compare_digest(code_for(occurrence_id, window - back), code) for back in range(ACCEPTED_WINDOWS)
    )


def was_valid_earlier(occurrence_id: int, code: str, now: datetime) -> bool:
    window = window_at(now)
    windows_back = int(EXPIRED_LOOKBACK.total_seconds()) // settings.CHECKIN_CODE_SECONDS
    return any(
        hmac.compare_digest(code_for(occurrence_id, window - back), code)
        for back in range(ACCEPTED_WINDOWS, windows_back + 1)
    )
