"""Where apps above incidents add to its lists, pages and API, without incidents importing them.

The appeals app, one floor up, registers here in ``AppealsConfig.ready``:
- filters on the case list, its statistics and the API (``register_case_filters``): "has an
  urgent appeal", with their fields on the case list's form;
- annotations of the case page's one query (``register_case_page_annotation``), so the
  page knows whether a slot has anything to show without a query more;
- related records of the API's case detail (``register_api_detail_related``): the appeals,
  with their OpenAPI schema;
- demo data about the demo cases (``register_demo_loader``): a management command that
  ``load_demo`` runs after loading the cases.

Each hook is read when a request needs it, so the order in which apps start does not
matter. With no app registered, the lists have no such filter and the slots stay empty.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import django_filters
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
    from django.db.models import Expression, Prefetch
    from django.http import HttpRequest
    from rest_framework.fields import Field

    from .models import Incident


@dataclass(frozen=True)
class CaseFilters:
    """Filters an app added, and how the case list's form and the API treat them."""

    names: tuple[str, ...]
    template: str
    folded: bool
    empty_means_any: bool


registered_case_filters: dict[tuple[str, ...], CaseFilters] = {}
case_page_annotations: dict[str, Callable[[], Expression]] = {}


@dataclass(frozen=True)
class DetailRelated:
    prefetch: Callable[[AbstractBaseUser | AnonymousUser], Prefetch]
    represent: Callable[[Incident, HttpRequest], Any]
    schema: Field | None = None


api_detail_related: dict[str, DetailRelated] = {}


def register_case_filters(
    filters: dict[str, django_filters.Filter],
    *,
    template: str = "",
    folded: bool = False,
    empty_means_any: bool = False,
) -> None:
    """Add filters to the case list's FilterSet and to every FilterSet built on it.

    ``template`` draws their fields in the case list's form, with the page's context
    (``form``...). ``folded`` puts them under "More filters", which opens when one is in
    use. ``empty_means_any``: an empty value, as the form sends an unused field, filters
    nothing (the API's schema says they allow it).
    """
    from .filters import IncidentFilter

    registered_case_filters[tuple(filters)] = CaseFilters(
        tuple(filters), template, folded=folded, empty_means_any=empty_means_any
    )

    def family(cls: type) -> list[type]:
        return [cls, *(sub for child in cls.__subclasses__() for sub in family(child))]

    for filterset in family(IncidentFilter):
        for name, case_filter in filters.items():
            # declared_filters for subclasses made later, base_filters for the made ones.
            filterset.declared_filters[name] = copy.deepcopy(case_filter)
            filterset.base_filters[name] = copy.deepcopy(case_filter)


def register_case_page_annotation(name: str, expression: Callable[[], Expression]) -> None:
    """Annotate the public case page's incident with ``expression()`` under ``name``."""
    case_page_annotations[name] = expression


def register_api_detail_related(
    name: str,
    *,
    prefetch: Callable[[AbstractBaseUser | AnonymousUser], Prefetch],
    represent: Callable[[Incident, HttpRequest], Any],
    schema: Field | None = None,
) -> None:
    """Fill the API case detail's ``name`` with ``represent(incident, request)``, from rows
    prefetched by ``prefetch(user)`` (which must keep to what the user may see).

    ``schema``, a read-only serializer field, documents the value in the OpenAPI schema."""
    api_detail_related[name] = DetailRelated(prefetch, represent, schema)


_demo_loaders: list[str] = []


def register_demo_loader(command: str) -> None:
    """A management command ``load_demo`` runs after the demo cases (the demo appeals)."""
    if command not in _demo_loaders:
        _demo_loaders.append(command)


def demo_loaders() -> list[str]:
    return list(_demo_loaders)
