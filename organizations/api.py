"""Organizations and perpetrator groups on the API.

Public exactly when a published incident names them (``published()``); staff readers see
them all. A record only a draft names answers 404, as if it did not exist.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.permissions import AllowAny

from .models import Organization, PerpetratorGroup

SEARCH = OpenApiParameter(
    "q", str, description="Words in the name (or acronym, or aliases); at most 100 characters."
)


def _search_term(request) -> str:
    return request.query_params.get("q", "").replace("\x00", "").strip()[:100]


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

    def to_representation(self, organization: Organization) -> dict[str, Any]:
        request = self.context["request"]
        return {
            "id": organization.pk,
            "name": organization.name,
            "acronym": organization.acronym,
            "kind": organization.kind,
            "country": organization.country.code or "",
            "city": organization.city,
            "founded_year": organization.founded_year,
            "member_organizations": organization.member_organizations,
            "about": organization.about,
            "website": organization.website,
            "url": request.build_absolute_uri(organization.get_absolute_url()),
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

    def to_representation(self, group: PerpetratorGroup) -> dict[str, Any]:
        request = self.context["request"]
        return {
            "id": group.pk,
            "name": group.name,
            "aliases": group.alias_list,
            "kind": group.kind,
            "is_state_actor": group.is_state_actor,
            "country": group.country.code or "",
            "description": group.description,
            "url": request.build_absolute_uri(group.get_absolute_url()),
        }


@extend_schema_view(list=extend_schema(parameters=[SEARCH]))
@extend_schema(tags=["organizations"])
class OrganizationViewSet(viewsets.ReadOnlyModelViewSet):
    """Targeted organizations, by name."""

    permission_classes = [AllowAny]
    serializer_class = OrganizationSerializer

    def get_queryset(self) -> QuerySet[Organization]:
        queryset = Organization.objects.visible_to(self.request.user)
        if self.action == "list":
            queryset = queryset.search(_search_term(self.request))
        return queryset.order_by("name", "id")


@extend_schema_view(list=extend_schema(parameters=[SEARCH]))
@extend_schema(tags=["organizations"])
class PerpetratorGroupViewSet(viewsets.ReadOnlyModelViewSet):
    """Perpetrator groups, by name."""

    permission_classes = [AllowAny]
    serializer_class = PerpetratorGroupSerializer

    def get_queryset(self) -> QuerySet[PerpetratorGroup]:
        queryset = PerpetratorGroup.objects.visible_to(self.request.user)
        if self.action == "list":
            queryset = queryset.search(_search_term(self.request))
        return queryset.order_by("name", "id")
