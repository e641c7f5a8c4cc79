"""The API list's rows as JSON text written by PostgreSQL.

A page of ``/api/v1/incidents/`` is what research clients fetch most. Loading 50 model
instances, decoding their related names and encoding it all again cost 10 to 15 times
the raw SQL for the page (bench/RESULTS.md). Here PostgreSQL writes each row's JSON in the
page's own query (a scalar subquery, run only for the rows the LIMIT keeps) and Python
joins the texts, adding what only Python knows: links and the reader's country names.

The JSON is the same as ``IncidentSerializer``'s (``tests/api/test_incident_rows.py``
compares them); on SQLite the serializer runs instead.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable
from typing import Any
from urllib.parse import quote

from django.db import connection
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils.translation import get_language
from django_countries import countries

from config.translatable import reader_language

SLUG_MARK = "__casefile_slug__"

# Names sort in code point order ("C"), as Python's sorted() does in the serializer.
# Texts come from the reader's translation (the joined "reader" row) when it has them,
# else from the original. Every %s is the reader's language code.
ROW_SQL = """
SELECT json_build_object(
    'title', COALESCE(NULLIF(reader.title, ''), incidents_incident.title),
    'summary', COALESCE(NULLIF(reader.summary, ''), incidents_incident.summary),
    'occurred_on', incidents_incident.occurred_on,
    'date_precision', incidents_incident.date_precision,
    'ended_on', incidents_incident.ended_on,
    'country', incidents_incident.country,
    'region', COALESCE(NULLIF(reader.region, ''), incidents_incident.region),
    'place', COALESCE(NULLIF(reader.place, ''), incidents_incident.place),
    'location_precision', incidents_incident.location_precision,
    'status', status.slug,
    'status_name', COALESCE(NULLIF(status_name.name, ''), status.name),
    'organizations', COALESCE((
        SELECT json_agg(
            json_build_object('id', o.id, 'name', o.shown, 'acronym', o.acronym)
            ORDER BY o.shown COLLATE "C", o.id
        )
        FROM incidents_incident_organizations link
        JOIN LATERAL (
            SELECT org.id, org.acronym, COALESCE(NULLIF(t.name, ''), org.name) AS shown
            FROM organizations_organization org
            LEFT JOIN organizations_organizationtranslation t
                ON t.organization_id = org.id AND t.language = %s
            WHERE org.id = link.organization_id
        ) o ON true
        WHERE link.incident_id = incidents_incident.id
    ), '[]'),
    'perpetrators', COALESCE((
        SELECT json_agg(
            json_build_object(
                'id', g.id, 'name', g.shown, 'kind', g.kind, 'involvement', link.involvement
            )
            ORDER BY g.shown COLLATE "C", g.id
        )
        FROM incidents_incidentperpetrator link
        JOIN LATERAL (
            SELECT grp.id, grp.kind, COALESCE(NULLIF(t.name, ''), grp.name) AS shown
            FROM organizations_perpetratorgroup grp
            LEFT JOIN organizations_perpetratorgrouptranslation t
                ON t.group_id = grp.id AND t.language = %s
            WHERE grp.id = link.perpetrator_group_id
        ) g ON true
        WHERE link.incident_id = incidents_incident.id
    ), '[]'),
    'publication_state', incidents_incident.publication_state,
    'language', %s::text,
    'original_language', incidents_incident.original_language,
    'translations', COALESCE((
        SELECT json_agg(t.language ORDER BY t.language)
        FROM incidents_incidenttranslation t
        WHERE t.incident_id = incidents_incident.id
          AND t.language <> incidents_incident.original_language
    ), '[]'),
    'untranslated_fields', (
        SELECT COALESCE(json_agg(field.name ORDER BY field.position), '[]')
        FROM (VALUES (1, 'title', reader.title), (2, 'summary', reader.summary))
            AS field(position, name, value)
        WHERE %s <> incidents_incident.original_language AND COALESCE(field.value, '') = ''
    )
)::text
FROM incidents_status status
LEFT JOIN incidents_incidenttranslation reader
    ON reader.incident_id = incidents_incident.id AND reader.language = %s
    AND reader.language <> incidents_incident.original_language
LEFT JOIN incidents_statustranslation status_name
    ON status_name.status_id = status.id AND status_name.language = %s
WHERE status.id = incidents_incident.status_id
"""


def available() -> bool:
    return connection.vendor == "postgresql"


def as_json_rows(queryset: QuerySet) -> QuerySet:
    """``queryset`` (filtered and ordered) as dicts carrying each row's JSON text.

    The keyset pagination reads ``occurred_on`` and ``id`` from the dicts for its cursors.
    """
    # A constant statement; its one parameter is a language code from settings.LANGUAGES.
    language = reader_language()
    rows = RawSQL(ROW_SQL, (language,) * ROW_SQL.count("%s"))  # noqa: S611
    return queryset.annotate(row_json=rows).values(
        "id", "slug", "country", "occurred_on", "published_at", "row_json"
    )


class RowWriter:
    """Completes rows for one response: URL templates and country names are made once."""

    def __init__(self, request) -> None:
        case = reverse("incidents:detail", kwargs={"slug": SLUG_MARK})
        self.case_url = request.build_absolute_uri(case)
        self.api_url = request.build_absolute_uri(f"/api/v1/incidents/{SLUG_MARK}/")
        self.language = get_language()

    def row(self, row: dict[str, Any]) -> str:
        """One row: the link fields, the country name and published_at, then the SQL's."""
        return "".join(
            (
                '{"id":',
                str(row["id"]),
                ',"slug":',
                json.dumps(row["slug"], ensure_ascii=False),
                ',"url":',
                json.dumps(self.case_url.replace(SLUG_MARK, quote(row["slug"]))),
                ',"api_url":',
                json.dumps(self.api_url.replace(SLUG_MARK, str(row["id"]))),
                ',"country_name":',
                json.dumps(self.country_name(row["country"]), ensure_ascii=False),
                ',"published_at":',
                json.dumps(row["published_at"].isoformat() if row["published_at"] else None),
                ",",
                row["row_json"][1:],
            )
        )

    def country_name(self, code: str) -> str:
        return _country_name(self.language, code)


@functools.cache
def _country_name(language: str, code: str) -> str:
    """The name in ``language``, which is the active one (it is part of the cache key)."""
    return str(countries.name(code))


def page_body(next_url: str | None, previous_url: str | None, rows: Iterable[str]) -> str:
    """The paginated response, as ``KeysetPagination.get_paginated_response`` shapes it."""
    return "".join(
        (
            '{"next":',
            json.dumps(next_url),
            ',"previous":',
            json.dumps(previous_url),
            ',"results":[',
            ",".join(rows),
            "]}",
        )
    )
