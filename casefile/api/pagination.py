"""The API lists' pagination: the keyset engine (``casefile.pagination``) behind DRF's
query parameters, schema and response. No COUNT, no OFFSET beyond a bounded window."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from casefile.pagination import (
    CURSOR_PATTERN,
    DEFAULT_PAGE_SIZE,
    MAX_CURSOR_LENGTH,
    Page,
    is_well_formed,
    paginate,
)

MAX_PAGE_SIZE = 200


class KeysetPagination(BasePagination):
    """Cursor pagination on the queryset's own ordering (see ``casefile.pagination``).

    Clients follow ``next`` and ``previous``; a cursor that is base64url text but names no
    position gives the first page, as on the case list pages. Anything else is a 400.
    """

    page_size = DEFAULT_PAGE_SIZE
    max_page_size = MAX_PAGE_SIZE
    cursor_query_param = "cursor"
    page_size_query_param = "page_size"

    def paginate_queryset(self, queryset: QuerySet, request, view=None) -> list:
        self.base_url = request.build_absolute_uri()
        size = self._page_size(request)
        cursor = request.query_params.get(self.cursor_query_param)
        # What the schema promises a cursor looks like; anything else is a 400.
        if cursor and not is_well_formed(cursor):
            raise exceptions.ValidationError({self.cursor_query_param: [str(_("Invalid cursor."))]})
        self.page: Page = paginate(queryset, cursor or None, size=size)
        return self.page.items

    def get_paginated_response(self, data) -> Response:
        return Response(
            {"next": self.get_next_link(), "previous": self.get_previous_link(), "results": data}
        )

    def get_next_link(self) -> str | None:
        return self._link(self.page.next_cursor)

    def get_previous_link(self) -> str | None:
        if self.page.previous_is_first:
            return remove_query_param(self.base_url, self.cursor_query_param)
        return self._link(self.page.previous_cursor)

    def get_paginated_response_schema(self, schema: dict) -> dict:
        link = {"type": "string", "nullable": True, "format": "uri"}
        return {
            "type": "object",
            "required": ["next", "previous", "results"],
            "properties": {
                "next": {**link, "description": "The next page; null on the last one."},
                "previous": {**link, "description": "The previous page; null on the first."},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view) -> list[dict]:
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": (
                    "Opaque position, from the next or previous link of a page; one that "
                    "names no position gives the first page."
                ),
                "schema": {
                    "type": "string",
                    "maxLength": MAX_CURSOR_LENGTH,
                    "pattern": f"^{CURSOR_PATTERN.pattern}$",
                },
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": (
                    f"Rows per page, 1 to {self.max_page_size} (default {self.page_size}; "
                    "larger values are reduced to the maximum; empty: the default)."
                ),
                "allowEmptyValue": True,
                "schema": {"type": "integer", "minimum": 1, "default": self.page_size},
            },
        ]

    def _page_size(self, request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw in (None, ""):
            return self.page_size
        if not raw.isascii() or not raw.isdigit() or int(raw) < 1:
            raise exceptions.ValidationError(
                {self.page_size_query_param: [str(_("A whole number of at least 1."))]}
            )
        return min(int(raw), self.max_page_size)

    def _link(self, cursor: str | None) -> str | None:
        if cursor is None:
            return None
        return replace_query_param(self.base_url, self.cursor_query_param, cursor)
