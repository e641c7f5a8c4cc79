"""Organizations and perpetrator groups on the API.

Public exactly when a published incident names them (``published()``); staff readers see
them all. A record only a draft names answers 404, as if it did not exist.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.permissions import AllowAny

from casefile.forms import search_term
from casefile.translatable import original_language_choices, reader_language

from .models import (
    Organization,
    OrganizationTranslation,
    PerpetratorGroup,
    PerpetratorGroupTranslation,
)

SEARCH = OpenApiParameter(
    "q", str, description="Words in the name (or acronym, or aliases); at most 100 characters."
)


def _in_reader_language(model) -> Prefetch:
    return Prefetch("translations", model.objects.filter(language=reader_language()))


class OrganizationSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    acronym = serializers.CharField(read_only=True)
    kind = serializers.ChoiceField(choices=Organization.Kind.choices, read_only=True)
    country = serializers.CharField(read_only=True, help_text="ISO 3166-1 alpha-2, or empty.")
    city = serializers.CharField(read_only=True)
    founded_year = serializers.IntegerField(read_only=True, allow_null=True)
    member_organizations = serializers.IntegerField(read_only=True, allow_null=True)
    about = serializers.CharField(read_only=True)
    website = serializers.CharField(read_only=True)
    url = serializers.URLField(read_only=True, help_text="The public page.")
    original_language = serializers.ChoiceField(choices=original_language_choices(), read_only=True)
    untranslated_fields = serializers.ListField(child=serializers.CharField(), read_only=True)

    def to_representation(self, organization: Organization) -> dict[str, Any]:
        request = self.context["request"]
        text = organization.localized()
        return {
            "id": organization.pk,
            "name": text.name.value,
            "acronym": organization.acronym,
            "kind": organization.kind,
            "country": organization.country.code or "",
            "city": organization.city,
            "founded_year": organization.founded_year,
            "member_organizations": organization.member_organizations,
            "about": text.about.value,
            "website": organization.website,
            "url": request.build_absolute_uri(organization.get_absolute_url()),
            "original_language": organization.original_language,
            "untranslated_fields": text.untranslated_fields(),
        }


class PerpetratorGroupSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    aliases = serializers.ListField(child=serializers.CharField(), read_only=True)
    kind = serializers.ChoiceField(choices=PerpetratorGroup.Kind.choices, read_only=True)
    is_state_actor = serializers.BooleanField(read_only=True)
    country = serializers.CharField(read_only=True, help_text="ISO 3166-1 alpha-2, or empty.")
    description = serializers.CharField(read_only=True)
    url = serializers.URLField(read_only=True, help_text="The public page.")
    original_language = serializers.ChoiceField(choices=original_language_choices(), read_only=True)
    untranslated_fields = serializers.ListField(child=serializers.CharField(), read_only=True)

    def to_representation(self, group: PerpetratorGroup) -> dict[str, Any]:
        request = self.context["request"]
        text = group.localized()
        return {
            "id": group.pk,
            "name": text.name.value,
            "aliases": group.alias_list,
            "kind": group.kind,
            "is_state_actor": group.is_state_actor,
            "country": group.country.code or "",
            "description": text.description.value,
            "url": request.build_absolute_uri(group.get_absolute_url()),
            "original_language": group.original_language,
            "untranslated_fields": text.untranslated_fields(),
        }


@extend_schema_view(list=extend_schema(parameters=[SEARCH]))
@extend_schema(tags=["organizations"])
class OrganizationViewSet(viewsets.ReadOnlyModelViewSet):
    """Targeted organizations, by name."""

    permission_classes = [AllowAny]
    serializer_class = OrganizationSerializer

    def get_queryset(self) -> QuerySet[Organization]:
        queryset = Organization.objects.visible_to(self.request.user).prefetch_related(
            _in_reader_language(OrganizationTranslation)
        )
        if self.action == "list":
            queryset = queryset.search(search_term(self.request.query_params))
        return queryset.order_by("name", "id")


@extend_schema_view(list=extend_schema(parameters=[SEARCH]))
@extend_schema(tags=["organizations"])
class PerpetratorGroupViewSet(viewsets.ReadOnlyModelViewSet):
    """Perpetrator groups, by name."""

    permission_classes = [AllowAny]
    serializer_class = PerpetratorGroupSerializer

    def get_queryset(self) -> QuerySet[PerpetratorGroup]:
        queryset = PerpetratorGroup.objects.visible_to(self.request.user).prefetch_related(
            _in_reader_language(PerpetratorGroupTranslation)
        )
        if self.action == "list":
            queryset = queryset.search(search_term(self.request.query_params))
        return queryset.order_by("name", "id")
