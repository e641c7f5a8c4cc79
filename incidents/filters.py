"""The filters researchers use, shared by the public case list, exports and the API.

The FilterSet only narrows the queryset it is given; what may be seen at all is decided
before, by ``Incident.objects.published()`` or ``visible_to(user)``. Choices that name
records (organizations, perpetrator groups) are validated against public records only, so
an unpublished one answers exactly like one that does not exist.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import django_filters
from django import forms
from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from django_filters.filters import FilterMethod

from casefile.api.lookup import MAX_ID
from organizations.models import Organization, PerpetratorGroup

from .models import Incident, IncidentPerpetrator
from .search import order_by_relevance, search_condition
from .vocabulary import status_choices

if TYPE_CHECKING:
    from django.db.models import QuerySet
    from django.http import HttpRequest, QueryDict

STATE = "state"
NON_STATE = "non_state"
PERPETRATOR_KIND_CHOICES = [
    (STATE, _("Any state actor")),
    (NON_STATE, _("Any non-state actor")),
    *PerpetratorGroup.Kind.choices,
]


def country_codes() -> list[tuple[str, str]]:
    """Codes only: validating needs no translated, sorted names (pages label the options
    they show from the facet counts)."""
    return COUNTRY_CODES


COUNTRY_CODES = [(code, code) for code in countries.countries]
ORDERING_CHOICES = [
    ("-date", _("Newest first")),
    ("date", _("Oldest first")),
    ("relevance", _("Most relevant first (when searching)")),
]


class PublishedRecordsField(forms.Field):
    """Published records chosen by id, looked up in one query when some are chosen.

    Answers as Django's ModelMultipleChoiceField did (same messages, same codes, records
    in the model's order), without holding a queryset: the field is built once per process
    and shared by every form (see ``IncidentFilter.get_form_class``), and ``records`` is
    called at each clean, so a record published after the first request is accepted.
    Nothing chosen cleans to [] rather than an empty queryset, which each filter's
    ``if not value`` would compile and run.
    """

    widget = forms.SelectMultiple  # reads every value of a repeated parameter
    default_error_messages = forms.ModelMultipleChoiceField.default_error_messages

    def __init__(self, *, records: Callable[[], QuerySet], **kwargs) -> None:
        self.records = records
        super().__init__(**kwargs)

    def clean(self, value) -> list:
        if not value:
            if self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return []
        if not isinstance(value, list | tuple):
            raise forms.ValidationError(self.error_messages["invalid_list"], code="invalid_list")
        given = list(dict.fromkeys(str(item) for item in value))
        ids = set()
        for text in given:
            # A value no database id can be is refused before any query. Non-ASCII digits
            # int() reads ("٣") go on to the lookup, whose ids never read back as them.
            try:
                pk = int(text) if text.isdigit() else None
            except ValueError:  # digits int() cannot read ("²")
                pk = None
            if pk is None or pk > MAX_ID:
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": text[:40]},
                )
            ids.add(pk)
        found = list(self.records().filter(pk__in=ids))
        known = {str(record.pk) for record in found}
        for text in given:
            if text not in known:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": text},
                )
        return found


class PublishedRecordsFilter(django_filters.Filter):
    field_class = PublishedRecordsField


class RecordIdsField(forms.Field):
    """Ids of records, as whole numbers, without looking them up: an unknown id matches
    nothing (the API's filters, whose schema can promise any id)."""

    widget = forms.SelectMultiple  # reads every value of a repeated parameter

    def to_python(self, value) -> list[int]:
        ids = []
        for item in value or []:
            text = str(item)
            if not text.isascii() or not text.isdigit() or not 1 <= int(text) <= MAX_ID:
                raise forms.ValidationError(
                    _("“%(pk)s” is not a valid value."),
                    code="invalid_pk_value",
                    params={"pk": text[:40]},
                )
            ids.append(int(text))
        return ids


class RecordIdsFilter(django_filters.Filter):
    field_class = RecordIdsField


class WholeNumberFilter(django_filters.NumberFilter):
    # NumberFilter takes decimals: year=2019.5 would be a year.
    field_class = forms.IntegerField


class SharedFilters(dict):
    """A FilterSet's declared filters, copied per instance without ``copy.deepcopy``.

    django-filter deep-copies every filter for each FilterSet, and with it each filter's
    field arguments (labels, widgets, choices): about 600 copies, a fifth of an API list
    request. A filter's own state per instance is its ``parent`` and ``model`` (set by
    ``BaseFilterSet.__init__`` on the copies) and a ``method``'s binding to that parent;
    everything else is read only, so a shallow copy serves.
    """

    def __deepcopy__(self, memo) -> dict[str, django_filters.Filter]:
        filters = {}
        for name, declared in self.items():
            bound = object.__new__(type(declared))  # copy.copy, without its generic protocol
            bound.__dict__.update(declared.__dict__)
            bound.extra = dict(declared.extra)
            if declared.method is not None:
                # The declared filter's FilterMethod points at the declared filter, whose
                # parent is not this FilterSet.
                bound.filter = FilterMethod(bound)
            filters[name] = bound
        return filters


class SharedFields(dict):
    """A form class's fields, shared by its instances instead of deep-copied per form.

    Safe because nothing changes a field once built: forms that must change their fields
    per instance (a queryset, a label) cannot use it.
    """

    def __deepcopy__(self, memo) -> dict[str, forms.Field]:
        return dict(self)


class IncidentFilter(django_filters.FilterSet):
    # Choices and records below are callables, read when a value is cleaned: the filters
    # and the form fields are built once per process and shared (get_filters,
    # get_form_class), so nothing in them may be fixed at the first request.
    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_search",
        max_length=200,
        help_text=_(
            'Words in the title, summary, narrative or updates; "quoted phrase", or, -word.'
        ),
    )
    # distinct=False throughout: these filters add no join, and DISTINCT would sort every match.
    country = django_filters.MultipleChoiceFilter(
        label=_("Country"),
        distinct=False,
        choices=country_codes,
        help_text=_("ISO 3166-1 alpha-2 code; repeat for several."),
    )
    # Slugs checked against the cached vocabulary: no query (incidents.vocabulary).
    status = django_filters.MultipleChoiceFilter(
        label=_("Status"),
        field_name="status__slug",
        distinct=False,
        choices=status_choices,
        help_text=_("Status slug; repeat for several."),
    )
    year = WholeNumberFilter(
        label=_("Year"),
        field_name="occurred_on",
        lookup_expr="year",
        min_value=1900,
        max_value=2200,
        help_text=_("The year the incident happened."),
    )
    occurred_after = django_filters.DateFilter(
        label=_("Happened on or after"),
        field_name="occurred_on",
        lookup_expr="gte",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("YYYY-MM-DD"),
    )
    occurred_before = django_filters.DateFilter(
        label=_("Happened on or before"),
        field_name="occurred_on",
        lookup_expr="lte",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("YYYY-MM-DD"),
    )
    organization = PublishedRecordsFilter(
        distinct=False,
        label=_("Targeted organization"),
        records=Organization.objects.published,
        method="filter_organization",
        help_text=_("Organization id; repeat for several (any of them)."),
    )
    perpetrator = PublishedRecordsFilter(
        distinct=False,
        label=_("Perpetrator group"),
        records=PerpetratorGroup.objects.published,
        method="filter_perpetrator",
        help_text=_("Perpetrator group id; repeat for several (any of them)."),
    )
    perpetrator_kind = django_filters.MultipleChoiceFilter(
        distinct=False,
        label=_("Kind of perpetrator"),
        choices=PERPETRATOR_KIND_CHOICES,
        method="filter_perpetrator_kind",
        help_text=_("state, non_state, or a kind such as police or unknown; repeat for several."),
    )
    ordering = django_filters.ChoiceFilter(
        label=_("Order"),
        choices=ORDERING_CHOICES,
        method="keep",
        empty_label=None,
        help_text=_("-date (default), date, or relevance (with q)."),
    )

    class Meta:
        model = Incident
        fields: list[str] = []

    def __init__(
        self,
        data: QueryDict | None = None,
        queryset: QuerySet[Incident] | None = None,
        *,
        request: HttpRequest | None = None,
        prefix: str | None = None,
    ) -> None:
        if queryset is None:
            # Never the default manager: without an explicit queryset, the request's user
            # decides, through the publication gate.
            user = request.user if request is not None else AnonymousUser()
            queryset = Incident.objects.visible_to(user)
        super().__init__(data, queryset, request=request, prefix=prefix)

    @classmethod
    def get_filters(cls):
        return SharedFilters(super().get_filters())

    def get_form_class(self):
        # Built once per class, as building it costs a millisecond per request, and its
        # fields shared by every form (SharedFields). Nothing in them depends on the
        # request: choices and records are callables, read at each clean.
        cls = type(self)
        if "_form_class" not in cls.__dict__:
            form_class = super().get_form_class()
            form_class.base_fields = SharedFields(form_class.base_fields)
            cls._form_class = form_class
        return cls._form_class

    @property
    def terms(self) -> str:
        if not self.is_bound or not self.form.is_valid():
            return ""
        return self.form.cleaned_data.get("q") or ""

    def filter_queryset(self, queryset: QuerySet[Incident]) -> QuerySet[Incident]:
        queryset = super().filter_queryset(queryset)
        ordering = self.form.cleaned_data.get("ordering") or ""
        if ordering == "relevance" and self.terms:
            return order_by_relevance(queryset, self.terms)
        if ordering == "date":
            return queryset.order_by("occurred_on", "id")
        return queryset.order_by("-occurred_on", "-id")

    @property
    def matching(self) -> QuerySet[Incident]:
        """Every incident the filters select, unordered: for facet counts and statistics."""
        if self.is_bound and not self.form.is_valid():
            return self.queryset.none()
        if not self.is_bound:
            return self.queryset.order_by()
        return super().filter_queryset(self.queryset.all()).order_by()

    def matching_without(self, name: str) -> QuerySet[Incident]:
        """What the other filters select, leaving out ``name``: for that filter's facet.

        Reuses the cleaned values, so the form is not validated (or queried) again.
        """
        if not self.is_valid():
            return self.queryset.none()
        queryset = self.queryset.all()
        for filter_name, value in self.form.cleaned_data.items():
            if filter_name != name:
                queryset = self.filters[filter_name].filter(queryset, value)
        return queryset.order_by()

    # Filter methods. Related-row conditions are EXISTS subqueries: no join, no DISTINCT.

    def filter_search(self, queryset, name, value):
        # Worked out once per request: the page, its facets and each facet's own
        # counts all apply this filter, and on PostgreSQL working it out takes a query.
        if getattr(self, "_search", (None,))[0] != value:
            self._search = (value, search_condition(value))
        return queryset.filter(self._search[1])

    def filter_organization(self, queryset, name, value):
        if not value:
            return queryset
        links = Incident.organizations.through.objects.filter(
            incident=OuterRef("pk"), organization__in=value
        )
        return queryset.filter(Exists(links))

    def filter_perpetrator(self, queryset, name, value):
        if not value:
            return queryset
        links = IncidentPerpetrator.objects.filter(
            incident=OuterRef("pk"), perpetrator_group__in=value
        )
        return queryset.filter(Exists(links))

    def filter_perpetrator_kind(self, queryset, name, value):
        if not value:
            return queryset
        kinds = set(value) - {STATE, NON_STATE}
        if STATE in value:
            kinds |= set(PerpetratorGroup.STATE_KINDS)
        if NON_STATE in value:
            kinds |= set(PerpetratorGroup.NON_STATE_KINDS)
        links = IncidentPerpetrator.objects.filter(
            incident=OuterRef("pk"), perpetrator_group__kind__in=kinds
        )
        return queryset.filter(Exists(links))

    def keep(self, queryset, name, value):
        return queryset  # ordering is applied in filter_queryset, after every filter
