"""core.cache.RedisCache: Django's Redis cache with one client per pool, on the real Redis."""

import uuid

import pytest

from core.cache import RedisCache


@pytest.fixture
def redis_cache(redis_broker):
    return RedisCache(redis_broker, {"KEY_PREFIX": f"test-{uuid.uuid4().hex[:8]}"})


@pytest.mark.service
def test_every_call_on_the_same_pool_shares_one_client(redis_cache):
    client = redis_cache._cache.get_client(write=True)

    assert redis_cache._cache.get_client(write=True) is client
    assert redis_cache._cache.get_client(write=False) is client  # one server: reads use the same pool


@pytest.mark.service
def test_values_set_are_read_back_and_counted_as_with_djangos_cache(redis_cache):
    redis_cache.set("version", 1, None)
    redis_cache.incr("version")
    redis_cache.set("page", ("<p>kept</p>", None), 60)

    assert redis_cache.get("version") == 2
    assert redis_cache.get("page") == ("<p>kept</p>", None)
    redis_cache.delete_many(["version", "page"])
    assert redis_cache.get("page") is None
