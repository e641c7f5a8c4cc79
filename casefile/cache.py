"""A Redis cache that a Redis outage slows down to "uncached", never to an error page.

Everything kept in the cache can be worked out again (the status vocabulary, statistics,
rate-limit counters), so while Redis cannot be reached a read is a miss and a write does
nothing. After a failure Redis is left alone for ``RETRY_AFTER`` seconds, so a page with a
dozen cache reads does not wait for a dozen connection attempts; the outage is logged at
most once a minute. ``config/settings.py`` uses it whenever ``CACHE_URL`` is a Redis URL.

While Redis is down the API's rate limits are not counted (the throttle sees an empty
history) and a cleared entry may outlive the outage until its timeout.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

import redis.exceptions
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache

log = logging.getLogger(__name__)

REDIS_DOWN = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)
RETRY_AFTER = 5.0
LOG_EVERY = 60.0
# Short socket timeouts unless CACHE_URL's query sets others: a cache that answers slower
# than this is no faster than the database it saves us from.
DEFAULT_OPTIONS = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}


class ForgivingRedisCache(RedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        params = {**params, "OPTIONS": {**DEFAULT_OPTIONS, **params.get("OPTIONS", {})}}
        super().__init__(server, params)
        self._lock = threading.Lock()
        self._down_until = 0.0
        self._logged_at = -LOG_EVERY

    def _call(self, method: str, default: Any, *args: Any, **kwargs: Any) -> Any:
        if time.monotonic() < self._down_until:
            return default
        try:
            return getattr(super(), method)(*args, **kwargs)
        except REDIS_DOWN as error:
            self._went_down(error)
            return default

    def _went_down(self, error: Exception) -> None:
        now = time.monotonic()
        with self._lock:
            self._down_until = now + RETRY_AFTER
            if now - self._logged_at < LOG_EVERY:
                return
            self._logged_at = now
        log.warning("The Redis cache is unreachable, pages are served uncached: %s", error)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None) -> bool:
        return self._call("add", False, key, value, timeout, version)

    def get(self, key, default=None, version=None) -> Any:
        return self._call("get", default, key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None) -> None:
        self._call("set", None, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None) -> bool:
        return self._call("touch", False, key, timeout, version)

    def delete(self, key, version=None) -> bool:
        return self._call("delete", False, key, version)

    def get_many(self, keys, version=None) -> dict[str, Any]:
        return self._call("get_many", {}, keys, version)

    def has_key(self, key, version=None) -> bool:
        return self._call("has_key", False, key, version)

    def incr(self, key, delta=1, version=None) -> int:
        missing = object()
        value = self._call("incr", missing, key, delta, version)
        if value is missing:
            # What incr raises for a key that is not there, which callers already handle.
            raise ValueError(f"Key '{key}' not found: the cache is unreachable.")
        return value

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None) -> list[str]:
        return self._call("set_many", list(data), data, timeout, version)

    def delete_many(self, keys, version=None) -> None:
        self._call("delete_many", None, keys, version)

    def clear(self) -> bool:
        return self._call("clear", False)
