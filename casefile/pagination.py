"""Keyset pagination: the one engine behind the API lists and the case list pages.

A page is the ``size`` rows after (or before) a position in the queryset's own order. When
that order is model fields ending with a unique one (``-occurred_on, -id``), the position
is a row's values of those fields and the next page is ``WHERE (occurred_on, id) < (d, i)``:
an index range scan, as fast on page 10,000 as on page 1, and stable while rows are added
(nothing shifts, as it would under an offset). When the order is an annotation
(relevance), the result is already bounded (the newest ``incidents.search.RELEVANCE_WINDOW``
matches) and the position is an offset inside it. No COUNT is ever run; each page is one
query, asking for one row more than it shows to know whether there is a next page.

Cursors are opaque base64url text. One that names no position here (hand-edited,
truncated, from another ordering) gives the first page, never an error; the API alone
refuses text that is not what its schema promises a cursor is (``is_well_formed``).
"""

from __future__ import annotations

import base64
import binascii
import datetime
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet

DEFAULT_PAGE_SIZE = 50
# Offsets are only used inside an already bounded result (the relevance window).
MAX_OFFSET = 10_000
MAX_CURSOR_LENGTH = 1000
CURSOR_PATTERN = re.compile(r"[A-Za-z0-9_-]*")

# The ordering as (field name, descending) pairs.
Keys = list[tuple[str, bool]]


class InvalidCursor(ValueError):
    """A cursor that names no position here (edited, truncated, or from another ordering)."""


@dataclass(frozen=True)
class Page:
    """The rows of one page and the cursors of the pages around it.

    ``previous_is_first``: the previous page is the first one, reached without a cursor.
    """

    items: list[Any] = field(default_factory=list)
    next_cursor: str | None = None
    previous_cursor: str | None = None
    previous_is_first: bool = False

    @property
    def has_next(self) -> bool:
        return self.next_cursor is not None

    @property
    def has_previous(self) -> bool:
        return self.previous_cursor is not None or self.previous_is_first

    @property
    def has_other_pages(self) -> bool:
        return self.has_next or self.has_previous


def paginate(queryset: QuerySet, cursor: str | None, *, size: int = DEFAULT_PAGE_SIZE) -> Page:
    """The page of ``queryset`` at ``cursor``: the first page without one, or when it names
    no position here."""
    keys = ordering_keys(queryset)
    try:
        return _page(queryset, keys, decode_cursor(cursor) if cursor else None, size)
    except InvalidCursor:
        return _page(queryset, keys, None, size)


def is_well_formed(cursor: str) -> bool:
    """Whether ``cursor`` is text a cursor can be (base64url, not too long)."""
    return len(cursor) <= MAX_CURSOR_LENGTH and CURSOR_PATTERN.fullmatch(cursor) is not None


def encode_cursor(position: dict[str, Any]) -> str:
    raw = json.dumps(position, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> dict[str, Any]:
    if not is_well_formed(cursor):
        raise InvalidCursor(cursor)
    try:
        position = json.loads(base64.urlsafe_b64decode(cursor.encode("ascii") + b"==="))
    except (ValueError, UnicodeError, binascii.Error):
        raise InvalidCursor(cursor) from None
    if not isinstance(position, dict):
        raise InvalidCursor(cursor)
    return position


def ordering_keys(queryset: QuerySet) -> Keys | None:
    """The ordering as keys, or None when it is not all model fields (a ranked list)."""
    order = list(queryset.query.order_by)
    if not order:
        raise RuntimeError("Keyset pagination needs an ordered queryset.")
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
        raise RuntimeError("Keyset pagination needs a unique last ordering field.")
    return keys


def _page(queryset: QuerySet, keys: Keys | None, position: dict | None, size: int) -> Page:
    if keys is None:
        return _window_page(queryset, position, size)
    if position is None:
        return _forward(queryset, keys, None, size)
    forward = position.get("f", True)
    if not isinstance(forward, bool):
        raise InvalidCursor(position)
    values = _values(queryset, keys, position)
    if forward:
        return _forward(queryset, keys, values, size)
    return _backward(queryset, keys, values, size)


def _window_page(queryset: QuerySet, position: dict | None, size: int) -> Page:
    """A page of an already bounded ranking, by offset."""
    offset = 0
    if position is not None:
        offset = position.get("o")
        if type(offset) is not int or not 0 <= offset <= MAX_OFFSET:
            raise InvalidCursor(position)
    rows = list(queryset[offset : offset + size + 1])
    previous = max(0, offset - size)
    return Page(
        items=rows[:size],
        next_cursor=encode_cursor({"o": offset + size}) if len(rows) > size else None,
        previous_cursor=encode_cursor({"o": previous}) if previous else None,
        previous_is_first=offset > 0 and not previous,
    )


def _forward(queryset: QuerySet, keys: Keys, values: list[Any] | None, size: int) -> Page:
    if values is not None:
        queryset = queryset.filter(_after(keys, values, forward=True))
    rows = list(queryset[: size + 1])
    items = rows[:size]
    previous = None
    if values is not None:
        # An empty page past the end still links back to the rows before its position.
        previous = (
            _cursor_for(items[0], keys, forward=False)
            if items
            else encode_cursor({"k": [_json_value(value) for value in values], "f": False})
        )
    return Page(
        items=items,
        next_cursor=_cursor_for(items[-1], keys, forward=True) if len(rows) > size else None,
        previous_cursor=previous,
    )


def _backward(queryset: QuerySet, keys: Keys, values: list[Any], size: int) -> Page:
    # The rows just before the position, read in the opposite order.
    rows = list(queryset.filter(_after(keys, values, forward=False)).reverse()[: size + 1])
    if len(rows) < size:
        # Back at the start with less than a page (rows were removed meanwhile, or the page
        # size changed): the first page, kept full.
        return _forward(queryset, keys, None, size)
    items = rows[:size][::-1]
    return Page(
        items=items,
        next_cursor=_cursor_for(items[-1], keys, forward=True),
        previous_cursor=_cursor_for(items[0], keys, forward=False) if len(rows) > size else None,
    )


def _after(keys: Keys, values: list[Any], *, forward: bool) -> Q:
    """Rows strictly after ``values`` in the order of ``keys`` (before, going back).

    Written as ``a <= x AND (a < x OR b < y)`` rather than an OR alone so that PostgreSQL
    starts an index range scan at ``x`` instead of filtering every row before it.
    """
    (name, descending), *rest = keys
    op = "lt" if descending == forward else "gt"
    if not rest:
        return Q(**{f"{name}__{op}": values[0]})
    return Q(**{f"{name}__{op}e": values[0]}) & (
        Q(**{f"{name}__{op}": values[0]}) | _after(rest, values[1:], forward=forward)
    )


def _values(queryset: QuerySet, keys: Keys, position: dict) -> list[Any]:
    """The position's key values, as the fields' Python values."""
    raw = position.get("k")
    if not isinstance(raw, list) or len(raw) != len(keys):
        raise InvalidCursor(position)
    meta = queryset.model._meta
    values = []
    for (name, _descending), value in zip(keys, raw, strict=True):
        if value is None or isinstance(value, dict | list | bool):
            raise InvalidCursor(position)
        model_field = meta.pk if name == "pk" else meta.get_field(name)
        try:
            values.append(model_field.to_python(value))
        except (ValidationError, TypeError, ValueError, OverflowError):
            raise InvalidCursor(position) from None
        # Only what a cursor is written with: to_python() would also take "١٢", " 12" or
        # "12" for the id 12.
        if _json_value(values[-1]) != value:
            raise InvalidCursor(position)
    return values


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _cursor_for(row: Any, keys: Keys, *, forward: bool) -> str:
    # Rows are model instances, or dicts from .values() (incidents.api.rows).
    get = row.get if isinstance(row, dict) else partial(getattr, row)
    return encode_cursor({"k": [_json_value(get(name)) for name, _ in keys], "f": forward})
