"""The status vocabulary, cached.

Every filtered list checks its ``status`` values against the vocabulary. Reading it from
the cache rather than the database keeps a filtered page at three queries (the search
probe, the facets, the page). The cache is cleared whenever a status is saved or deleted
(``incidents.apps``); set ``CACHE_URL`` to a shared cache (Redis) when several processes
serve the site, or a process may see a renamed status under its old name for up to
``TIMEOUT`` seconds.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import get_language

TIMEOUT = 300


def _key(language: str | None) -> str:
    return f"incidents:statuses:{language or settings.LANGUAGE_CODE}"


def statuses() -> dict[str, str]:
    """Slug to name, in the vocabulary's order, in the active language."""
    from .models import Status

    key = _key(get_language())
    names = cache.get(key)
    if names is None:
        names = {status.slug: str(status.name) for status in Status.objects.all()}
        cache.set(key, names, TIMEOUT)
    return names


def status_choices() -> list[tuple[str, str]]:
    return list(statuses().items())


def forget_statuses(**kwargs) -> None:
    cache.delete_many([_key(code) for code, _name in settings.LANGUAGES])
