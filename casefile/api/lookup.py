"""An object by the id or the slug in its URL, with what may be seen already filtered."""

from __future__ import annotations

from django.db.models import Model, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

# The largest id the database stores; a longer run of digits is looked up as a slug.
MAX_ID = 2**63 - 1


def get_by_id_or_slug(queryset: QuerySet, value: str, *, slug_field: str = "slug") -> Model:
    """The object whose id (all digits) or slug is ``value``; 404 for anything else."""
    if "\x00" in value:  # PostgreSQL refuses NUL in a string; no slug contains one
        raise Http404
    if value.isascii() and value.isdigit() and int(value) <= MAX_ID:
        found = queryset.filter(pk=int(value)).first()
        if found is not None:
            return found
    return get_object_or_404(queryset, **{slug_field: value})
