"""Facet counts: how many incidents per country, status and year for the current filter.

Two ways to count, same answer:
- ``facet_counts(matching)``: GROUP BY over the filtered incidents. Exact for any filter,
  and cheap when the filter is selective; at a million published cases the three scans
  cost most of a second.
- the ``FacetCount`` table: published incidents counted per (country, status, year), a
  few thousand rows. ``public_facet_counts`` reads it when the public filter only
  narrows by country, status and year (the list's landing page and its usual clicks),
  and falls back to ``facet_counts`` otherwise.

The table is refreshed for the keys an incident leaves or enters, in the transaction that
changes it (``refresh_facet_counts``), and in full by a periodic task, which also counts
incidents whose embargo has lapsed since. It never counts an unpublished incident. What it
answers is kept until it is next refreshed (``_kept_summary_rows``).
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.core.cache import cache, caches
from django.db import connection, transaction
from django.db.models import CharField, Count, F, Q, QuerySet, Sum, Value
from django.db.models.functions import Cast, ExtractYear
from django_countries import countries

from organizations.models import PerpetratorGroup

from .models import FacetCount, Incident, IncidentPerpetrator
from .vocabulary import statuses

SUMMARY_FILTERS = {"country", "status", "year", "ordering", "cursor"}
# Other filters (a search, a date range...) are counted live over at most this many of the
# newest matches: a search for a common word would otherwise count half the database on
# every page view. Pages say "more than 1000" when the window is full.
FACET_WINDOW = 1000
FacetKey = tuple[str, int, int]  # country, status id, year


@dataclass
class Facet:
    value: str
    label: str
    count: int


@dataclass
class Facets:
    total: int = 0
    # True when counted over the newest FACET_WINDOW matches only (there may be more).
    capped: bool = False
    country: list[Facet] = field(default_factory=list)
    status: list[Facet] = field(default_factory=list)
    year: list[Facet] = field(default_factory=list)


def facet_counts(
    matching: QuerySet,
    *,
    window: int | None = None,
    per_facet: dict[str, QuerySet] | None = None,
) -> Facets:
    """Counts over ``matching`` (already filtered and gated), in one query.

    ``per_facet`` gives, for some facets, the incidents to count that facet over instead
    (see ``public_facet_counts``). With ``window``, only the newest ``window`` incidents
    of each are counted.
    """
    per_facet = per_facet or {}

    def counted(queryset: QuerySet) -> QuerySet:
        queryset = queryset.order_by()
        if window is None:
            return queryset
        newest = queryset.order_by("-occurred_on", "-id").values("pk")[:window]
        return queryset.model.objects.filter(pk__in=newest).order_by()

    by_country = counted(per_facet.get("country", matching))
    by_status = counted(per_facet.get("status", matching))
    by_year = counted(per_facet.get("year", matching))
    facets = _facets(
        _union(
            _grouped(by_country, "country", F("country"), F("country"), Count("pk")),
            _grouped(by_status, "status", F("status__slug"), F("status__name"), Count("pk")),
            _grouped(by_year, "year", _year(ExtractYear("occurred_on")), None, Count("pk")),
            _grouped(counted(matching), "total", Value("all"), None, Count("pk")),
        )
    )
    if window is not None:
        # Every incident has one country, one status and one year, so a facet's counts
        # add up to the number of incidents it was counted over.
        counted_over = [sum(f.count for f in each) for each in (facets.country, facets.status)]
        counted_over += [sum(f.count for f in facets.year), facets.total]
        facets.capped = max(counted_over) >= window
    return facets


def public_facet_counts(incident_filter, *, exact: bool = False, each_own: bool = False) -> Facets:
    """Facets of the public case list: from the summary table whenever it can answer.

    Otherwise counted live, over the newest ``FACET_WINDOW`` matches unless ``exact``.

    With ``each_own``, each facet is counted without its own filter (the others apply): a
    reader who ticked Kyrgyzstan still sees how many cases Kazakhstan would add, and the
    other statuses, instead of a list reduced to the one country already chosen. The
    total is always the filter's own.
    """
    data = incident_filter.data if incident_filter.is_bound else {}
    used = {name for name in data if any(value for value in data.getlist(name))}
    if not used <= SUMMARY_FILTERS or not incident_filter.is_valid():
        window = None if exact else FACET_WINDOW
        per_facet = {}
        if each_own and incident_filter.is_valid():
            per_facet = {
                name: incident_filter.matching_without(name)
                for name in ("country", "status", "year")
                if name in used
            }
        return facet_counts(incident_filter.matching, window=window, per_facet=per_facet)
    cleaned = incident_filter.form.cleaned_data

    def summary_rows(without: str | None = None) -> QuerySet:
        rows = FacetCount.objects.order_by()
        if (codes := cleaned.get("country")) and without != "country":
            rows = rows.filter(country__in=codes)
        if (statuses := cleaned.get("status")) and without != "status":
            rows = rows.filter(status__slug__in=statuses)
        if (year := cleaned.get("year")) and without != "year":
            rows = rows.filter(year=year)
        return rows

    def own(name: str) -> str | None:
        return name if each_own else None

    def count() -> list[tuple]:
        return _union(
            _grouped(
                summary_rows(own("country")), "country", F("country"), F("country"), Sum("count")
            ),
            _grouped(
                summary_rows(own("status")),
                "status",
                F("status__slug"),
                F("status__name"),
                Sum("count"),
            ),
            _grouped(summary_rows(own("year")), "year", _year(F("year")), None, Sum("count")),
            _grouped(summary_rows(), "total", Value("all"), None, Sum("count")),
        )

    asked = (
        sorted(cleaned.get("country") or []),
        sorted(cleaned.get("status") or []),
        cleaned.get("year"),
        each_own,
    )
    return _facets(_kept_summary_rows(asked, count))


# The summary table's answers are kept in each process (the ``fragments`` cache) under a
# generation shared by every process (the default cache), which ``refresh_facet_counts``
# replaces whenever the table changes: the case list's landing page, and its usual clicks,
# then count without a query. A random generation rather than a counter: a cleared default
# cache must not bring back a number some process kept rows under.
SUMMARY_GENERATION = "incidents:facets:generation"
SUMMARY_SECONDS = 300


def _kept_summary_rows(asked: tuple, count: Callable[[], list[tuple]]) -> list[tuple]:
    # Read before the table: rows counted after a refresh committed are never kept under
    # the generation it replaced.
    generation = cache.get_or_set(SUMMARY_GENERATION, _new_generation, timeout=None)
    key = f"incidents:facets:{generation}:{hashlib.sha256(repr(asked).encode()).hexdigest()}"
    return caches["fragments"].get_or_set(key, count, SUMMARY_SECONDS)


def _new_generation() -> str:
    return secrets.token_hex(8)


def forget_summary_counts() -> None:
    """Every process counts the summary table afresh at its next page."""
    cache.set(SUMMARY_GENERATION, _new_generation(), timeout=None)


def _year(expression):
    return Cast(expression, output_field=CharField())


def _grouped(queryset: QuerySet, facet: str, value, label, total) -> QuerySet:
    """One facet as rows of (facet, value, label, count), ready for UNION ALL."""
    return (
        queryset.annotate(
            facet=Value(facet, output_field=CharField()),
            facet_value=value,
            facet_label=label if label is not None else value,
        )
        .values_list("facet", "facet_value", "facet_label")
        .annotate(n=total)
        .order_by()
    )


def _union(*branches: QuerySet) -> list[tuple]:
    first, *others = branches
    return list(first.union(*others, all=True).order_by())


def _facets(rows: list[tuple]) -> Facets:
    facets = Facets()
    for facet, value, label, n in rows:
        if not value or not n:
            continue
        if facet == "total":
            facets.total = n
        elif facet == "country":
            facets.country.append(Facet(value, countries.name(value), n))
        elif facet == "status":
            facets.status.append(Facet(value, statuses().get(value, label), n))
        else:
            facets.year.append(Facet(value, value, n))
    facets.country.sort(key=lambda facet: (-facet.count, str(facet.label)))
    facets.status.sort(key=lambda facet: (-facet.count, str(facet.label)))
    facets.year.sort(key=lambda facet: facet.value, reverse=True)
    return facets


def facet_key(incident: Incident) -> FacetKey:
    return (incident.country.code, incident.status_id, incident.occurred_on.year)


def refresh_facet_counts(keys: Iterable[FacetKey] | None = None) -> None:
    """Recount published incidents for these keys (every key if ``None``)."""
    keys = None if keys is None else {key for key in keys if all(key)}
    if keys is not None and not keys:
        return
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # One refresh at a time: two publications in one country must not both delete
            # and re-insert the same rows.
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(hashtext('incidents_facetcount'))")
        published = Incident.objects.published().order_by()
        rows = FacetCount.objects.all()
        if keys is not None:
            countries_ = {key[0] for key in keys}
            published = published.filter(country__in=countries_)
            rows = rows.filter(country__in=countries_)
        counted = (
            published.annotate(year=ExtractYear("occurred_on"))
            .values_list("country", "status", "year")
            .annotate(n=Count("pk"))
            .order_by()
        )
        if keys is not None:
            counted = [row for row in counted if row[:3] in keys]
            rows = [row for row in rows if (row.country, row.status_id, row.year) in keys]
            FacetCount.objects.filter(pk__in=[row.pk for row in rows]).delete()
        else:
            rows.delete()
        FacetCount.objects.bulk_create(
            FacetCount(country=country, status_id=status, year=year, count=n)
            for country, status, year, n in counted
        )
        # Now, and again once committed: a page counted between the two, from the table as
        # it was, must not be kept under the new generation.
        forget_summary_counts()
        transaction.on_commit(forget_summary_counts)


def perpetrator_kind_counts(matching: QuerySet[Incident], total: int) -> dict[str, int]:
    """Incidents per kind of perpetrator, in one query over the perpetrator links.

    An incident counts once under each kind it involves (two police units: one "police";
    police and a pro-government group: one under each), and once under "state" or
    "non_state" when any of its groups is one (a group of unknown kind is neither); "none"
    counts incidents with no group.
    """
    state_kinds = list(PerpetratorGroup.STATE_KINDS)
    non_state_kinds = list(PerpetratorGroup.NON_STATE_KINDS)
    incidents = Count("incident", distinct=True)

    def involving(kinds) -> Count:
        return Count("incident", distinct=True, filter=Q(perpetrator_group__kind__in=kinds))

    counts = IncidentPerpetrator.objects.filter(incident__in=matching.values("pk")).aggregate(
        any=incidents,
        state=involving(state_kinds),
        non_state=involving(non_state_kinds),
        **{kind: involving([kind]) for kind in PerpetratorGroup.Kind.values},
    )
    counts["none"] = total - counts.pop("any")
    return counts
