"""The API side of large exports: 202 with a status URL, the status, then the file.

``GET /api/v1/incidents/export.csv`` (or ``.json``) past ``EXPORT_BACKGROUND_ROWS`` rows
answers 202 with the job's status and its URL (also in ``Location``). The status URL tells
the state, rows written and the estimated total and, once ready, the download URL. Both
carry the job's unguessable token; a staff client's job (it may hold unpublished cases) is
answered to its owner only, and to anyone else as a 404.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from .. import export_jobs
from ..export_job_views import file_response
from ..models import ExportJob

ANYONE = [{"tokenAuth": []}, {"cookieAuth": []}, {}]
TOKEN = OpenApiParameter(
    "token",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    pattern=r"^[A-Za-z0-9_-]{20,64}$",
    description="The job's token, from the export's 202 answer.",
)
ERROR = {"$ref": "#/components/schemas/Error"}


class ExportJobSerializer(serializers.Serializer):
    """Documents the status; the body is written by ``job_status``."""

    state = serializers.ChoiceField(choices=ExportJob.State.choices)
    format = serializers.ChoiceField(choices=ExportJob.Format.choices)
    rows_written = serializers.IntegerField(help_text="Rows in the file so far.")
    estimated_total = serializers.IntegerField(
        allow_null=True, help_text="How many rows the file will hold; null until counted."
    )
    status_url = serializers.URLField(help_text="This status: poll it until ready or failed.")
    download_url = serializers.URLField(allow_null=True, help_text="Once ready: the file.")
    expires_at = serializers.DateTimeField(
        allow_null=True, help_text="Once ready: when the file is deleted."
    )
    size = serializers.IntegerField(allow_null=True, help_text="Once ready: bytes.")
    sha256 = serializers.CharField(allow_null=True, help_text="Once ready: the file's SHA-256.")
    error = serializers.CharField(help_text="Why it failed; empty otherwise.")


def job_status(request: HttpRequest, job: ExportJob) -> dict[str, Any]:
    ready = job.is_downloadable()
    return {
        "state": ExportJob.State.EXPIRED
        if job.state == ExportJob.State.READY and not ready
        else job.state,
        "format": job.export_format,
        "rows_written": job.rows_written,
        "estimated_total": job.estimated_total,
        "status_url": request.build_absolute_uri(
            reverse("api:incident-export-job", args=[job.token])
        ),
        "download_url": request.build_absolute_uri(
            reverse("api:incident-export-job-download", args=[job.token])
        )
        if ready
        else None,
        "expires_at": job.expires_at.isoformat() if ready else None,
        "size": job.size if ready else None,
        "sha256": job.sha256 if ready else None,
        "error": job.error if job.state == ExportJob.State.FAILED else "",
    }


def accepted(request: HttpRequest, job: ExportJob) -> HttpResponse:
    """The answer to an export that became a job: 202, its status, and where to poll."""
    body = job_status(request, job)
    response = JsonResponse(body, status=status.HTTP_202_ACCEPTED)
    response["Location"] = body["status_url"]
    response["Cache-Control"] = "private, no-store"
    return response


def _job_or_404(request, token: str) -> ExportJob:
    job = export_jobs.job_for(token, request.user)
    if job is None:
        raise exceptions.NotFound
    return job


class NotReady(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("The file is not ready yet: poll the status URL.")
    default_code = "not_ready"


class Gone(exceptions.APIException):
    status_code = status.HTTP_410_GONE
    default_detail = _("The file has expired or failed: ask for the export again.")
    default_code = "gone"


@extend_schema(tags=["incidents"], auth=ANYONE, parameters=[TOKEN])
class ExportJobStatusView(GenericAPIView):
    """A large export's progress and, once ready, its download URL."""

    permission_classes = [AllowAny]
    pagination_class = None
    serializer_class = ExportJobSerializer

    @extend_schema(responses={200: ExportJobSerializer})
    def get(self, request, token: str) -> Response:
        response = Response(job_status(request, _job_or_404(request, token)))
        response["Cache-Control"] = "private, no-store"
        return response


@extend_schema(tags=["incidents"], auth=ANYONE, parameters=[TOKEN])
class ExportJobDownloadView(GenericAPIView):
    """A ready export's file, checked against its SHA-256 before it is sent."""

    permission_classes = [AllowAny]
    pagination_class = None

    @extend_schema(
        responses={
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description="CSV rows."),
            (200, "application/json"): OpenApiResponse(
                OpenApiTypes.OBJECT,
                description='{"columns": {name: meaning}, "incidents": [rows]}',
            ),
            409: OpenApiResponse(ERROR, description="Not ready yet: poll the status URL."),
            410: OpenApiResponse(
                ERROR,
                description="Expired, failed, or its stored file was damaged: ask again.",
            ),
        }
    )
    def get(self, request, token: str) -> HttpResponse:
        job = _job_or_404(request, token)
        if job.is_active:
            raise NotReady
        if not job.is_downloadable():
            raise Gone
        try:
            return file_response(request, job, via=ExportJob.Via.API)
        except export_jobs.DamagedFile as error:
            export_jobs.discard_damaged(job, str(error))
            raise Gone(
                _("The stored file was damaged and has been deleted: ask for the export again.")
            ) from error
