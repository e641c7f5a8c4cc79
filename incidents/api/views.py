"""The case viewset: ``/api/v1/incidents/``.

Lists start from ``Incident.objects.visible_to(user)``: published cases for anonymous
clients, everything for staff readers. Writes are read by ``IncidentWriteSerializer``
(``writes``), which checks them with the staff form's rules, and saved by ``incident_save``,
where the role rules of ``incidents.roles`` and ``casefile.roles`` apply.
"""

from __future__ import annotations

import json
from typing import Any

from django.db.models import F, Prefetch, QuerySet
from django.db.models.functions import JSONObject
from django.http import HttpResponse
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, status, viewsets
from rest_framework.parsers import JSONParser
from rest_framework.response import Response

from casefile.api.lookup import get_by_id_or_slug
from casefile.api.rows import json_list_subquery
from casefile.audit.services import audit_unpublished_read
from casefile.translatable import in_reader_language
from organizations.models import OrganizationTranslation, PerpetratorGroupTranslation

from ..hooks import api_detail_related
from ..models import Figure, Incident, IncidentPerpetrator, Update
from ..services import incident_save
from . import rows
from .filters import IncidentApiFilter
from .permissions import IncidentPermission
from .serializers import IncidentDetailSerializer, IncidentSerializer
from .writes import IncidentWriteSerializer


def incident_list_queryset(queryset: QuerySet[Incident]) -> QuerySet[Incident]:
    """One query per page: status joined, organizations and perpetrators as JSON arrays."""
    return (
        queryset.select_related("status")
        .defer("search_vector", "narrative", "latitude", "longitude")
        .annotate(
            organization_items=json_list_subquery(
                Incident.organizations.through.objects.all(),
                "incident",
                JSONObject(
                    id=F("organization_id"),
                    name=in_reader_language(
                        OrganizationTranslation.objects.all(),
                        "name",
                        owner="organization",
                        record="organization_id",
                        original="organization__name",
                    ),
                    acronym=F("organization__acronym"),
                ),
            ),
            perpetrator_items=json_list_subquery(
                IncidentPerpetrator.objects.all(),
                "incident",
                JSONObject(
                    id=F("perpetrator_group_id"),
                    name=in_reader_language(
                        PerpetratorGroupTranslation.objects.all(),
                        "name",
                        owner="group",
                        record="perpetrator_group_id",
                        original="perpetrator_group__name",
                    ),
                    kind=F("perpetrator_group__kind"),
                    involvement=F("involvement"),
                ),
            ),
        )
        .with_reader_translation()
    )


INCIDENT_LOOKUP = OpenApiParameter(
    "id",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    description="The incident's id or its slug.",
)


WRITE_EXAMPLE = OpenApiExample(
    "A case",
    request_only=True,
    value={
        "title": "Journalist detained in Osh",
        "summary": "Detained after publishing a report on local elections.",
        "occurred_on": "2024-03-02",
        "country": "KG",
        "status": "arbitrary-detention",
        "organizations": [],
    },
)

# Reads are open to anonymous clients (published cases only); writes need a staff login.
ANYONE = [{"tokenAuth": []}, {"cookieAuth": []}, {}]


@extend_schema_view(list=extend_schema(auth=ANYONE), retrieve=extend_schema(auth=ANYONE))
@extend_schema(tags=["incidents"])
class IncidentViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Cases. Anonymous clients see published cases; staff see what their role allows.

    Lists are newest first (``-occurred_on, -id``) with keyset cursors; ``ordering=date``
    reverses it; ``ordering=relevance`` (with ``q``) ranks the newest 2000 matches.
    """

    permission_classes = [IncidentPermission]
    # JSON only: a form or multipart body cannot carry the lists (organizations,
    # violation_types) the way the schema describes them.
    parser_classes = [JSONParser]
    filter_backends = [DjangoFilterBackend]
    filterset_class = IncidentApiFilter
    lookup_field = "id"
    lookup_value_regex = r"[^/]+"

    def get_serializer_class(self):
        return IncidentSerializer if self.action == "list" else IncidentDetailSerializer

    def get_queryset(self) -> QuerySet[Incident]:
        # Unordered here: IncidentFilter orders (date, reverse date or relevance).
        return Incident.objects.visible_to(self.request.user)

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        if not rows.available():
            page = self.paginate_queryset(incident_list_queryset(queryset))
            return self.get_paginated_response(self.get_serializer(page, many=True).data)
        writer = rows.RowWriter(request)
        page = self.paginate_queryset(rows.as_json_rows(queryset))
        body = rows.page_body(
            self.paginator.get_next_link(),
            self.paginator.get_previous_link(),
            map(writer.row, page),
        )
        if request.accepted_renderer.format != "json":  # the browsable API renders data
            return Response(json.loads(body))
        return HttpResponse(body, content_type="application/json")

    def get_object(self) -> Incident:
        visible = self.get_queryset()
        incident = get_by_id_or_slug(
            incident_list_queryset(visible).prefetch_related(
                "violation_types",
                "sources",
                Prefetch("figures", queryset=Figure.objects.prefetch_related("translations")),
                "translations",
                Prefetch(
                    "updates",
                    queryset=Update.objects.select_related("status").prefetch_related(
                        "translations"
                    ),
                ),
                *(related.prefetch(self.request.user) for related in api_detail_related.values()),
            ),
            self.kwargs["id"],
        )
        self.check_object_permissions(self.request, incident)
        return incident

    @extend_schema(parameters=[INCIDENT_LOOKUP])
    def retrieve(self, request, *args, **kwargs):
        incident = self.get_object()
        if not incident.is_published:  # only staff get this far with one
            audit_unpublished_read(request=request, obj=incident)
        return Response(self.get_serializer(incident).data)

    @extend_schema(
        request=IncidentWriteSerializer,
        responses={201: IncidentDetailSerializer, 400: OpenApiResponse(description="Invalid.")},
        examples=[WRITE_EXAMPLE],
    )
    def create(self, request, *args, **kwargs):
        """File a new case (a draft). Editors and reviewers."""
        incident = self._save(None, partial=False)
        return Response(self._detail(incident), status=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[INCIDENT_LOOKUP],
        request=IncidentWriteSerializer,
        responses={200: IncidentDetailSerializer, 400: OpenApiResponse(description="Invalid.")},
        examples=[WRITE_EXAMPLE],
    )
    def update(self, request, *args, **kwargs):
        """Replace a case's fields. Editors: drafts; reviewers: any case not withdrawn."""
        incident = self._save(self.get_object(), partial=False)
        return Response(self._detail(incident))

    @extend_schema(
        parameters=[INCIDENT_LOOKUP],
        request=IncidentWriteSerializer,
        responses={200: IncidentDetailSerializer, 400: OpenApiResponse(description="Invalid.")},
        examples=[WRITE_EXAMPLE],
    )
    def partial_update(self, request, *args, **kwargs):
        """Change some of a case's fields; the others keep their values."""
        incident = self._save(self.get_object(), partial=True)
        return Response(self._detail(incident))

    def _save(self, incident: Incident | None, *, partial: bool) -> Incident:
        """Check the body (a PATCH over ``incident``'s values) and save it."""
        if incident is not None:
            # A fresh, plain instance: the serializer must not see the list annotations.
            incident = Incident.objects.get(pk=incident.pk)
        body = IncidentWriteSerializer(
            incident,
            data=self.request.data,
            partial=partial,
            context=self.get_serializer_context(),
        )
        body.is_valid(raise_exception=True)
        return incident_save(actor=self.request.user, incident=incident, fields=body.validated_data)

    def _detail(self, incident: Incident) -> dict[str, Any]:
        self.kwargs["id"] = str(incident.pk)
        return self.get_serializer(self.get_object()).data
