"""The controlled vocabularies: statuses (cached) and the violation types' names.

Every filtered list checks its ``status`` values against the vocabulary. Reading it from
the cache rather than the database keeps a filtered page at three queries (the search
probe, the facets, the page). The cache is cleared whenever a status is saved or deleted
(``incidents.apps``); set ``CACHE_URL`` to a shared cache (Redis) when several processes
serve the site, or a process may see a renamed status under its old name for up to
``TIMEOUT`` seconds.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext_noop

from casefile.translatable import LANGUAGE_CODES, reader_language

TIMEOUT = 300


def _key(language: str | None) -> str:
    return f"incidents:statuses:{language or settings.LANGUAGE_CODE}"


# A page asks for status names once per case card: each process keeps what it read from
# the (possibly shared, networked) cache for a few seconds.
LOCAL_SECONDS = 5
_local: dict[str, tuple[float, dict[str, str]]] = {}


def statuses() -> dict[str, str]:
    """Slug to name, in the vocabulary's order, in the reader's language (translated
    where a translation exists)."""
    from .models import Status, StatusTranslation

    language = reader_language()
    kept = _local.get(language)
    if kept is not None and kept[0] > time.monotonic():
        return kept[1]
    key = _key(language)
    names = cache.get(key)
    if names is None:
        translated = StatusTranslation.objects.filter(status=OuterRef("pk"), language=language)
        statuses = Status.objects.annotate(translated=Subquery(translated.values("name")[:1]))
        names = {status.slug: status.translated or status.name for status in statuses}
        cache.set(key, names, TIMEOUT)
    _local[language] = (time.monotonic() + LOCAL_SECONDS, names)
    return names


def status_choices() -> list[tuple[str, str]]:
    return list(statuses().items())


def forget_statuses(**kwargs) -> None:
    """Signal receiver: forget the names now, and again once the change is committed (a
    request between the save and the commit would cache the old names again)."""
    _forget()
    transaction.on_commit(_forget)


def _forget() -> None:
    _local.clear()
    cache.delete_many([_key(code) for code in LANGUAGE_CODES])


# The seeded violation types' names (migration 0002), for the message catalogues.
#
# Violation types are a fixed thesaurus (HURIDOCS "Types of Acts"), not case content: their
# names are translated in locale/ like the rest of the interface. ``ViolationType.
# display_name`` looks the stored name up there; a name staff add later stays as written.
VIOLATION_TYPE_NAMES = [
    gettext_noop("Killing"),
    gettext_noop("Extrajudicial execution"),
    gettext_noop("Death in custody"),
    gettext_noop("Death resulting from excessive use of force"),
    gettext_noop("Disappearance"),
    gettext_noop("Enforced disappearance"),
    gettext_noop("Deprivation of liberty"),
    gettext_noop("Arbitrary arrest"),
    gettext_noop("Arbitrary detention"),
    gettext_noop("Incommunicado detention"),
    gettext_noop("House arrest"),
    gettext_noop("Torture and ill-treatment"),
    gettext_noop("Torture"),
    gettext_noop("Physical assault"),
    gettext_noop("Psychological assault and harassment"),
    gettext_noop("Threats"),
    gettext_noop("Sexual violence"),
    gettext_noop("Violations of due process"),
    gettext_noop("Judicial harassment"),
    gettext_noop("Unfair trial"),
    gettext_noop("Denial of access to a lawyer"),
    gettext_noop("Obstruction of a lawyer's professional activities"),
    gettext_noop("Restrictions on assembly and association"),
    gettext_noop("Banning or disruption of a meeting"),
    gettext_noop("Dispersal of a peaceful assembly"),
    gettext_noop("Closure or deregistration of an organization"),
    gettext_noop("Restrictions on expression and information"),
    gettext_noop("Censorship"),
    gettext_noop("Internet shutdown or blocking"),
    gettext_noop("Smear campaign"),
    gettext_noop("Restrictions on freedom of movement"),
    gettext_noop("Travel ban"),
    gettext_noop("Deportation or forced exile"),
    gettext_noop("Interference with privacy and property"),
    gettext_noop("Surveillance"),
    gettext_noop("Raid or search of premises"),
    gettext_noop("Seizure of property or materials"),
]
