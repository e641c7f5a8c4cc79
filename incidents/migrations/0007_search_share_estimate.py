"""casefile_search_share(tsquery): PostgreSQL's estimate of the share of incidents matching.

Read by ``incidents.search.search_condition`` to choose how to find a page of matches. It
runs EXPLAIN (no rows are read), so it must be VOLATILE. Nothing on SQLite.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION casefile_search_share(query tsquery) RETURNS double precision
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    plan json;
    total double precision;
BEGIN
    SELECT reltuples INTO total FROM pg_class WHERE oid = 'incidents_incident'::regclass;
    IF total IS NULL OR total < 1 THEN
        RETURN 0;  -- never analysed: no estimate, so the exact probe
    END IF;
    EXECUTE 'EXPLAIN (FORMAT JSON) SELECT 1 FROM incidents_incident WHERE search_vector @@ $1'
        INTO plan USING query;
    RETURN (plan -> 0 -> 'Plan' ->> 'Plan Rows')::double precision / total;
END
$$
"""
DROP = "DROP FUNCTION IF EXISTS casefile_search_share(tsquery)"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("incidents", "0006_filtered_list_indexes")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
