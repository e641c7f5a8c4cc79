"""Full-text search over incidents.

On PostgreSQL each incident has a ``search_vector`` built from its title (weight A),
summary (B), narrative and updates (C), each with its translations into other languages,
so a case is found by words of any of them. The ``casefile`` text search configuration is
the ``simple`` parser and dictionary behind ``unaccent``, so that French, Russian and
Arabic words are all indexed as written, case- and accent-insensitively ("hooliganisme",
"Бишкек", "بيشكيك"; "reunion" finds "réunion"). No stemming: one configuration serves every
language a case may be written in. Queries use ``websearch_to_tsquery`` ("quoted phrases",
``or``, ``-word``). The vector is refreshed by ``refresh_search_vectors`` whenever an
incident, its updates or their translations are saved through the services.

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
# A search first asks for up to this many matching ids, in no order (see
# ``search_condition``), unless PostgreSQL estimates that at least COMMON_SHARE of all
# incidents match: then the date-index walk finds a page at once.
RARE_MATCHES = 1000
COMMON_SHARE = 0.05
PROBE_SQL = """
SELECT CASE
    WHEN casefile_search_share(query) >= %(common)s THEN NULL
    ELSE ARRAY(SELECT id FROM incidents_incident WHERE search_vector @@ query LIMIT %(rare)s)
END
FROM websearch_to_tsquery(%(config)s, %(terms)s) AS query
"""

REFRESH_SQL = """
UPDATE incidents_incident AS incident SET search_vector =
    setweight(to_tsvector('casefile', coalesce(incident.title, '') || ' ' || coalesce(
        (SELECT string_agg(t.title, ' ') FROM incidents_incidenttranslation AS t
          WHERE t.incident_id = incident.id), '')), 'A')
    || setweight(to_tsvector('casefile', coalesce(incident.summary, '') || ' ' || coalesce(
        (SELECT string_agg(t.summary, ' ') FROM incidents_incidenttranslation AS t
          WHERE t.incident_id = incident.id), '')), 'B')
    || setweight(to_tsvector('casefile', coalesce(incident.narrative, '') || ' ' || coalesce(
        (SELECT string_agg(t.narrative, ' ') FROM incidents_incidenttranslation AS t
          WHERE t.incident_id = incident.id), '') || ' ' || coalesce(
        (SELECT string_agg(u.title || ' ' || u.body, ' ')
           FROM incidents_update AS u WHERE u.incident_id = incident.id), '') || ' ' || coalesce(
        (SELECT string_agg(ut.title || ' ' || ut.body, ' ')
           FROM incidents_updatetranslation AS ut
           JOIN incidents_update AS u ON u.id = ut.update_id
          WHERE u.incident_id = incident.id), '')), 'C')
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
    return queryset.filter(search_condition(terms))


def search_condition(terms: str) -> Q:
    """The condition for incidents matching ``terms`` (on PostgreSQL, after one query).

    A newest-first list walks the date index and tests each row: for a common word that
    finds the 50 newest matches at once, but for a rare one it reads the whole index. So
    one query (``PROBE_SQL``) first asks PostgreSQL how common the terms are, from the
    statistics ANALYZE keeps (the planner's own estimate). Common terms are matched on the
    walk. Otherwise it fetches up to ``RARE_MATCHES`` matching ids from the GIN index, in no
    order; fewer than that is every match, and the page is sorted from those ids alone.
    """
    terms = terms.replace("\x00", "").strip()
    if not terms:
        return Q()
    if uses_postgres():
        with connection.cursor() as cursor:
            cursor.execute(
                PROBE_SQL,
                {"common": COMMON_SHARE, "rare": RARE_MATCHES, "config": CONFIG, "terms": terms},
            )
            probe = cursor.fetchone()[0]
        if probe is not None and len(probe) < RARE_MATCHES:
            return Q(pk__in=probe)
        return Q(search_vector=_query(terms))
    from .models import IncidentTranslation, Update, UpdateTranslation

    texts = Q(title__icontains=terms) | Q(summary__icontains=terms) | Q(narrative__icontains=terms)
    update_texts = Q(title__icontains=terms) | Q(body__icontains=terms)
    return (
        texts
        | Exists(IncidentTranslation.objects.filter(texts, incident=OuterRef("pk")))
        | Exists(Update.objects.filter(update_texts, incident=OuterRef("pk")))
        | Exists(UpdateTranslation.objects.filter(update_texts, update__incident=OuterRef("pk")))
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
