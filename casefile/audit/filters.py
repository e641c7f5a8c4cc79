"""The reviewers' filters over the audit trail."""

from __future__ import annotations

import datetime

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from .models import AuditEvent

TEXT = {"class": "form-control"}


class AddressFilter(django_filters.Filter):
    """An IPv4 or IPv6 address, exactly (anything else is a form error, not a query)."""

    field_class = forms.GenericIPAddressField


class AuditEventFilter(django_filters.FilterSet):
    action = django_filters.ChoiceFilter(
        label=_("Action"),
        choices=AuditEvent.Action.choices,
        empty_label=_("Any action"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    actor = django_filters.CharFilter(
        label=_("User name"),
        field_name="actor_username",
        lookup_expr="iexact",
        max_length=150,
        widget=forms.TextInput(attrs={**TEXT, "autocomplete": "off"}),
    )
    object_type = django_filters.CharFilter(
        label=_("Object type"),
        max_length=64,
        help_text=_("For example incidents.incident, appeals.appeal, auth.user."),
        widget=forms.TextInput(attrs={**TEXT, "autocomplete": "off"}),
    )
    object_id = django_filters.CharFilter(
        label=_("Object id"),
        max_length=64,
        widget=forms.TextInput(attrs={**TEXT, "autocomplete": "off", "inputmode": "numeric"}),
    )
    client_address = AddressFilter(
        label=_("Client address"),
        widget=forms.TextInput(attrs={**TEXT, "autocomplete": "off"}),
    )
    # Whole days in UTC, the trail's time zone; bounds on the column itself so the index
    # on (action, occurred_at) or (occurred_at) is used.
    occurred_after = django_filters.DateFilter(
        label=_("From (UTC)"),
        method="filter_from",
        widget=forms.DateInput(attrs={**TEXT, "type": "date"}, format="%Y-%m-%d"),
    )
    occurred_before = django_filters.DateFilter(
        label=_("Until (UTC, inclusive)"),
        method="filter_until",
        widget=forms.DateInput(attrs={**TEXT, "type": "date"}, format="%Y-%m-%d"),
    )

    class Meta:
        model = AuditEvent
        fields = [
            "action",
            "actor",
            "object_type",
            "object_id",
            "client_address",
            "occurred_after",
            "occurred_before",
        ]

    def filter_from(self, queryset: QuerySet, name: str, value: datetime.date) -> QuerySet:
        return queryset.filter(occurred_at__gte=_start_of(value))

    def filter_until(self, queryset: QuerySet, name: str, value: datetime.date) -> QuerySet:
        if value >= datetime.date.max:
            return queryset
        return queryset.filter(occurred_at__lt=_start_of(value + datetime.timedelta(days=1)))


def _start_of(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=datetime.UTC)
