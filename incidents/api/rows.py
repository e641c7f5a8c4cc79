"""The API list's rows as JSON text written by PostgreSQL.

A page of ``/api/v1/incidents/`` is what research clients fetch most. Loading 50 model
instances, decoding their related names and encoding it all again cost 10 to 15 times
the raw SQL for the page (bench/RESULTS.md). Here PostgreSQL writes each row's JSON in the
page's own query (a scalar subquery, run only for the rows the LIMIT keeps), from the
columns the exports read too (``incidents.columns``), and Python joins the texts, adding
what only Python knows: links and the reader's country names.

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

from casefile.translatable import reader_language

from ..columns import (
    JSON,
    READER_JOINS,
    Column,
    case_columns,
    json_members,
    organization_links,
    perpetrator_links,
)

SLUG_MARK = "__casefile_slug__"

# The serializer's fields in its order; id, slug, url, api_url and country_name are
# Python's (RowWriter).
FIELDS = [
    "title",
    "summary",
    "occurred_on",
    "date_precision",
    "ended_on",
    "country",
    "region",
    "place",
    "location_precision",
    "status",
    "status_name",
    "organizations",
    "perpetrators",
    "publication_state",
    "published_at",
    "language",
    "original_language",
    "translations",
    "untranslated_fields",
]
# Names sort as the reader sees them (translated), in code point order, as the serializer's
# sorted() does. Each list is read per row (the index on incident_id), for the page's rows.
ORGANIZATIONS = f"""COALESCE((
    SELECT json_agg(
        json_build_object('id', o.id, 'name', o.name, 'acronym', o.acronym)
        ORDER BY o.name COLLATE "C", o.id
    )
    FROM ({organization_links(translated=True)}) o
    WHERE o.incident_id = i.id
), '[]')::text"""  # noqa: S608 (constant text)
PERPETRATORS = f"""COALESCE((
    SELECT json_agg(
        json_build_object('id', p.id, 'name', p.name, 'kind', p.kind, 'involvement', p.involvement)
        ORDER BY p.name COLLATE "C", p.id
    )
    FROM ({perpetrator_links(translated=True)}) p
    WHERE p.incident_id = i.id
), '[]')::text"""  # noqa: S608 (constant text)
TRANSLATIONS = """COALESCE((
    SELECT json_agg(t.language ORDER BY t.language)
    FROM incidents_incidenttranslation t
    WHERE t.incident_id = i.id AND t.language <> i.original_language
), '[]')::text"""
# The texts (of those the list shows) given in the original for want of a translation.
UNTRANSLATED = """CASE WHEN %s = i.original_language THEN '[]' ELSE '[' || concat_ws(',',
    CASE WHEN COALESCE(reader.title, '') = '' AND i.title <> '' THEN '"title"' END,
    CASE WHEN COALESCE(reader.summary, '') = '' AND i.summary <> '' THEN '"summary"' END
) || ']' END"""


def _row_sql() -> str:
    columns = {
        **case_columns(translated=True),
        "organizations": Column("organizations", ORGANIZATIONS, JSON),
        "perpetrators": Column("perpetrators", PERPETRATORS, JSON),
        "language": Column("language", "%s::text"),
        "translations": Column("translations", TRANSLATIONS, JSON),
        "untranslated_fields": Column("untranslated_fields", UNTRANSLATED, JSON),
    }
    # The case is the outer query's row: "i" is a second name for it, which reads the row
    # already at hand (no second scan).
    return f"""
SELECT {json_members([columns[name] for name in FIELDS])}
FROM (SELECT incidents_incident.*) i
JOIN incidents_status status ON status.id = i.status_id
{READER_JOINS}"""  # noqa: S608 (constant text)


# A constant statement; every %s in it is the reader's language.
ROW_SQL = _row_sql()


def available() -> bool:
    return connection.vendor == "postgresql"


def as_json_rows(queryset: QuerySet) -> QuerySet:
    """``queryset`` (filtered and ordered) as dicts carrying each row's JSON members.

    The keyset pagination reads ``occurred_on`` and ``id`` from the dicts for its cursors.
    """
    # A constant statement; its one parameter is a language code from settings.LANGUAGES.
    language = reader_language()
    rows = RawSQL(ROW_SQL, (language,) * ROW_SQL.count("%s"))  # noqa: S611
    return queryset.annotate(row_json=rows).values(
        "id", "slug", "country", "occurred_on", "row_json"
    )


class RowWriter:
    """Completes rows for one response: URL templates and country names are made once."""

    def __init__(self, request) -> None:
        case = reverse("incidents:detail", kwargs={"slug": SLUG_MARK})
        self.case_url = request.build_absolute_uri(case)
        self.api_url = request.build_absolute_uri(f"/api/v1/incidents/{SLUG_MARK}/")
        self.language = get_language()

    def row(self, row: dict[str, Any]) -> str:
        """One row: the link fields and the country name, then the SQL's members."""
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
                ",",
                row["row_json"],
                "}",
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
