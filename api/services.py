"""API tokens: create (the secret shown once), revoke, authenticate, rate-limit.

A token is `pm_<prefix>_<secret>`; the database keeps the prefix (to find the row) and the SHA-256
of the whole token, compared in constant time. SHA-256 suffices: the secret is 256 random bits,
not a password a person chose, so there is nothing to guess that a slow hash would protect."""

import hashlib
import hmac
import re
import secrets
import time
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from api.errors import ApiError, RateLimited
from api.models import ApiToken
from core.errors import clean_or_refuse

if TYPE_CHECKING:
    from accounts.models import User

TOKEN_PATTERN = re.compile(r"^pm_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$")
_DURATIONS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def create_token(*, name: str, access: str, education_records: bool, created_by: "User | None") -> tuple[ApiToken, str]:
    """Make a token and return it with its plain text, which is never stored: show it once."""
    name = name.strip()
    if not name:
        raise ApiError("Give the token a name: the system that will use it.", field="name")
    if ApiToken.objects.filter(name__iexact=name, revoked_at__isnull=True).exists():
        raise ApiError("An active token already has this name; revoke it first or choose another.", field="name")
    prefix = secrets.token_hex(6)
    raw = f"pm_{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken(
        name=name, access=access, education_records=education_records, prefix=prefix,
        secret_hash=hash_token(raw), created_by=created_by,
    )  # fmt: skip
    clean_or_refuse(token)
    token.save()
    return token, raw


def revoke_token(*, token: ApiToken, revoked_by: "User | None") -> ApiToken:
    """Revoke at once: the next request with it gets 401. Revoking twice changes nothing."""
    with transaction.atomic():
        ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now(), revoked_by=revoked_by
        )
    token.refresh_from_db()
    return token


def authenticate(raw: str) -> ApiToken | None:
    """The active token `raw` is, or None. Marks it used (one UPDATE)."""
    match = TOKEN_PATTERN.match(raw or "")
    if not match:
        return None
    token = ApiToken.objects.filter(prefix=match.group(1), revoked_at__isnull=True).first()
    # Compare the hashes in constant time, and hash even when no row matched, so timing tells nothing.
    expected = token.secret_hash if token is not None else hash_token("")
    if not hmac.compare_digest(expected, hash_token(raw)) or token is None:
        return None
    now = timezone.now()
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.last_used_at = now
    return token


def parse_rate(rate: str) -> tuple[int, int]:
    """"120/m" -> (120, 60); "1000/h", "10/30s" (at most 10 per 30 seconds)."""
    amount, _, period = rate.strip().partition("/")
    unit, count = period[-1:], period[:-1]
    if not amount.isdigit() or unit not in _DURATIONS or (count and not count.isdigit()):
        raise ValueError(f"Not a rate: {rate!r} (write it like 120/m)")
    return int(amount), int(count or 1) * _DURATIONS[unit]


def consume_rate(*, key: str, rate: str) -> None:
    """Count one request against `rate` for `key` in the shared cache; raise RateLimited past it.

    A fixed window: the count resets every period. The cache must be shared by every web process
    (settings.CACHES, as for allauth's limits) or each process counts alone."""
    amount, seconds = parse_rate(rate)
    window = int(time.time() // seconds)
    cache_key = f"api-rate:{key}:{seconds}:{window}"
    cache.add(cache_key, 0, timeout=seconds + 1)
    try:
        used = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=seconds + 1)
        used = 1
    if used > amount:
        retry_after = max(1, int((window + 1) * seconds - time.time()))
        raise RateLimited(f"Too many requests: at most {rate}. Try again in {retry_after} s.", retry_after=retry_after)


def consume_token_rate(token: ApiToken) -> None:
    consume_rate(key=f"token:{token.pk}", rate=settings.API_RATE_LIMIT)


def consume_failed_auth_rate(ip: str) -> None:
    """Failed authentications per client address: slows anyone guessing tokens."""
    consume_rate(key=f"fail:{ip}", rate=settings.API_FAILED_AUTH_RATE_LIMIT)
