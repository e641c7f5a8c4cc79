"""Keyset pagination for incident lists: Next and Previous, no COUNT and no OFFSET.

A page is the ``size`` rows after (or before) a position in the order ``(occurred_on,
id)``, newest first by default. The position travels in an opaque cursor, so page 5000
costs what page 1 does: the database walks the ``incident_date_id_idx`` index from the
position instead of counting and skipping every row before it. One query per page: it
asks for one row more than it shows, to know whether there is a next page.

A ranked list (search by relevance) has no stable key to seek to; it is already bounded
by ``search.RELEVANCE_WINDOW``, so its cursor holds a position inside that window.

A cursor that does not decode (hand-edited, truncated, from another ordering) raises
``InvalidCursor``; the caller shows the first page.
"""

from __future__ import annotations

import base64
import binascii
import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet

PAGE_SIZE = 50
AFTER, BEFORE, POSITION = "n", "p", "o"
# Cursors beyond this position are refused: a ranked list is never longer than its window.
MAX_POSITION = 100_000


class InvalidCursor(ValueError):
    pass


@dataclass
class Page:
    items: list[Any] = field(default_factory=list)
    next_cursor: str | None = None
    previous_cursor: str | None = None

    @property
    def has_next(self) -> bool:
        return self.next_cursor is not None

    @property
    def has_previous(self) -> bool:
        return self.previous_cursor is not None

    @property
    def has_other_pages(self) -> bool:
        return self.has_next or self.has_previous


def encode_cursor(*parts: str) -> str:
    raw = "|".join(parts).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> list[str]:
    if not cursor or len(cursor) > 100:
        raise InvalidCursor(cursor)
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        return raw.decode("ascii").split("|")
    except (binascii.Error, ValueError) as error:
        raise InvalidCursor(cursor) from error


def _key(incident: Any) -> tuple[str, str]:
    return incident.occurred_on.isoformat(), str(incident.pk)


def _parse_key(parts: list[str]) -> tuple[str, datetime.date, int]:
    if len(parts) != 3 or parts[0] not in {AFTER, BEFORE}:
        raise InvalidCursor(parts)
    direction, day, pk = parts
    try:
        # isdigit() keeps out signs, spaces and non-ASCII digits that int() would accept.
        if not pk.isascii() or not pk.isdigit() or len(pk) > 19:
            raise ValueError(pk)
        return direction, datetime.date.fromisoformat(day), int(pk)
    except ValueError as error:
        raise InvalidCursor(parts) from error


def keyset_page(
    queryset: QuerySet,
    cursor: str | None,
    *,
    size: int = PAGE_SIZE,
    descending: bool = True,
) -> Page:
    """The page of ``queryset`` at ``cursor`` (the first page when ``None``)."""
    if not cursor:
        return _forward(queryset, None, size=size, descending=descending)
    direction, day, pk = _parse_key(decode_cursor(cursor))
    if direction == AFTER:
        return _forward(queryset, (day, pk), size=size, descending=descending)
    # Backwards: the rows just before the position, read in the opposite order.
    rows = list(
        _order(queryset.filter(_beyond(day, pk, not descending)), not descending)[: size + 1]
    )
    if len(rows) <= size:
        # Back at the start (or rows were removed meanwhile): the first page, kept full.
        return _forward(queryset, None, size=size, descending=descending)
    items = rows[:size][::-1]
    return Page(
        items=items,
        next_cursor=encode_cursor(AFTER, *_key(items[-1])),
        previous_cursor=encode_cursor(BEFORE, *_key(items[0])),
    )


def _forward(
    queryset: QuerySet, after: tuple[datetime.date, int] | None, *, size: int, descending: bool
) -> Page:
    if after is not None:
        queryset = queryset.filter(_beyond(*after, descending))
    rows = list(_order(queryset, descending)[: size + 1])
    items = rows[:size]
    page = Page(items=items)
    if len(rows) > size:
        page.next_cursor = encode_cursor(AFTER, *_key(items[-1]))
    if after is not None:
        # An empty page past the end still links back to the rows before its position.
        first = _key(items[0]) if items else (after[0].isoformat(), str(after[1]))
        page.previous_cursor = encode_cursor(BEFORE, *first)
    return page


def _order(queryset: QuerySet, descending: bool) -> QuerySet:
    return queryset.order_by(*(("-occurred_on", "-id") if descending else ("occurred_on", "id")))


def _beyond(day: datetime.date, pk: int, descending: bool) -> Q:
    """Rows after ``(day, pk)`` in the given order.

    The leading ``occurred_on <= day`` is redundant logically but lets PostgreSQL start its
    index scan at the position instead of filtering every newer row.
    """
    if descending:
        return Q(occurred_on__lte=day) & (Q(occurred_on__lt=day) | Q(id__lt=pk))
    return Q(occurred_on__gte=day) & (Q(occurred_on__gt=day) | Q(id__gt=pk))


def ranked_page(queryset: QuerySet, cursor: str | None, *, size: int = PAGE_SIZE) -> Page:
    """A page of an already ordered, bounded queryset (relevance ranking)."""
    start = 0
    if cursor:
        parts = decode_cursor(cursor)
        if (
            len(parts) != 2
            or parts[0] != POSITION
            or not parts[1].isascii()
            or not parts[1].isdigit()
            or int(parts[1]) > MAX_POSITION
        ):
            raise InvalidCursor(parts)
        start = int(parts[1])
    rows = list(queryset[start : start + size + 1])
    page = Page(items=rows[:size])
    if len(rows) > size:
        page.next_cursor = encode_cursor(POSITION, str(start + size))
    if start > 0:
        page.previous_cursor = encode_cursor(POSITION, str(max(start - size, 0)))
    return page
