"""The filtered cases as a download: ``/api/v1/incidents/export.csv`` and ``.json``."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpResponse
from django_filters.rest_framework import DjangoFilterBackend
from django_filters.utils import translate_validation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny

from .. import export_job_views
from ..models import Incident
from .export_jobs import ExportJobSerializer
from .filters import IncidentApiFilter


@extend_schema(tags=["incidents"])
class IncidentExportView(GenericAPIView):
    """The filtered cases as a CSV or JSON download, streamed (columns: see README).

    Every match in date order (``ordering=date`` for oldest first); never the relevance
    window. Anonymous clients get published cases only.
    """

    permission_classes = [AllowAny]
    filter_backends = [DjangoFilterBackend]
    filterset_class = IncidentApiFilter
    pagination_class = None
    export_format = "csv"

    def get_queryset(self) -> QuerySet[Incident]:
        return Incident.objects.visible_to(self.request.user)

    @extend_schema(
        responses={
            (200, "text/csv"): OpenApiResponse(
                OpenApiTypes.STR,
                description="CSV rows; the X-Casefile-Rows header says how many.",
            ),
            (200, "application/json"): OpenApiResponse(
                OpenApiTypes.OBJECT,
                description=(
                    '{"columns": {name: meaning}, "incidents": [rows], "count": N}: the count '
                    "comes last, so a cut download does not parse."
                ),
            ),
            (202, "application/json"): OpenApiResponse(
                ExportJobSerializer,
                description=(
                    "More rows than EXPORT_BACKGROUND_ROWS: the export is a job. Poll "
                    "status_url (also in the Location header) until download_url is given."
                ),
            ),
        }
    )
    def get(self, request, *args, **kwargs) -> HttpResponse:
        incident_filter = IncidentApiFilter(
            request.query_params, queryset=self.get_queryset(), request=request
        )
        if not incident_filter.is_valid():
            raise translate_validation(incident_filter.errors)
        # Every match, not the relevance window: an export is not a ranked page.
        ascending = incident_filter.form.cleaned_data.get("ordering") == "date"
        order = ("occurred_on", "id") if ascending else ("-occurred_on", "-id")
        queryset = incident_filter.matching.order_by(*order)
        # Past EXPORT_BACKGROUND_ROWS rows: 202 and a job (incidents.api.export_jobs).
        return export_job_views.export_response(
            request, queryset, export_format=self.export_format, via="api"
        )
