"""Full-text search over incidents.

On PostgreSQL each incident has a ``search_vector`` built from its title (weight A),
summary (B), narrative and updates (C), with the ``casefile`` text search configuration:
the ``simple`` parser and dictionary behind ``unaccent``, so that French, Russian and
Arabic words are all indexed as written, case- and accent-insensitively ("hooliganisme",
"Бишкек", "بيشكيك"; "reunion" finds "réunion"). No stemming: one configuration serves every
language a case may be written in. Queries use ``websearch_to_tsquery`` ("quoted phrases",
``or``, ``-word``). The vector is refreshed by ``refresh_search_vectors`` whenever an
incident or its updates are saved through the services.

On SQLite (the zero-setup run) search falls back to case-insensitive substring matching.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import Exists, F, OuterRef, Q, QuerySet

CONFIG = "casefile"
# Ranking by relevance looks at this many of the newest matches at most, so a search for a
# very common word costs about what a rare one does.
RELEVANCE_WINDOW = 2000
# A search first asks for up to this many matching ids, in no order (see ``search``).
RARE_MATCHES = 1000

REFRESH_SQL = """
UPDATE incidents_incident AS incident SET search_vector =
    setweight(to_tsvector('casefile', coalesce(incident.title, '')), 'A')
    || setweight(to_tsvector('casefile', coalesce(incident.summary, '')), 'B')
    || setweight(to_tsvector('casefile', coalesce(incident.narrative, '') || ' ' || coalesce(
        (SELECT string_agg(u.title || ' ' || u.body, ' ')
           FROM incidents_update AS u WHERE u.incident_id = incident.id), '')), 'C')
"""


def uses_postgres() -> bool:
    return connection.vendor == "postgresql"


def refresh_search_vectors(incident_ids: Iterable[int] | None = None) -> None:
    """Rebuild the search vectors of these incidents (all of them if ``None``)."""
    if not uses_postgres():
        return
    with connection.cursor() as cursor:
        if incident_ids is None:
            cursor.execute(REFRESH_SQL)
        else:
            cursor.execute(REFRESH_SQL + " WHERE incident.id = ANY(%s)", [list(incident_ids)])


def search(queryset: QuerySet, terms: str) -> QuerySet:
    """Incidents of ``queryset`` matching ``terms``."""
    terms = terms.replace("\x00", "").strip()
    if not terms:
        return queryset
    if uses_postgres():
        # Newest-first lists walk the date index and test each row, which finds the 50
        # newest matches of a common word at once, but reads the whole index for a rare
        # one. So: probe for up to RARE_MATCHES ids in no order (the GIN index answers a rare
        # word at once; a common word fills the probe in a few thousand rows). Fewer than
        # that means a rare word: the page is then sorted from those ids alone.
        matches = queryset.model.objects.filter(search_vector=_query(terms))
        probe = list(matches.order_by().values_list("pk", flat=True)[:RARE_MATCHES])
        if len(probe) < RARE_MATCHES:
            return queryset.filter(pk__in=probe)
        return queryset.filter(search_vector=_query(terms))
    from .models import Update

    updates = Update.objects.filter(incident=OuterRef("pk")).filter(
        Q(title__icontains=terms) | Q(body__icontains=terms)
    )
    return queryset.filter(
        Q(title__icontains=terms)
        | Q(summary__icontains=terms)
        | Q(narrative__icontains=terms)
        | Exists(updates)
    )


def order_by_relevance(queryset: QuerySet, terms: str) -> QuerySet:
    """The best matches first, among the newest ``RELEVANCE_WINDOW`` matches.

    Ranking every match of a common word would sort hundreds of thousands of rows; the
    window keeps the cost bounded and the newest cases are the ones researchers look for.
    """
    if not uses_postgres() or not terms.strip():
        return queryset.order_by("-occurred_on", "-id")
    window = queryset.order_by("-occurred_on", "-id").values("pk")[:RELEVANCE_WINDOW]
    model = queryset.model
    return (
        model.objects.filter(pk__in=window)
        .annotate(relevance=SearchRank(F("search_vector"), _query(terms)))
        .order_by("-relevance", "-occurred_on", "-id")
    )


def _query(terms: str) -> SearchQuery:
    return SearchQuery(terms.replace("\x00", ""), config=CONFIG, search_type="websearch")
