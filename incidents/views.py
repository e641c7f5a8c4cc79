"""Public pages: the home page, the case list with its exports, the case page.

Every query here starts from ``Incident.objects.published()``, for every visitor, staff
included. A staff member who opens the public address of a draft gets the same 404 as
anyone else: a public page that renders unpublished material for some users is one
template mistake (a cached fragment, a shared link, a screenshot) away from leaking it.
Staff read unpublished cases on their own page, ``incidents:staff_detail``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_not_required
from django.db.models import Exists, F, FilteredRelation, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Coalesce, NullIf
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, QueryDict
from django.shortcuts import get_object_or_404, render
from django_countries import countries

from casefile.pagination import DEFAULT_PAGE_SIZE, paginate
from casefile.translatable import Localized, in_reader_language, reader_language

from . import export_job_views, vocabulary
from .facets import Facet, public_facet_counts
from .filters import IncidentFilter
from .hooks import case_page_annotations, registered_case_filters
from .models import Figure, Incident, Source, Update

HOME_CASES = 10
CASES_PER_PAGE = DEFAULT_PAGE_SIZE
# Query parameters that only change how the list is shown, not which cases it holds.
DISPLAY_PARAMETERS = {"cursor", "ordering"}
# Filters folded under "More filters" on the case list unless one of them is in use (and
# those the apps above register folded, incidents.hooks).
MORE_FILTERS = ("occurred_after", "occurred_before", "perpetrator_kind")


def public_filter(request: HttpRequest, data: QueryDict | None = None) -> IncidentFilter:
    # The public pages show what an anonymous visitor sees, whoever asks (see above).
    incident_filter = IncidentFilter(
        request.GET if data is None else data,
        queryset=Incident.objects.published(),
        request=request,
    )
    incident_filter.is_valid()  # cleans the form: invalid values are reported and ignored
    return incident_filter


@login_not_required
def home(request):
    incidents = (Incident.objects.published().with_listing_data().order_by("-published_at", "-pk"))[
        :HOME_CASES
    ]
    return render(
        request,
        "incidents/public/home.html",
        {"incidents": incidents, "published_count": Incident.objects.published().count()},
    )


@dataclass
class Option:
    """A filter value offered on the page, with the number of matching cases."""

    value: str
    label: str
    count: int
    selected: bool


def _options(facets: list[Facet], selected: list[str], label_of) -> list[Option]:
    """The facet values (published data only), plus selected values with no match."""
    chosen = set(selected)
    options = [Option(f.value, f.label, f.count, f.value in chosen) for f in facets]
    offered = {option.value for option in options}
    options += [
        Option(value, label_of(value), 0, True) for value in selected if value not in offered
    ]
    return options


def _chips(incident_filter: IncidentFilter, name: str) -> list[dict]:
    """Selected organizations or perpetrator groups, each with the query that removes it."""
    chosen = list(incident_filter.form.cleaned_data.get(name) or [])
    if chosen:
        # Their names in the reader's language, in one query.
        model = type(chosen[0])
        translations = model.translations.rel.related_model.objects.all()
        owner = model.translations.rel.field.name
        shown = in_reader_language(translations, "name", owner=owner, record="pk", original="name")
        chosen = list(
            model.objects.filter(pk__in=[obj.pk for obj in chosen]).annotate(shown_name=shown)
        )
    return [
        {
            "label": obj.display_name,
            "remaining": [str(other.pk) for other in chosen if other.pk != obj.pk],
        }
        for obj in chosen
    ]


def has_value(value) -> bool:
    # False is a value (has_appeal=false); an empty list or queryset is not.
    return value is not None and (isinstance(value, bool) or bool(value))


def more_filters() -> tuple[str, ...]:
    registered = registered_case_filters.values()
    return MORE_FILTERS + tuple(
        name for added in registered if added.folded for name in added.names
    )


def filter_templates(*, folded: bool) -> list[str]:
    """The form fields of the filters the apps above added (incidents.hooks)."""
    registered = registered_case_filters.values()
    return [added.template for added in registered if added.template and added.folded == folded]


def is_filtered(incident_filter: IncidentFilter) -> bool:
    cleaned = incident_filter.form.cleaned_data
    return any(
        has_value(cleaned.get(name))
        for name in incident_filter.filters
        if name not in DISPLAY_PARAMETERS
    ) or bool(incident_filter.form.errors)


def _feed_query(incident_filter: IncidentFilter) -> QueryDict:
    cleaned = incident_filter.form.cleaned_data
    query = QueryDict(mutable=True)
    if countries_chosen := list(cleaned.get("country") or []):
        query.setlist("country", countries_chosen)
    if statuses_chosen := list(cleaned.get("status") or []):
        query.setlist("status", statuses_chosen)
    return query


@login_not_required
def case_list(request):
    incident_filter = public_filter(request)
    facets = public_facet_counts(incident_filter, each_own=True)
    # Keyset pages for the date orders, a window position when ranked; a hand-edited or
    # stale cursor gives the first page rather than an error.
    page = paginate(
        incident_filter.qs.with_listing_data(), request.GET.get("cursor"), size=CASES_PER_PAGE
    )
    cleaned = incident_filter.form.cleaned_data
    statuses = {slug: vocabulary.statuses().get(slug, slug) for slug in cleaned.get("status") or []}
    year = cleaned.get("year")
    return render(
        request,
        "incidents/public/case_list.html",
        {
            "filter": incident_filter,
            "form": incident_filter.form,
            "facets": facets,
            "result_count": facets.total,
            "page_obj": page,
            "incidents": page.items,
            "country_options": _options(
                facets.country, list(cleaned.get("country") or []), countries.name
            ),
            "status_options": _options(facets.status, list(statuses), statuses.get),
            "year_options": _options(facets.year, [str(int(year))] if year else [], str),
            "organization_chips": _chips(incident_filter, "organization"),
            "perpetrator_chips": _chips(incident_filter, "perpetrator"),
            "is_filtered": is_filtered(incident_filter),
            "more_filters_open": any(
                has_value(cleaned.get(name)) or name in incident_filter.form.errors
                for name in more_filters()
            ),
            "filter_templates": filter_templates(folded=False),
            "more_filter_templates": filter_templates(folded=True),
            "feed_query": _feed_query(incident_filter),
        },
    )


def _export_queryset(request: HttpRequest) -> QuerySet[Incident] | HttpResponse:
    incident_filter = public_filter(request)
    if incident_filter.form.errors:
        # A download is read without the page around it: refuse rather than export more
        # than was asked for.
        return HttpResponseBadRequest(
            incident_filter.form.errors.as_text(), content_type="text/plain; charset=utf-8"
        )
    # Every match, never the relevance window (which stops at the newest few thousand).
    if incident_filter.form.cleaned_data.get("ordering") == "date":
        return incident_filter.matching.order_by("occurred_on", "id")
    return incident_filter.matching.order_by("-occurred_on", "-id")


@login_not_required
def case_export_csv(request):
    queryset = _export_queryset(request)
    if isinstance(queryset, HttpResponse):
        return queryset
    # Past EXPORT_BACKGROUND_ROWS rows, a job for the worker and its progress page.
    return export_job_views.export_response(request, queryset, export_format="csv", via="page")


@login_not_required
def case_export_json(request):
    queryset = _export_queryset(request)
    if isinstance(queryset, HttpResponse):
        return queryset
    # Past EXPORT_BACKGROUND_ROWS rows, a job for the worker and its progress page.
    return export_job_views.export_response(request, queryset, export_format="json", via="page")


def _joining_reader_translation(queryset: QuerySet, language: str) -> QuerySet:
    """Records with their translation into ``language`` joined (one row at most), read by
    the ``localized`` filter (casefile tags) without a query per record."""
    return queryset.annotate(
        reader_translation=FilteredRelation(
            "translations", condition=Q(translations__language=language)
        ),
        reader_translation_language=Value(language),
    ).select_related("reader_translation")


def _has(queryset: QuerySet) -> Exists:
    return Exists(queryset.filter(incident=OuterRef("pk")))


@login_not_required
def case_detail(request, slug: str):
    """The case with its related records, in the reader's language, in few queries: each
    relation in one query with its translation joined, and empty relations not queried."""
    language = reader_language()
    incident = get_object_or_404(
        Incident.objects.published()
        .with_reader_translation()
        .select_related("status", "reader_translation")
        .annotate(
            has_violations=_has(Incident.violation_types.through.objects),
            has_figures=_has(Figure.objects),
            has_updates=_has(Update.objects),
            has_sources=_has(Source.objects),
            # Apps above this one (appeals) say whether their slots have anything to show.
            **{name: expression() for name, expression in case_page_annotations.items()},
        ),
        slug=slug,
    )
    # As Translatable.localized() does, with the translation joined above (its narrative
    # too, which the listing annotations leave out).
    translation = getattr(incident, "reader_translation", None)
    text = Localized(
        incident, None if language == incident.source_language else translation, language
    )
    # Related rows are read through the incident that passed the gate above.
    perpetrator_links = list(
        incident.perpetrator_links.select_related("perpetrator_group")
        .annotate(
            group_translation=FilteredRelation(
                "perpetrator_group__translations",
                condition=Q(perpetrator_group__translations__language=language),
            )
        )
        .select_related("group_translation")
    )
    for link in perpetrator_links:
        # What in_reader_language() gives, from the joined row: read by display_name.
        translated = getattr(link, "group_translation", None)
        link.perpetrator_group.shown_name = (
            translated.name if translated else ""
        ) or link.perpetrator_group.name
    organizations = _joining_reader_translation(incident.organizations.all(), language).annotate(
        # What in_reader_language() gives, from the joined row: read by display_name.
        shown_name=Coalesce(NullIf(F("reader_translation__name"), Value("")), F("name"))
    )
    return render(
        request,
        "incidents/public/case_detail.html",
        {
            "incident": incident,
            "text": text,
            "case_languages": [incident.source_language, *incident.translated_languages()],
            "organizations": organizations,
            "perpetrator_links": perpetrator_links,
            "violation_types": incident.violation_types.all() if incident.has_violations else [],
            "figures": _joining_reader_translation(
                incident.figures.select_related("source"), language
            ).order_by("counted", "as_of", "pk")
            if incident.has_figures
            else [],
            "updates": _joining_reader_translation(
                incident.updates.select_related("status"), language
            ).order_by("-date", "-pk")
            if incident.has_updates
            else [],
            "sources": incident.sources.all() if incident.has_sources else [],
        },
    )
