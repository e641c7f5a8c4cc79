"""The case list's filters as the API takes them, and their OpenAPI schema."""

from __future__ import annotations

from typing import Any

from django.db import DatabaseError
from drf_spectacular.utils import extend_schema_field

from casefile.api.lookup import MAX_ID

from ..filters import COUNTRY_CODES, IncidentFilter, RecordIdsFilter
from ..hooks import registered_case_filters
from ..vocabulary import status_choices


class IncidentApiFilter(IncidentFilter):
    """The case list's filters, with ids that need not exist: an unknown id matches nothing.

    The page checks chosen organizations and groups against published ones, to name them
    in its chips; the API need not, and answering 200 with no rows (rather than 400) is what
    its schema can promise for any id. Unpublished and missing ids still answer alike.
    """

    organization = RecordIdsFilter(
        label=IncidentFilter.base_filters["organization"].label,
        method="filter_organization",
        help_text=IncidentFilter.base_filters["organization"].extra["help_text"],
    )
    perpetrator = RecordIdsFilter(
        label=IncidentFilter.base_filters["perpetrator"].label,
        method="filter_perpetrator",
        help_text=IncidentFilter.base_filters["perpetrator"].extra["help_text"],
    )


def _document_filter(name: str, schema: dict[str, Any]) -> None:
    """Give the OpenAPI schema of a filter more exactly than drf-spectacular infers it.

    Declared here rather than in incidents/filters.py, which the pages use too and which
    should not depend on API tooling. For a filter taking several values, ``schema`` is
    one value's.
    """
    field = IncidentApiFilter.base_filters[name]
    extend_schema_field({**schema, "description": str(field.extra["help_text"])})(field)


_document_filter("q", {"type": "string", "maxLength": 200, "pattern": r"^[^\x00]*$"})
_document_filter("country", {"type": "string", "enum": [code for code, _n in COUNTRY_CODES]})
_document_filter("status", {"type": "string"})  # its enum: document_status_vocabulary
_document_filter("year", {"type": "integer", "minimum": 1900, "maximum": 2200})
_document_filter("organization", {"type": "integer", "minimum": 1, "maximum": MAX_ID})
_document_filter("perpetrator", {"type": "integer", "minimum": 1, "maximum": MAX_ID})

# Filters where an empty value means "not given", as the case list's form sends them (and
# those the apps above register so, incidents.hooks).
EMPTY_MEANS_ANY = frozenset({"q", "year", "occurred_after", "occurred_before", "ordering"})


def empty_means_any() -> frozenset[str]:
    registered = registered_case_filters.values()
    return EMPTY_MEANS_ANY.union(*(added.names for added in registered if added.empty_means_any))


def document_status_vocabulary(result: dict[str, Any], generator, **kwargs) -> dict[str, Any]:
    """The incident filters' schema: today's status slugs and the values that may be empty.

    A postprocessing hook (SPECTACULAR_SETTINGS): the vocabulary lives in the database.
    """
    try:
        slugs = [slug for slug, _name in status_choices()]
    except DatabaseError:
        # No database yet (``check --deploy`` on a build machine): any text, then.
        slugs = None
    may_be_empty = empty_means_any()
    for path, operations in result.get("paths", {}).items():
        if not path.startswith("/api/v1/incidents/") or "get" not in operations:
            continue
        for parameter in operations["get"].get("parameters", []):
            if parameter.get("in") != "query":
                continue
            if parameter["name"] == "status" and slugs is not None:
                parameter["schema"]["items"]["enum"] = slugs
            elif parameter["name"] in may_be_empty:
                parameter["allowEmptyValue"] = True
    return result
