"""Django's Redis cache, with one Redis client object per connection pool instead of a new one for
every cache call.

django.core.cache.backends.redis builds a `redis.Redis` for each get, set or incr, and each build
fills a table of some 170 response callbacks: on a signed-in page with five cache calls (session,
data version, kept content, menu) that was a fifth of the request's Python time. A `redis.Redis`
shares nothing but its pool between calls and is safe to share between threads, so one per pool
does the same work. CACHE_URL=redis://... uses this backend (config/settings.py).
"""

from typing import Any

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class ReusingRedisCacheClient(RedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        pool = self._get_connection_pool(write)  # type: ignore[attr-defined]  # Django's, untyped in django-stubs; kept for the process's life, so its id stays its own
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)  # type: ignore[attr-defined]  # redis.Redis
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient
