"""Full-text search over incidents.

On PostgreSQL each incident has a ``search_vector`` built from its title (weight A), summary
(B), place, region and the names of its organizations and perpetrator groups (B), narrative
and updates (C), each with its translations into other languages, so a case is found by
words of any of them. Places and names weigh as much as the summary: a case that happened in
Atyrau, or that targeted a named group, is more about it than one whose narrative mentions
it in passing (C).

Each text is indexed twice. Once with the ``casefile`` configuration (the ``simple`` parser
and dictionary behind ``unaccent``: every language as written, case- and accent-insensitive,
so names and transliterations match exactly: "Бишкек", "reunion" finds "réunion"). And once
with the stemming configuration of the text's own language (``STEMMING``: ``casefile_french``
is ``french`` behind ``unaccent``), so "protest" finds "Protests" and "арест" finds
"аресты". Unknown languages are indexed the simple way only.

A query is read the same two ways: the ``casefile`` one and one per stemming configuration
(the searcher's language is unknown), ORed (``match_query_sql``), so a case matches if
either form of the query does. A stem can reach a word of another language that stems
alike; names never lose a match, as the simple form is always there (acronyms and aliases
are indexed that way only). Queries use ``websearch_to_tsquery`` ("quoted phrases", ``or``,
``-word``), each form on its own: "-protests" leaves out "protests" but not "protest".
The vector is refreshed by ``refresh_search_vectors`` whenever an incident, its updates
or their translations are saved through the services, and when an organization's or a
group's names change (signals, ``connect_name_signals``).

On SQLite (the zero-setup run) search falls back to case-insensitive substring matching.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import Exists, F, Model, OuterRef, Q, QuerySet
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save

from organizations.models import (
    Organization,
    OrganizationTranslation,
    PerpetratorGroup,
    PerpetratorGroupTranslation,
)

CONFIG = "casefile"
# ISO 639-1 code -> PostgreSQL's stemming configuration for that language. The database
# holds ``casefile_<name>`` (the stemmer behind ``unaccent``) for each, made by migration
# 0012: a language added here needs a migration that makes its configuration and rebuilds
# the vectors. Codes not listed are indexed with ``casefile`` only.
STEMMING = {
    "ar": "arabic",
    "ca": "catalan",
    "da": "danish",
    "de": "german",
    "el": "greek",
    "en": "english",
    "es": "spanish",
    "eu": "basque",
    "fi": "finnish",
    "fr": "french",
    "ga": "irish",
    "hi": "hindi",
    "hu": "hungarian",
    "hy": "armenian",
    "id": "indonesian",
    "it": "italian",
    "lt": "lithuanian",
    "nb": "norwegian",
    "ne": "nepali",
    "nl": "dutch",
    "nn": "norwegian",
    "no": "norwegian",
    "pt": "portuguese",
    "ro": "romanian",
    "ru": "russian",
    "sr": "serbian",
    "sv": "swedish",
    "ta": "tamil",
    "tr": "turkish",
    "yi": "yiddish",
}
STEMMING_CONFIGS = sorted({f"{CONFIG}_{name}" for name in STEMMING.values()})
# Ranking by relevance looks at this many of the newest matches at most, so a search for a
# very common word costs about what a rare one does.
RELEVANCE_WINDOW = 2000
# A search first asks for up to this many matching ids, in no order (see
# ``search_condition``), unless PostgreSQL estimates that at least COMMON_SHARE of all
# incidents match: then the date-index walk finds a page at once.
RARE_MATCHES = 1000
COMMON_SHARE = 0.05


def query_forms_sql(terms_sql: str) -> str:
    """SQL for the terms' distinct tsqueries (``terms_sql``, a placeholder): the
    ``casefile`` one and the stemmed ones, each distinct form once (most languages stem a
    word alike, and each form is one more index lookup), empty ones left out."""
    configs = ", ".join(f"'{name}'" for name in [CONFIG, *STEMMING_CONFIGS])
    select = "SELECT DISTINCT form FROM unnest"
    return (
        f"{select}(ARRAY[{configs}]::regconfig[]) AS config,"
        f" websearch_to_tsquery(config, {terms_sql}) AS form WHERE numnode(form) > 0"
    )


def match_query_sql(terms_sql: str) -> str:
    """SQL for the tsquery matching the terms: their forms ORed; NULL when none has a word."""
    forms = query_forms_sql(terms_sql)
    return f"(SELECT string_agg('(' || form::text || ')', ' | ')::tsquery FROM ({forms}) AS f)"  # noqa: S608


# How common the terms are is the estimate for their most common form, not for the OR of
# all: a case holding a word holds its simple and its stemmed forms, so the forms' matches
# mostly coincide, and adding up their estimates would call a rare word common.
PROBE_SQL = f"""
SELECT CASE
    WHEN query IS NULL THEN '{{}}'
    WHEN share >= %(common)s THEN NULL
    ELSE ARRAY(SELECT id FROM incidents_incident WHERE search_vector @@ query LIMIT %(rare)s)
END
FROM (
    SELECT string_agg('(' || form::text || ')', ' | ')::tsquery,
           max(casefile_search_share(form))
      FROM ({query_forms_sql("%(terms)s")}) AS forms
) AS probe(query, share)
"""  # noqa: S608 (constant text)


def refresh_sql(stemming: Mapping[str, str]) -> str:
    """The UPDATE setting every incident's vector (callers add a WHERE on ``incident.id``).

    One subquery per related table: each row gives its own texts, weighted, in both
    configurations; ``casefile_tsvector_agg`` (migration 0012) joins the rows' vectors.
    Built from constants only (table and column names, ``stemming``): no input reaches it.
    """
    whens = " ".join(
        f"WHEN '{code}' THEN '{CONFIG}_{name}'::regconfig" for code, name in stemming.items()
    )

    def both(text: str, language: str, weight: str) -> str:
        # No stemmer for the language: to_tsvector(NULL, ...) is NULL, coalesced away.
        stem = f"(CASE split_part({language}, '-', 1) {whens} END)"
        return (
            f"setweight(to_tsvector('{CONFIG}', coalesce({text}, ''))"
            f" || coalesce(to_tsvector({stem}, coalesce({text}, '')), ''), '{weight}')"
        )

    def simple(text: str, weight: str) -> str:
        return f"setweight(to_tsvector('{CONFIG}', coalesce({text}, '')), '{weight}')"

    def rows(vector: str, source: str) -> str:
        return f"coalesce((SELECT casefile_tsvector_agg({vector}) FROM {source}), '')"  # noqa: S608

    def place(table: str) -> str:
        return f"coalesce({table}.place, '') || ' ' || coalesce({table}.region, '')"

    def update(table: str) -> str:
        return f"{table}.title || ' ' || {table}.body"

    original = "incident.original_language"
    translation = " || ".join(
        [
            both("t.title", "t.language", "A"),
            both("t.summary", "t.language", "B"),
            both(place("t"), "t.language", "B"),
            both("t.narrative", "t.language", "C"),
        ]
    )
    organization = " || ".join(
        [
            both("o.name", "o.original_language", "B"),
            simple("o.acronym", "B"),
            rows(
                both("ot.name", "ot.language", "B"),
                "organizations_organizationtranslation AS ot WHERE ot.organization_id = o.id",
            ),
        ]
    )
    group = " || ".join(
        [
            both("g.name", "g.original_language", "B"),
            simple("g.aliases", "B"),
            rows(
                both("gt.name", "gt.language", "B"),
                "organizations_perpetratorgrouptranslation AS gt WHERE gt.group_id = g.id",
            ),
        ]
    )
    vector = "\n    || ".join(
        [
            both("incident.title", original, "A"),
            both("incident.summary", original, "B"),
            both(place("incident"), original, "B"),
            both("incident.narrative", original, "C"),
            rows(
                translation, "incidents_incidenttranslation AS t WHERE t.incident_id = incident.id"
            ),
            rows(
                both(update("u"), original, "C"),
                "incidents_update AS u WHERE u.incident_id = incident.id",
            ),
            rows(
                both(update("ut"), "ut.language", "C"),
                "incidents_updatetranslation AS ut JOIN incidents_update AS u"
                " ON u.id = ut.update_id WHERE u.incident_id = incident.id",
            ),
            rows(
                organization,
                "incidents_incident_organizations AS link JOIN organizations_organization AS o"
                " ON o.id = link.organization_id WHERE link.incident_id = incident.id",
            ),
            rows(
                group,
                "incidents_incidentperpetrator AS link JOIN organizations_perpetratorgroup AS g"
                " ON g.id = link.perpetrator_group_id WHERE link.incident_id = incident.id",
            ),
        ]
    )
    return f"UPDATE incidents_incident AS incident SET search_vector =\n    {vector}\n"  # noqa: S608


REFRESH_SQL = refresh_sql(STEMMING)


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
                PROBE_SQL, {"common": COMMON_SHARE, "rare": RARE_MATCHES, "terms": terms}
            )
            probe = cursor.fetchone()[0]
        if probe is not None and len(probe) < RARE_MATCHES:
            return Q(pk__in=probe)
        return Q(search_vector=_query(terms))
    from .models import (
        Incident,
        IncidentPerpetrator,
        IncidentTranslation,
        Update,
        UpdateTranslation,
    )

    texts = Q(title__icontains=terms) | Q(summary__icontains=terms) | Q(narrative__icontains=terms)
    places = Q(place__icontains=terms) | Q(region__icontains=terms)
    update_texts = Q(title__icontains=terms) | Q(body__icontains=terms)
    organizations = (
        Q(organization__name__icontains=terms)
        | Q(organization__acronym__icontains=terms)
        | Q(organization__translations__name__icontains=terms)
    )
    groups = (
        Q(perpetrator_group__name__icontains=terms)
        | Q(perpetrator_group__aliases__icontains=terms)
        | Q(perpetrator_group__translations__name__icontains=terms)
    )
    return (
        texts
        | places
        | Exists(IncidentTranslation.objects.filter(texts | places, incident=OuterRef("pk")))
        | Exists(Update.objects.filter(update_texts, incident=OuterRef("pk")))
        | Exists(UpdateTranslation.objects.filter(update_texts, update__incident=OuterRef("pk")))
        | Exists(
            Incident.organizations.through.objects.filter(organizations, incident=OuterRef("pk"))
        )
        | Exists(IncidentPerpetrator.objects.filter(groups, incident=OuterRef("pk")))
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


class _MatchQuery(SearchQuery):
    """The terms' simple and stemmed tsqueries ORed (``match_query_sql``), as an expression
    Django's ``search_vector=`` lookup and ``SearchRank`` accept."""

    template = match_query_sql("%(expressions)s")


def _query(terms: str) -> SearchQuery:
    return _MatchQuery(terms.replace("\x00", ""))


# Names change: an organization's or a group's names are in its incidents' vectors.
# ``organizations`` cannot know about incidents, so incidents listen to its saves. Only a
# change to what is indexed refreshes: a group may be named in thousands of cases.
INDEXED_NAMES: dict[type[Model], tuple[str, ...]] = {
    Organization: ("name", "acronym", "original_language"),
    OrganizationTranslation: ("name", "language"),
    PerpetratorGroup: ("name", "aliases", "original_language"),
    PerpetratorGroupTranslation: ("name", "language"),
}


def _incidents_naming(record: Model) -> QuerySet:
    """The ids of the incidents whose vectors hold ``record``'s names."""
    from .models import Incident, IncidentPerpetrator

    if isinstance(record, Organization | OrganizationTranslation):
        owner = record.pk if isinstance(record, Organization) else record.organization_id
        links = Incident.organizations.through.objects.filter(organization_id=owner)
    else:
        owner = record.pk if isinstance(record, PerpetratorGroup) else record.group_id
        links = IncidentPerpetrator.objects.filter(perpetrator_group_id=owner)
    return links.values("incident_id")


def _refresh_incidents_naming(record: Model) -> None:
    ids_sql, params = _incidents_naming(record).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(REFRESH_SQL + f" WHERE incident.id IN ({ids_sql})", params)


def _note_name_change(sender: type[Model], instance: Model, raw: bool = False, **kwargs: Any):
    if raw or not uses_postgres():
        instance._search_names_changed = False
        return
    if instance.pk is None:
        instance._search_names_changed = True  # a new translation names its record's cases
        return
    fields = INDEXED_NAMES[sender]
    before = sender._default_manager.filter(pk=instance.pk).values(*fields).first()
    instance._search_names_changed = before is None or any(
        before[name] != getattr(instance, name) for name in fields
    )


def _refresh_after_save(sender: type[Model], instance: Model, **kwargs: Any):
    if instance.__dict__.pop("_search_names_changed", False):
        _refresh_incidents_naming(instance)


def _note_incidents_before_delete(sender: type[Model], instance: Model, **kwargs: Any):
    # Deleting the record deletes its links: read its cases while they are still there.
    if uses_postgres():
        ids = _incidents_naming(instance).values_list("incident_id", flat=True)
        instance._search_incident_ids = list(ids)


def _refresh_after_delete(sender: type[Model], instance: Model, **kwargs: Any):
    if not uses_postgres():
        return
    if isinstance(instance, OrganizationTranslation | PerpetratorGroupTranslation):
        _refresh_incidents_naming(instance)
    else:
        refresh_search_vectors(instance.__dict__.pop("_search_incident_ids", []))


def connect_name_signals() -> None:
    """Keep incidents' vectors current when names they hold change (from apps.ready)."""
    for model in INDEXED_NAMES:
        uid = f"search-names-{model._meta.label_lower}"
        pre_save.connect(_note_name_change, sender=model, dispatch_uid=f"{uid}-before")
        post_save.connect(_refresh_after_save, sender=model, dispatch_uid=f"{uid}-saved")
        post_delete.connect(_refresh_after_delete, sender=model, dispatch_uid=f"{uid}-deleted")
    for model in (Organization, PerpetratorGroup):
        uid = f"search-names-{model._meta.label_lower}-deleting"
        pre_delete.connect(_note_incidents_before_delete, sender=model, dispatch_uid=uid)
