"""CSV and JSON exports of a filtered list of incidents, streamed row by row.

The rows come from a server-side cursor in chunks, so a large export never sits in memory.
Columns are documented in ``COLUMNS`` (and in the README). Spreadsheet formulas are
neutralised: a cell starting with = + - @ (or a tab / carriage return) gets a leading quote.

Every export is an audit event: who (or which address), the format, the filter and how
many rows went out. The rows are counted as they are sent and the event is written once,
when the stream ends, however it ends (a client that hangs up gives ``complete: false``).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, StreamingHttpResponse

from audit.models import AuditEvent
from audit.services import audit_record

from .models import Incident, IncidentPerpetrator

CHUNK = 1000
COLUMNS: list[tuple[str, str]] = [
    ("id", "Casefile's number for the incident"),
    ("url", "address of the public case page"),
    ("original_language", "language the texts are written in (exports give the originals)"),
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
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def export_queryset(queryset: QuerySet[Incident]) -> QuerySet[Incident]:
    return queryset.select_related("status").prefetch_related(
        "organizations",
        Prefetch(
            "perpetrator_links",
            queryset=IncidentPerpetrator.objects.select_related("perpetrator_group"),
        ),
    )


def incident_row(incident: Incident) -> dict[str, Any]:
    return {
        "id": incident.pk,
        "url": settings.SITE_URL + incident.get_absolute_url(),
        "original_language": incident.original_language,
        "title": incident.title,
        "occurred_on": incident.occurred_on.isoformat(),
        "date_precision": incident.date_precision,
        "ended_on": incident.ended_on.isoformat() if incident.ended_on else "",
        "country": incident.country.code,
        "country_name": str(incident.country.name),
        "region": incident.region,
        "place": incident.place,
        "status": incident.status.slug,
        "status_name": incident.status.name,
        "organizations": " | ".join(o.name for o in incident.organizations.all()),
        "perpetrators": " | ".join(
            f"{link.perpetrator_group.name} ({link.involvement})"
            for link in incident.perpetrator_links.all()
        ),
        "published_at": incident.published_at.isoformat() if incident.published_at else "",
        "summary": incident.summary,
    }


@dataclass
class Tally:
    """Rows handed to the web server so far, and how many of them were not public."""

    rows: int = 0
    unpublished: int = 0


def _rows(queryset: QuerySet[Incident], tally: Tally) -> Iterator[dict[str, Any]]:
    for incident in export_queryset(queryset).iterator(chunk_size=CHUNK):
        row = incident_row(incident)
        # Counted as it is handed to the web server: a client that hangs up mid-stream
        # may not have received the last one.
        tally.rows += 1
        if not incident.is_published:
            tally.unpublished += 1
        yield row


def _safe_cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(queryset: QuerySet[Incident], tally: Tally | None = None) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff"  # so spreadsheet programs read UTF-8 (Cyrillic, Arabic) correctly
    yield writer.writerow([name for name, _ in COLUMNS])
    for row in _rows(queryset, tally or Tally()):
        yield writer.writerow([_safe_cell(row[name]) for name, _ in COLUMNS])


def json_chunks(queryset: QuerySet[Incident], tally: Tally | None = None) -> Iterator[str]:
    yield '{"columns": ' + json.dumps(dict(COLUMNS)) + ', "incidents": ['
    for index, row in enumerate(_rows(queryset, tally or Tally())):
        yield ("," if index else "") + json.dumps(row, ensure_ascii=False)
    yield "]}"


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


def csv_response(
    queryset: QuerySet[Incident],
    filename: str = "casefile-incidents.csv",
    *,
    request: HttpRequest,
    via: str,
) -> StreamingHttpResponse:
    tally = Tally()
    response = StreamingHttpResponse(
        _audited(csv_lines(queryset, tally), tally, request=request, export_format="csv", via=via),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def json_response(
    queryset: QuerySet[Incident],
    filename: str = "casefile-incidents.json",
    *,
    request: HttpRequest,
    via: str,
) -> StreamingHttpResponse:
    tally = Tally()
    response = StreamingHttpResponse(
        _audited(
            json_chunks(queryset, tally), tally, request=request, export_format="json", via=via
        ),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
