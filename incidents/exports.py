"""CSV and JSON exports of a filtered list of incidents, streamed, written by the database.

On PostgreSQL each row leaves the database as finished text: its CSV cells or JSON members,
organizations and perpetrator groups joined in SQL (``incidents.columns``, shared with the
API list). Python adds what only it knows (the case page's address, quoted as reverse()
quotes it, and the country's name in the reader's language) and hands the web server
``CHUNK`` rows at a time, read from a server-side cursor, so an export never sits in the
web process's memory. Elsewhere (SQLite, the zero-setup run) the rows are written in
Python from model instances by the same rules: slower, the same text.

Columns are documented in ``COLUMNS`` (and in the README). Every CSV cell but the id is
quoted; spreadsheet formulas are neutralised: a cell starting with = + - @ (or a tab /
carriage return) gets a leading quote. A stream that was cut cannot pass for complete: the
JSON ends with the number of rows written, after them; the CSV response says in its
``X-Casefile-Rows`` header how many rows it will hold, when the view counted them first.

Every export is an audit event: who (or which address), the format, the filter and how
many rows went out. The rows are counted as they are sent and the event is written once,
when the stream ends, however it ends (a client that hangs up gives ``complete: false``).
"""

from __future__ import annotations

import functools
import itertools
import json
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, StreamingHttpResponse
from django.urls import reverse
from django.utils.translation import get_language
from django_countries import countries

from casefile.audit.models import AuditEvent
from casefile.audit.services import audit_record

from .columns import (
    Column,
    case_columns,
    csv_cells,
    csv_text,
    json_members,
    json_text,
    organization_links,
    perpetrator_links,
)
from .models import Incident, IncidentPerpetrator

# Rows per chunk handed to the web server (and per fetch from the database cursor).
CHUNK = 2000
COLUMNS: list[tuple[str, str]] = [
    ("id", "Casefile's number for the incident"),
    ("url", "address of the public case page"),
    (
        "original_language",
        "ISO 639-1 code of the language the texts are written in (exports give the originals)",
    ),
    ("title", "title"),
    ("occurred_on", "date it happened (YYYY-MM-DD)"),
    ("date_precision", "how precisely the date is known: day, month, year, estimate"),
    ("ended_on", "end date, if it lasted more than a day"),
    ("country", "ISO 3166-1 alpha-2 code"),
    ("country_name", "country name"),
    ("region", "region"),
    ("place", "place name"),
    ("status", "current status (slug)"),
    ("status_name", "current status"),
    ("organizations", "targeted organizations, separated by ' | '"),
    ("perpetrators", "perpetrator groups with their involvement, separated by ' | '"),
    ("published_at", "when it was published (ISO 8601)"),
    ("summary", "about the situation"),
]
NAMES = [name for name, _meaning in COLUMNS]
# Python writes id, url (first) and country_name; the database the two runs of columns
# around country_name.
BEFORE_COUNTRY_NAME = NAMES[NAMES.index("url") + 1 : NAMES.index("country_name")]
AFTER_COUNTRY_NAME = NAMES[NAMES.index("country_name") + 1 :]
SEPARATOR = " | "
# Where a reverse() of the case page puts the slug (the URL pattern takes [-\w]+).
SLUG_MARK = "__casefile_slug__"
# reverse() quotes what it puts in a path with these characters left as they are.
URL_SAFE = "!$&'()*+,;=/~:@"

# The rows. ``{cases}``: the filtered queryset's SQL, selecting the columns of CASE_FIELDS
# (the planner reads the filter, so it knows how many rows to expect); ``{ids}``: the same
# filter selecting the ids, which limits the organizations and perpetrator groups read to
# the exported cases (all of them by one pass over each link table for a large export,
# through the index for a small one). ``{order}``: the queryset's ordering. Organizations
# sort by name in code point order (as sorted() does on other databases), perpetrator
# groups in the order they were added.
EXPORT_SQL = """
SELECT i.id, i.slug, i.country,
    -- Incident.is_published, for the audit's count of rows the public could not see.
    i.is_public,
    {before},
    {after}
FROM ({cases}) i
JOIN incidents_status status ON status.id = i.status_id
LEFT JOIN (
    SELECT o.incident_id,
        string_agg(o.name, {separator} ORDER BY o.name COLLATE "C", o.id) AS names
    FROM ({organizations}) o
    WHERE o.incident_id IN ({ids})
    GROUP BY o.incident_id
) orgs ON orgs.incident_id = i.id
LEFT JOIN (
    SELECT p.incident_id,
        string_agg(p.name || ' (' || p.involvement || ')', {separator} ORDER BY p.link_id)
            AS names
    FROM ({perpetrators}) p
    WHERE p.incident_id IN ({ids})
    GROUP BY p.incident_id
) perps ON perps.incident_id = i.id
ORDER BY {order}
"""
CASE_FIELDS = [
    "id",
    "slug",
    "original_language",
    "title",
    "summary",
    "occurred_on",
    "date_precision",
    "ended_on",
    "country",
    "region",
    "place",
    "status_id",
    "publication_state",
    "published_at",
]


def export_columns() -> dict[str, Column]:
    """The columns the database writes, by name: the case's own, as written (not
    translated), and the names of its organizations and perpetrator groups."""
    return {
        **case_columns(translated=False),
        "organizations": Column("organizations", "COALESCE(orgs.names, '')"),
        "perpetrators": Column("perpetrators", "COALESCE(perps.names, '')"),
    }


@dataclass
class Tally:
    """Rows handed to the web server so far, and how many of them were not public."""

    rows: int = 0
    unpublished: int = 0


def count_capped(queryset: QuerySet[Incident], limit: int) -> int | None:
    """How many rows the export will hold, or None if more than ``limit`` (counting stops
    there: a huge export is not counted in full before it starts)."""
    count = queryset.order_by()[: limit + 1].count()
    return count if count <= limit else None


def on_postgresql(queryset: QuerySet[Incident]) -> bool:
    return connections[queryset.db].vendor == "postgresql"


class _Links:
    """The case page's address for a slug and a country's name, for the active language,
    also as CSV cells and JSON strings (made once per export, not once per row)."""

    def __init__(self) -> None:
        address = settings.SITE_URL + reverse("incidents:detail", kwargs={"slug": SLUG_MARK})
        self.before, self.after = address.split(SLUG_MARK)
        # A quoted slug holds nothing that CSV or JSON would escape.
        self.csv_before, self.csv_after = csv_text(address).split(SLUG_MARK)
        self.json_before, self.json_after = json_text(address).split(SLUG_MARK)
        self.language = get_language()
        self.csv_names: dict[str, str] = {}
        self.json_names: dict[str, str] = {}

    def url(self, slug: str) -> str:
        return self.before + _quoted(slug) + self.after

    def csv_url(self, slug: str) -> str:
        return self.csv_before + _quoted(slug) + self.csv_after

    def json_url(self, slug: str) -> str:
        return self.json_before + _quoted(slug) + self.json_after

    def country_name(self, code: str) -> str:
        return _country_name(self.language, code)

    def csv_country_name(self, code: str) -> str:
        if code not in self.csv_names:
            self.csv_names[code] = csv_text(self.country_name(code))
        return self.csv_names[code]

    def json_country_name(self, code: str) -> str:
        if code not in self.json_names:
            self.json_names[code] = json_text(self.country_name(code))
        return self.json_names[code]


def _quoted(slug: str) -> str:
    """The slug as reverse() writes it in a path (it quotes any non-ASCII letter)."""
    if slug.isascii() and slug.replace("-", "").replace("_", "").isalnum():
        return slug  # what quote() leaves as it is
    return quote(slug, safe=URL_SAFE)


@functools.cache
def _country_name(language: str | None, code: str) -> str:
    """The name in ``language``, which is the active one (it is part of the cache key)."""
    return str(countries.name(code))


# PostgreSQL: rows written by the database.


def _order_by(queryset: QuerySet[Incident]) -> str:
    """The queryset's ordering as SQL over ``i`` (model fields only, as the views order),
    the id last so that the order is total."""
    query = queryset.query
    ordering = list(query.order_by or (Incident._meta.ordering if query.default_ordering else ()))
    terms = []
    for name in ordering:
        if not isinstance(name, str) or name.lstrip("-") == "?":
            raise ValueError(f"An export is ordered by fields, not {name!r}.")
        field = name.lstrip("-")
        column = "id" if field == "pk" else Incident._meta.get_field(field).column
        terms.append(f"i.{column} {'DESC' if name.startswith('-') else 'ASC'}")
        if column == "id":
            break
    else:
        terms.append("i.id ASC")
    return ", ".join(terms)


def _statement(queryset: QuerySet[Incident], before: str, after: str) -> tuple[str, list]:
    """The export's statement and parameters; EmptyResultSet when it selects nothing."""
    unordered = queryset.order_by()
    cases, cases_params = (
        unordered.with_public_flag().values(*CASE_FIELDS, "is_public").query.sql_with_params()
    )
    ids, ids_params = unordered.values("pk").query.sql_with_params()
    sql = EXPORT_SQL.format(
        before=before,
        after=after,
        cases=cases,
        organizations=organization_links(translated=False),
        perpetrators=perpetrator_links(translated=False),
        ids=ids,
        order=_order_by(queryset),
        separator=f"'{SEPARATOR}'",
    )
    # In the order they appear: the cases, then the ids for each kind of link.
    return sql, [*cases_params, *ids_params, *ids_params]


@contextmanager
def _row_cursor(queryset: QuerySet[Incident], sql: str, params: Sequence[Any]):
    """A server-side cursor over ``sql``: the database computes the rows as they are read.

    The cursor lives in a transaction for as long as it is read: inside the caller's
    transaction if there is one (a test), else in one of its own on a connection of its
    own, so that the caller's stays free between fetches (an export job records its
    progress as it goes; the audit event is written at the end). A cursor WITH HOLD would
    do without the transaction, but the database would compute every row before the first
    goes out and keep them all on disk meanwhile (a quarter longer for 100,000 rows).
    JIT compilation would take longer than it saves on a statement that mostly copies
    text: SET LOCAL, for this transaction only.
    """
    caller = connections[queryset.db]
    connection = caller if caller.in_atomic_block else caller.copy()
    try:
        if connection is not caller:
            connection.set_autocommit(False)
        name = f"casefile_export_{next(_cursor_numbers)}"
        with connection.cursor() as cursor:
            cursor.execute(
                f"SET LOCAL jit = off; DECLARE {name} NO SCROLL CURSOR FOR {sql}", params
            )
        # A named psycopg2 cursor reads (FETCH) the cursor declared above, and closes it.
        rows = connection.connection.cursor(name=name)
        try:
            yield rows
        finally:
            rows.close()
    finally:
        if connection is not caller:
            connection.close()  # and with it the transaction, which wrote nothing


_cursor_numbers = itertools.count()


def _database_rows(
    queryset: QuerySet[Incident],
    tally: Tally,
    before: str,
    after: str,
    write: Callable[[_Links, tuple], str],
) -> Iterator[list[str]]:
    try:
        sql, params = _statement(queryset, before, after)
    except EmptyResultSet:
        return
    links = _Links()
    with _row_cursor(queryset, sql, params) as cursor:
        while rows := cursor.fetchmany(CHUNK):
            written = [write(links, row) for row in rows]
            # Counted as they are handed to the web server: a client that hangs up
            # mid-stream may not have received the last ones.
            tally.rows += len(rows)
            tally.unpublished += sum(1 for row in rows if not row[3])
            yield written


def _csv_line(links: _Links, row: tuple) -> str:
    pk, slug, country, _published, before, after = row
    url, name = links.csv_url(slug), links.csv_country_name(country)
    return f"{pk},{url},{before},{name},{after}\r\n"


def _json_object(links: _Links, row: tuple) -> str:
    pk, slug, country, _published, before, after = row
    url, name = links.json_url(slug), links.json_country_name(country)
    return f'{{"id": {pk}, "url": {url}, {before}, "country_name": {name}, {after}}}'


def _database_csv(queryset: QuerySet[Incident], tally: Tally) -> Iterator[str]:
    columns = export_columns()
    before = csv_cells([columns[name] for name in BEFORE_COUNTRY_NAME])
    after = csv_cells([columns[name] for name in AFTER_COUNTRY_NAME])
    for lines in _database_rows(queryset, tally, before, after, _csv_line):
        yield "".join(lines)


def _database_json(queryset: QuerySet[Incident], tally: Tally) -> Iterator[str]:
    columns = export_columns()
    # Spaced as json.dumps() writes; a missing date is "" as in the CSV.
    before = json_members([columns[name] for name in BEFORE_COUNTRY_NAME], spaced=True, null='""')
    after = json_members([columns[name] for name in AFTER_COUNTRY_NAME], spaced=True, null='""')
    first = True
    for objects in _database_rows(queryset, tally, before, after, _json_object):
        yield ("" if first else ",") + ",".join(objects)
        first = False


# Other databases: rows written in Python from model instances, by the same rules.


def export_queryset(queryset: QuerySet[Incident]) -> QuerySet[Incident]:
    return (
        queryset.select_related("status")
        .defer("narrative", "search_vector")
        .prefetch_related(
            "organizations",
            Prefetch(
                "perpetrator_links",
                queryset=IncidentPerpetrator.objects.select_related("perpetrator_group"),
            ),
        )
    )


def incident_row(incident: Incident, links: _Links) -> dict[str, Any]:
    organizations = sorted(incident.organizations.all(), key=lambda o: (o.name, o.pk))
    return {
        "id": incident.pk,
        "url": links.url(incident.slug),
        "original_language": incident.original_language,
        "title": incident.title,
        "occurred_on": incident.occurred_on.isoformat(),
        "date_precision": incident.date_precision,
        "ended_on": incident.ended_on.isoformat() if incident.ended_on else "",
        "country": incident.country.code,
        "country_name": links.country_name(incident.country.code),
        "region": incident.region,
        "place": incident.place,
        "status": incident.status.slug,
        "status_name": incident.status.name,
        "organizations": SEPARATOR.join(o.name for o in organizations),
        "perpetrators": SEPARATOR.join(
            f"{link.perpetrator_group.name} ({link.involvement})"
            for link in sorted(incident.perpetrator_links.all(), key=lambda link: link.pk)
        ),
        "published_at": incident.published_at.isoformat() if incident.published_at else "",
        "summary": incident.summary,
    }


def _python_rows(queryset: QuerySet[Incident], tally: Tally) -> Iterator[list[dict[str, Any]]]:
    links = _Links()
    incidents = export_queryset(queryset).iterator(chunk_size=CHUNK)
    while batch := list(itertools.islice(incidents, CHUNK)):
        rows = [incident_row(incident, links) for incident in batch]
        tally.rows += len(batch)
        tally.unpublished += sum(1 for incident in batch if not incident.is_published)
        yield rows


def _python_csv(queryset: QuerySet[Incident], tally: Tally) -> Iterator[str]:
    for rows in _python_rows(queryset, tally):
        yield "".join(
            ",".join([str(row["id"]), *(csv_text(row[name]) for name in NAMES[1:])]) + "\r\n"
            for row in rows
        )


def _python_json(queryset: QuerySet[Incident], tally: Tally) -> Iterator[str]:
    first = True
    for rows in _python_rows(queryset, tally):
        yield ("" if first else ",") + ",".join(json_text(row) for row in rows)
        first = False


# The exports.


def csv_lines(queryset: QuerySet[Incident], tally: Tally | None = None) -> Iterator[str]:
    """The CSV export's text, in chunks: a byte order mark, the header, then rows."""
    tally = tally if tally is not None else Tally()
    yield "\ufeff"  # so spreadsheet programs read UTF-8 (Cyrillic, Arabic) correctly
    yield ",".join(NAMES) + "\r\n"
    rows = _database_csv if on_postgresql(queryset) else _python_csv
    yield from rows(queryset, tally)


def json_chunks(queryset: QuerySet[Incident], tally: Tally | None = None) -> Iterator[str]:
    """The JSON export's text, in chunks: the columns, the rows, and last their count."""
    tally = tally if tally is not None else Tally()
    yield '{"columns": ' + json.dumps(dict(COLUMNS)) + ', "incidents": ['
    rows = _database_json if on_postgresql(queryset) else _python_json
    yield from rows(queryset, tally)
    # Only a stream that ran to its end has this: a cut one is not valid JSON.
    yield f'], "count": {tally.rows}}}'


def _audited(
    chunks: Iterator[str], tally: Tally, *, request: HttpRequest, export_format: str, via: str
) -> Iterator[str]:
    complete = False
    try:
        yield from chunks
        complete = True
    finally:
        # Also when the client hangs up (the server closes the generator: GeneratorExit
        # here) or the database fails mid-stream. ``yield from`` has closed the row cursor
        # by now, so this INSERT is the only statement in flight.
        user = getattr(request, "user", None)
        audit_record(
            action=AuditEvent.Action.EXPORTED,
            actor=user if user is not None and user.is_authenticated else None,
            request=request,
            object_type=Incident._meta.label_lower,
            detail={
                "format": export_format,
                "via": via,
                "filter": request.META.get("QUERY_STRING", ""),
                "rows": tally.rows,
                "unpublished_rows": tally.unpublished,
                "complete": complete,
            },
        )


def _response(
    chunks: Callable[[QuerySet[Incident], Tally], Iterator[str]],
    queryset: QuerySet[Incident],
    *,
    request: HttpRequest,
    export_format: str,
    via: str,
    content_type: str,
    filename: str,
    rows: int | None,
) -> StreamingHttpResponse:
    tally = Tally()
    response = StreamingHttpResponse(
        _audited(
            chunks(queryset, tally), tally, request=request, export_format=export_format, via=via
        ),
        content_type=content_type,
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    if rows is not None:
        # Counted before the first row: a client compares it with the rows it got.
        response["X-Casefile-Rows"] = str(rows)
    return response


def csv_response(
    queryset: QuerySet[Incident],
    filename: str = "casefile-incidents.csv",
    *,
    request: HttpRequest,
    via: str,
    rows: int | None = None,
) -> StreamingHttpResponse:
    """The CSV export, streamed; ``rows``: how many it holds, if the caller counted."""
    return _response(
        csv_lines,
        queryset,
        request=request,
        export_format="csv",
        via=via,
        content_type="text/csv; charset=utf-8",
        filename=filename,
        rows=rows,
    )


def json_response(
    queryset: QuerySet[Incident],
    filename: str = "casefile-incidents.json",
    *,
    request: HttpRequest,
    via: str,
    rows: int | None = None,
) -> StreamingHttpResponse:
    """The JSON export, streamed; ``rows``: how many it holds, if the caller counted."""
    return _response(
        json_chunks,
        queryset,
        request=request,
        export_format="json",
        via=via,
        content_type="application/json; charset=utf-8",
        filename=filename,
        rows=rows,
    )
