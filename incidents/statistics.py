"""The public statistics page: the case list's filters, counted per year, country, status
and kind of perpetrator, kept in the cache for a minute per filter.

Only published cases are counted (the filter starts from ``Incident.objects.published()``,
as every public page does), so every visitor may share the cached figures.
"""

from __future__ import annotations

import contextlib
import hashlib

from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django_countries import countries

from organizations.models import PerpetratorGroup

from .facets import perpetrator_kind_counts, public_facet_counts
from .filters import IncidentFilter
from .views import DISPLAY_PARAMETERS, has_value, is_filtered, public_filter

# Counting every case per kind of perpetrator reads every published case's groups (1.5 s
# at a million cases): each filter's figures are kept this long, for every visitor.
STATISTICS_CACHE_SECONDS = 60
STATISTICS_GENERATION = "incidents:statistics:generation"


def _statistics_counts(incident_filter: IncidentFilter):
    """The facet counts (the case list's, so the two pages agree) and the perpetrator
    kinds, for this filter, in the active language; from the cache when counted recently.
    Only published cases are counted, so every visitor may share the figures."""

    def count():
        facets = public_facet_counts(incident_filter, exact=True)
        return facets, perpetrator_kind_counts(incident_filter.matching, facets.total)

    if not incident_filter.is_valid():
        return count()
    query = sorted(
        (name, value)
        for name, values in incident_filter.data.lists()
        if name in incident_filter.filters
        for value in values
    )
    digest = hashlib.sha256(repr(query).encode()).hexdigest()
    # The generation changes whenever a case is published or withdrawn (apps.py), so a
    # withdrawn case leaves the figures at once.
    generation = cache.get_or_set(STATISTICS_GENERATION, 0)
    key = f"incidents:statistics:{generation}:{get_language()}:{digest}"
    return cache.get_or_set(key, count, STATISTICS_CACHE_SECONDS)


def forget_statistics(**kwargs) -> None:
    """Receiver of ``publication_changed``: every filter's figures are counted afresh."""
    with contextlib.suppress(ValueError):  # not set yet: nothing cached to forget
        cache.incr(STATISTICS_GENERATION)


def _rows(pairs) -> list[dict]:
    return [{"label": str(label), "count": count} for label, count in pairs]


def _summary(incident_filter: IncidentFilter) -> list[dict]:
    """The filters in force, in words."""
    cleaned = incident_filter.form.cleaned_data
    fields = incident_filter.form.fields
    summary = []
    for name, field in fields.items():
        value = cleaned.get(name)
        if name in DISPLAY_PARAMETERS or not has_value(value):
            continue
        if name == "country":
            shown = ", ".join(str(countries.name(code)) for code in value)
        elif name in {"status", "organization", "perpetrator"}:
            shown = ", ".join(str(obj) for obj in value)
        elif name == "perpetrator_kind":
            labels = dict(field.choices)
            shown = ", ".join(str(labels.get(kind, kind)) for kind in value)
        elif isinstance(value, str) and hasattr(field, "choices"):
            # One choice (the filters the apps above add: "has an urgent appeal"...).
            shown = str(dict(field.choices).get(value, value))
        elif name == "year":
            shown = str(int(value))
        else:
            shown = str(value)
        summary.append({"label": str(field.label), "value": shown})
    return summary


@login_not_required
def statistics(request):
    incident_filter = public_filter(request)
    facets, kinds = _statistics_counts(incident_filter)
    tables = [
        {
            "id": "per-year",
            "title": _("Cases per year"),
            "column": _("Year"),
            "chart": "bar",
            "rows": _rows((f.label, f.count) for f in sorted(facets.year, key=lambda f: f.value)),
        },
        {
            "id": "per-country",
            "title": _("Cases per country"),
            "column": _("Country"),
            "chart": "bar",
            "rows": _rows((f.label, f.count) for f in facets.country),
        },
        {
            "id": "per-status",
            "title": _("Cases per status"),
            "column": _("Status"),
            "chart": "bar",
            "rows": _rows((f.label, f.count) for f in facets.status),
        },
        {
            "id": "state-or-not",
            "title": _("Cases by state and non-state perpetrators"),
            "column": _("Perpetrators"),
            "chart": "bar",
            "rows": _rows(
                [
                    (_("State actors"), kinds["state"]),
                    (_("Non-state actors"), kinds["non_state"]),
                    (_("Perpetrators of unknown kind"), kinds["unknown"]),
                    (_("No perpetrator recorded"), kinds["none"]),
                ]
            ),
        },
        {
            "id": "per-kind",
            "title": _("Cases per kind of perpetrator"),
            "column": _("Kind of perpetrator"),
            "chart": "bar",
            "rows": _rows(
                (label, kinds[value])
                for value, label in PerpetratorGroup.Kind.choices
                if kinds[value]
            ),
        },
    ]
    chart_data = {
        "label": _("Cases"),
        "charts": [
            {
                "id": table["id"],
                "labels": [row["label"] for row in table["rows"]],
                "values": [row["count"] for row in table["rows"]],
            }
            for table in tables
        ],
    }
    return render(
        request,
        "incidents/public/statistics.html",
        {
            "filter": incident_filter,
            "form": incident_filter.form,
            "result_count": facets.total,
            "tables": tables,
            "chart_data": chart_data,
            "is_filtered": is_filtered(incident_filter),
            "summary": _summary(incident_filter),
        },
    )
