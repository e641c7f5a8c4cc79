"""Keyset pagination for every API list: no COUNT, no OFFSET beyond a bounded window."""

from __future__ import annotations

import base64
import binascii
import datetime
import json
import re
from decimal import Decimal
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
# Offsets are only used inside an already bounded result (the relevance window).
MAX_OFFSET = 10_000
MAX_CURSOR_LENGTH = 1000


class StaleCursor(ValueError):
    """A well-formed cursor that names no position here (edited, or from another ordering)."""


def _invalid_cursor() -> StaleCursor:
    return StaleCursor()


# What the schema promises a cursor looks like; any such text is a page (the first one when
# it names no position, as on the case list pages), anything else is a 400.
CURSOR_PATTERN = re.compile(r"[A-Za-z0-9_-]*")


def _encode_value(value: Any) -> Any:
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


class KeysetPagination(BasePagination):
    """Cursor pagination on the queryset's own ordering, keyset style.

    When the queryset is ordered by model fields ending with a unique one (``-occurred_on,
    -id``), a cursor holds the last row's values of those fields and the next page is
    ``WHERE (occurred_on, id) < (d, i)``: an index range scan, as fast on page 10,000 as on
    page 1, and stable while rows are added (unlike an offset, nothing shifts). When it is
    ordered by an annotation (relevance), the result is already bounded (the newest
    ``incidents.search.RELEVANCE_WINDOW`` matches) and the cursor holds an offset in it.
    No COUNT is ever run. Cursors are opaque: clients follow ``next`` and ``previous``; one
    that is base64url text but names no position gives the first page.
    """

    page_size = DEFAULT_PAGE_SIZE
    max_page_size = MAX_PAGE_SIZE
    cursor_query_param = "cursor"
    page_size_query_param = "page_size"

    def paginate_queryset(self, queryset: QuerySet, request, view=None) -> list:
        self.request = request
        self.base_url = request.build_absolute_uri()
        self.size = self._page_size(request)
        raw = request.query_params.get(self.cursor_query_param)
        if raw and (len(raw) > MAX_CURSOR_LENGTH or not CURSOR_PATTERN.fullmatch(raw)):
            raise exceptions.ValidationError({self.cursor_query_param: [str(_("Invalid cursor."))]})
        self.keys = self._keys(queryset)
        try:
            return self._page(queryset, self._decode(raw))
        except StaleCursor:
            return self._page(queryset, None)

    def _page(self, queryset: QuerySet, cursor: dict | None) -> list:
        self.next_cursor = self.previous_cursor = None
        self.previous_is_first = False
        if self.keys is None:
            return self._offset_page(queryset, cursor)
        return self._keyset_page(queryset, cursor)

    def get_paginated_response(self, data) -> Response:
        return Response(
            {"next": self.get_next_link(), "previous": self.get_previous_link(), "results": data}
        )

    def get_next_link(self) -> str | None:
        return self._link(self.next_cursor)

    def get_previous_link(self) -> str | None:
        if self.previous_is_first:
            return remove_query_param(self.base_url, self.cursor_query_param)
        return self._link(self.previous_cursor)

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

    # Helpers.

    def _page_size(self, request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw in (None, ""):
            return self.page_size
        if not raw.isascii() or not raw.isdigit() or int(raw) < 1:
            raise exceptions.ValidationError(
                {self.page_size_query_param: [str(_("A whole number of at least 1."))]}
            )
        return min(int(raw), self.max_page_size)

    def _keys(self, queryset: QuerySet) -> list[tuple[str, bool]] | None:
        """The ordering as (field, descending) pairs, or None when it is not all fields."""
        order = list(queryset.query.order_by)
        if not order:
            raise RuntimeError("KeysetPagination needs an ordered queryset.")
        keys = []
        for term in order:
            if not isinstance(term, str):
                return None
            name = term.lstrip("-")
            if name in queryset.query.annotations or "__" in name:
                return None
            keys.append((name, term.startswith("-")))
        last = keys[-1][0]
        if last != "pk" and not queryset.model._meta.get_field(last).unique:
            raise RuntimeError("KeysetPagination needs a unique last ordering field.")
        return keys

    def _decode(self, raw: str | None) -> dict | None:
        if raw in (None, ""):
            return None
        try:
            data = json.loads(base64.urlsafe_b64decode(raw.encode("ascii") + b"==="))
        except (ValueError, UnicodeError, binascii.Error):
            raise _invalid_cursor() from None
        if not isinstance(data, dict):
            raise _invalid_cursor()
        return data

    def _encode(self, data: dict) -> str:
        raw = json.dumps(data, separators=(",", ":")).encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    def _link(self, cursor: str | None) -> str | None:
        if cursor is None:
            return None
        return replace_query_param(self.base_url, self.cursor_query_param, cursor)

    def _offset_page(self, queryset: QuerySet, cursor: dict | None) -> list:
        offset = 0
        if cursor is not None:
            offset = cursor.get("o")
            if type(offset) is not int or not 0 <= offset <= MAX_OFFSET:
                raise _invalid_cursor()
        rows = list(queryset[offset : offset + self.size + 1])
        if len(rows) > self.size:
            self.next_cursor = self._encode({"o": offset + self.size})
        if offset > 0:
            previous = max(0, offset - self.size)
            if previous == 0:
                self.previous_is_first = True
            else:
                self.previous_cursor = self._encode({"o": previous})
        return rows[: self.size]

    def _values(self, queryset: QuerySet, cursor: dict) -> list[Any]:
        raw = cursor.get("k")
        if not isinstance(raw, list) or len(raw) != len(self.keys):
            raise _invalid_cursor()
        meta = queryset.model._meta
        values = []
        for (name, _descending), value in zip(self.keys, raw, strict=True):
            if value is None or isinstance(value, dict | list | bool):
                raise _invalid_cursor()
            field = meta.pk if name == "pk" else meta.get_field(name)
            try:
                values.append(field.to_python(value))
            except (DjangoValidationError, TypeError, ValueError, OverflowError):
                raise _invalid_cursor() from None
        return values

    def _after(self, keys: list[tuple[str, bool]], values: list[Any], forward: bool) -> Q:
        """Rows strictly after ``values`` in the order of ``keys`` (before, going back).

        Written as ``a <= x AND (a < x OR b < y)`` rather than an OR alone so the database
        can start an index range scan at ``x``.
        """
        (name, descending), *rest = keys
        op = "lt" if descending == forward else "gt"
        if not rest:
            return Q(**{f"{name}__{op}": values[0]})
        return Q(**{f"{name}__{op}e": values[0]}) & (
            Q(**{f"{name}__{op}": values[0]}) | self._after(rest, values[1:], forward)
        )

    def _cursor_for(self, row: Any, forward: bool) -> str:
        # Rows are model instances, or dicts from .values() (incidents.api_rows).
        get = row.get if isinstance(row, dict) else partial(getattr, row)
        values = [_encode_value(get(name)) for name, _descending in self.keys]
        return self._encode({"k": values, "f": forward})

    def _keyset_page(self, queryset: QuerySet, cursor: dict | None) -> list:
        forward = True
        if cursor is not None:
            forward = cursor.get("f", True)
            if not isinstance(forward, bool):
                raise _invalid_cursor()
            queryset = queryset.filter(
                self._after(self.keys, self._values(queryset, cursor), forward)
            )
        if not forward:
            queryset = queryset.reverse()
        rows = list(queryset[: self.size + 1])
        more = len(rows) > self.size
        rows = rows[: self.size]
        if forward:
            if more:
                self.next_cursor = self._cursor_for(rows[-1], True)
            if cursor is not None and rows:
                self.previous_cursor = self._cursor_for(rows[0], False)
            return rows
        rows.reverse()
        if rows:
            self.next_cursor = self._cursor_for(rows[-1], True)
            if more:
                self.previous_cursor = self._cursor_for(rows[0], False)
        else:
            # Nothing before the cursor any more (rows were removed): offer the start.
            self.next_cursor = None
            self.previous_is_first = True
        return rows
