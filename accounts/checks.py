"""Deployment checks for what protects the accounts."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Warning as CheckWarning

LOCMEM = "django.core.cache.backends.locmem.LocMemCache"


def cache_shared_by_processes(app_configs, **kwargs) -> list[CheckWarning]:
    """accounts.W001: a per-process cache with DEBUG off (several gunicorn workers)."""
    if settings.DEBUG or settings.CACHES["default"]["BACKEND"] != LOCMEM:
        return []
    return [
        CheckWarning(
            "The default cache is kept in each process's memory: with several processes, "
            "a second-factor code can be replayed once per process, and rate limits are "
            "counted per process.",
            hint="Set CACHE_URL to Redis (redis://...) or a file cache (filecache:///path).",
            id="accounts.W001",
        )
    ]
