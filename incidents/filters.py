"""Filters for lists of incidents, shared by the public case list and (later) the API."""

from __future__ import annotations

from typing import TYPE_CHECKING

import django_filters
from django import forms
from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from .models import Incident, Status

if TYPE_CHECKING:
    from django.http import HttpRequest, QueryDict

    from .querysets import IncidentQuerySet


class IncidentFilter(django_filters.FilterSet):
    """Country, status and year: the choices offered come from the incidents filtered.

    Deriving the choices from the gated queryset matters: a country, status or year
    that only a draft has must not appear as an option, or the form itself would leak it.
    """

    country = django_filters.MultipleChoiceFilter(
        label=_("Country"), widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"})
    )
    status = django_filters.ModelMultipleChoiceFilter(
        label=_("Status"),
        field_name="status__slug",
        queryset=Status.objects.none(),
        to_field_name="slug",
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    year = django_filters.ChoiceFilter(
        label=_("Year"),
        field_name="occurred_on",
        lookup_expr="year",
        empty_label=_("Any year"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    class Meta:
        model = Incident
        fields = ["country", "status", "year"]

    def __init__(
        self,
        data: QueryDict | None = None,
        queryset: IncidentQuerySet | None = None,
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
        base = queryset.order_by()
        codes = set(base.values_list("country", flat=True).distinct())
        self.filters["country"].extra["choices"] = sorted(
            ((code, countries.name(code)) for code in codes if code),
            key=lambda choice: str(choice[1]),
        )
        self.filters["status"].queryset = Status.objects.filter(pk__in=base.values("status"))
        self.filters["year"].extra["choices"] = [
            (day.year, day.year) for day in base.dates("occurred_on", "year", order="DESC")
        ]
