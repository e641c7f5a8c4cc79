"""Stemming per language, and places and names in the search vectors (PostgreSQL only).

Makes ``casefile_<stemmer>`` for each stemmer PostgreSQL has (a copy of its configuration
with ``unaccent`` before the stemmer, as ``casefile`` is ``simple`` behind ``unaccent``;
a copy of ``casefile`` where this PostgreSQL lacks the stemmer, so every name
incidents.search uses exists), the ``casefile_tsvector_agg`` aggregate the vectors are
joined with, and rebuilds every vector. Nothing on SQLite.
"""

from django.db import migrations

CONFIG = "casefile"
# The map and the vectors as incidents.search built them when this migration was written
# (later versions may read tables that do not exist yet at this point).
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

STEMMERS = sorted(set(STEMMING.values()))

CREATE_CONFIGURATIONS = """
DO $$
DECLARE
    stemmer text;
    dictionary text;
BEGIN
    FOREACH stemmer IN ARRAY STEMMERS LOOP
        CONTINUE WHEN EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'casefile_' || stemmer);
        SELECT d.dictname INTO dictionary
          FROM pg_ts_config AS c
          JOIN pg_ts_config_map AS m ON m.mapcfg = c.oid
          JOIN pg_ts_dict AS d ON d.oid = m.mapdict
         WHERE c.cfgname = stemmer AND c.cfgnamespace = 'pg_catalog'::regnamespace
           AND m.maptokentype = (SELECT tokid FROM ts_token_type('default') WHERE alias = 'word')
         ORDER BY m.mapseqno DESC LIMIT 1;
        IF dictionary IS NULL THEN
            EXECUTE 'CREATE TEXT SEARCH CONFIGURATION '
                || quote_ident('casefile_' || stemmer) || ' (COPY = casefile)';
        ELSE
            EXECUTE 'CREATE TEXT SEARCH CONFIGURATION ' || quote_ident('casefile_' || stemmer)
                || ' (COPY = pg_catalog.' || quote_ident(stemmer) || ')';
            EXECUTE 'ALTER TEXT SEARCH CONFIGURATION ' || quote_ident('casefile_' || stemmer)
                || ' ALTER MAPPING FOR hword, hword_part, word WITH unaccent, '
                || quote_ident(dictionary);
        END IF;
    END LOOP;
END $$
"""
CREATE_AGGREGATE = """
CREATE OR REPLACE AGGREGATE casefile_tsvector_agg(tsvector) (
    SFUNC = tsvector_concat, STYPE = tsvector, INITCOND = ''
)
"""
DROP = ["DROP AGGREGATE IF EXISTS casefile_tsvector_agg(tsvector)"] + [
    f"DROP TEXT SEARCH CONFIGURATION IF EXISTS casefile_{stemmer}" for stemmer in STEMMERS
]
# The vectors as incidents.search built them before this migration (its 0004 and 0008 form).
EARLIER_VECTORS_SQL = """
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


def refresh_sql(stemming: dict) -> str:
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


def set_up(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    stemmers = "ARRAY[" + ", ".join(f"'{name}'" for name in STEMMERS) + "]"
    schema_editor.execute(CREATE_CONFIGURATIONS.replace("STEMMERS", stemmers))
    schema_editor.execute(CREATE_AGGREGATE)
    schema_editor.execute(refresh_sql(STEMMING))


def tear_down(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(EARLIER_VECTORS_SQL)
    for statement in DROP:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("incidents", "0011_export_jobs"),
        ("organizations", "0002_translations"),
    ]

    operations = [migrations.RunPython(set_up, tear_down, elidable=False)]
