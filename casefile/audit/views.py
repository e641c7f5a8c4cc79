"""The audit trail screen (reviewers and superusers read it, nobody changes it), and the
change history page that the incident and appeal views build on."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from casefile.pagination import paginate
from casefile.translatable import LANGUAGE_CODES, language_name

from .filters import AuditEventFilter
from .history import version_page
from .models import AuditEvent
from .pages import object_pages

PAGE_ROWS = 50


@require_safe
def trail(request: HttpRequest) -> HttpResponse:
    # The rule lives with the other role rules (casefile.roles): reviewers and superusers.
    if not request.user.has_perm("audit.view_trail"):
        raise PermissionDenied
    event_filter = AuditEventFilter(request.GET, queryset=AuditEvent.objects.all())
    valid = event_filter.is_valid()
    events: list[AuditEvent] = []
    older = ""
    cursor = request.GET.get("before", "")
    if valid:
        # A bad value shows its error and no rows: a reviewer must never take an unfiltered
        # list for the filtered one.
        page = paginate(event_filter.qs.order_by("-occurred_at", "-id"), cursor, size=PAGE_ROWS)
        events = page.items
        if page.next_cursor:
            older = _query(request, before=page.next_cursor)
    response = render(
        request,
        "audit/trail.html",
        {
            "filter": event_filter,
            "form": event_filter.form,
            "rows": [_row(event) for event in events],
            "older_query": older,
            "is_later_page": bool(cursor),
            "newest_query": _query(request, before=""),
            "is_filtered": any(
                value for key, value in request.GET.items() if key != "before" and value
            ),
        },
    )
    # Who read what: never kept by a shared cache.
    patch_cache_control(response, private=True, no_store=True)
    return response


def _query(request: HttpRequest, *, before: str) -> str:
    params = [(key, value) for key, value in request.GET.items() if key != "before" and value]
    if before:
        params.append(("before", before))
    return urlencode(params)


def _row(event: AuditEvent) -> dict:
    page = ""
    url_name = object_pages.get(event.object_type)
    if event.object_id and url_name and event.object_id.isdigit():
        try:
            page = reverse(url_name, args=[int(event.object_id)])
        except NoReverseMatch:
            page = ""
    return {
        "event": event,
        "object_page": page,
        "object_query": urlencode({"object_type": event.object_type, "object_id": event.object_id}),
        "detail": sorted(event.detail.items()) if isinstance(event.detail, dict) else [],
    }


@dataclass
class Track:
    """One record's line of versions on a history page (the case, its French text...)."""

    key: str
    label: str
    history: QuerySet


def language_tracks(history: QuerySet, *, key: str, label: str) -> list[Track]:
    """One track per language ``history`` has versions in (a case's translations, an
    appeal's texts), in the site's order of languages. ``label`` holds ``%(language)s``."""
    languages = set(history.order_by().values_list("language", flat=True).distinct())
    return [
        Track(
            f"{key}-{code}",
            label % {"language": language_name(code)},
            history.filter(language=code),
        )
        for code in LANGUAGE_CODES
        if code in languages
    ]


def history_page(
    request: HttpRequest,
    *,
    title: str,
    back_url: str,
    back_label: str,
    tracks: list[Track],
) -> HttpResponse:
    """A record's versions, one track at a time, each compared with the one before.

    The caller has fetched the record through its access-checked getter and limited every
    track's history to it.
    """
    chosen = next((t for t in tracks if t.key == request.GET.get("track")), tracks[0])
    page, versions = version_page(chosen.history, request.GET.get("page"))
    response = render(
        request,
        "audit/history.html",
        {
            "title": title,
            "back_url": back_url,
            "back_label": back_label,
            "tracks": tracks,
            "track": chosen,
            "page": page,
            "versions": versions,
            "page_query": urlencode({"track": chosen.key}),
        },
    )
    # Old words of unpublished records: never kept by a shared cache.
    patch_cache_control(response, private=True, no_store=True)
    return response
