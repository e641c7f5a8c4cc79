"""Exports past ``EXPORT_BACKGROUND_ROWS``: the progress page and the file (export_jobs).

The case list's export links and the API's export endpoints call ``export_response``: a
small export streams as before; a large one becomes a job, and the visitor is sent to its
page (the API answers 202 with the job's status URL, ``incidents.api.export_jobs``). The page
and the file are found by the job's unguessable token; a staff member's job (its file may
hold unpublished cases) only by its owner. Anything else is a 404, as if it did not exist.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import IO, Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db.models import QuerySet
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    JsonResponse,
    StreamingHttpResponse,
)
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_safe

from casefile.audit.models import AuditEvent
from casefile.audit.services import audit_record
from casefile.queue import unsent_tasks

from . import export_jobs, exports
from .models import ExportJob, Incident

CONTENT_TYPES = {
    ExportJob.Format.CSV: "text/csv; charset=utf-8",
    ExportJob.Format.JSON: "application/json; charset=utf-8",
}
EXPORT_URLS = {
    (ExportJob.Via.PAGE, ExportJob.Format.CSV): "incidents:export_csv",
    (ExportJob.Via.PAGE, ExportJob.Format.JSON): "incidents:export_json",
    (ExportJob.Via.API, ExportJob.Format.CSV): "api:incident-export-csv",
    (ExportJob.Via.API, ExportJob.Format.JSON): "api:incident-export-json",
}
# With JavaScript off, the page reloads itself this often while the job is under way.
REFRESH_SECONDS = 5


def export_response(
    request: HttpRequest, queryset: QuerySet[Incident], *, export_format: str, via: str
) -> HttpResponse:
    """Stream the export, or, past ``EXPORT_BACKGROUND_ROWS`` rows, hand it to a job."""
    # Counted no further than one row past the threshold: a huge export is not counted in
    # full on the web server; the worker counts it.
    count = exports.count_capped(queryset, settings.EXPORT_BACKGROUND_ROWS)
    if count is not None:
        respond = exports.json_response if export_format == "json" else exports.csv_response
        return respond(queryset, request=request, via=via, rows=count)
    with unsent_tasks() as unsent:
        job = export_jobs.export_job_request(
            actor=request.user, data=request.GET, export_format=export_format, via=via
        )
    if via == ExportJob.Via.API:
        from .api.export_jobs import accepted

        return accepted(request, job)
    if unsent:
        messages.warning(
            request,
            _(
                "The export is waiting: the task queue cannot be reached right now. "
                "It will start as soon as it can."
            ),
        )
    response = HttpResponseRedirect(job.get_absolute_url())
    response.status_code = 303
    return response


def export_url(job: ExportJob) -> str:
    """The export this job makes, to ask for it again (a new job if this one is over)."""
    url = reverse(EXPORT_URLS[(job.via, job.export_format)])
    return f"{url}?{job.query}" if job.query else url


def progress(job: ExportJob) -> dict[str, Any]:
    """What the page and its poll say about the job, in the reader's language."""
    rows, total = job.rows_written, job.estimated_total
    state = job.state
    if state == ExportJob.State.READY and not job.is_downloadable():
        state = ExportJob.State.EXPIRED  # the sweeper has not been by yet
    percent = None
    if state == ExportJob.State.READY:
        percent = 100
    elif state == ExportJob.State.RUNNING and total:
        percent = min(100, int(rows * 100 / total))
    shown = {"rows": number_format(rows, force_grouping=True)}
    if state == ExportJob.State.QUEUED:
        message = _("Waiting for a worker to start the export.")
    elif state == ExportJob.State.RUNNING and total is not None:
        shown["total"] = number_format(total, force_grouping=True)
        message = (
            ngettext(
                "Writing the file: %(rows)s of about %(total)s case.",
                "Writing the file: %(rows)s of about %(total)s cases.",
                total,
            )
            % shown
        )
    elif state == ExportJob.State.RUNNING:
        message = (
            ngettext(
                "Writing the file: %(rows)s case so far.",
                "Writing the file: %(rows)s cases so far.",
                rows,
            )
            % shown
        )
    elif state == ExportJob.State.READY:
        message = ngettext("Ready: %(rows)s case.", "Ready: %(rows)s cases.", rows) % shown
    elif state == ExportJob.State.FAILED:
        message = _("The export failed. Ask for it again.")
    else:
        message = _("This export has expired and its file was deleted. Ask for it again.")
    return {
        "state": state,
        "active": job.is_active,
        "rows_written": rows,
        "estimated_total": total,
        "percent": percent,
        "message": message,
    }


def _job_or_404(request: HttpRequest, token: str) -> ExportJob:
    job = export_jobs.job_for(token, request.user)
    if job is None:
        raise Http404
    return job


def _private(response: HttpResponse) -> HttpResponse:
    # Whoever holds the token may read it: no shared cache may keep it, no search engine
    # index it.
    patch_cache_control(response, private=True, no_store=True)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _page(request: HttpRequest, job: ExportJob, *, status: int = 200, problem: str = ""):
    return _private(
        render(
            request,
            "incidents/public/export_job.html",
            {
                "job": job,
                "progress": progress(job),
                "problem": problem,
                "again_url": export_url(job),
                "list_url": reverse("incidents:list") + (f"?{job.query}" if job.query else "")
                if job.via == ExportJob.Via.PAGE
                else "",
                "refresh_seconds": REFRESH_SECONDS,
                "expiry_hours": settings.EXPORT_EXPIRY_HOURS,
            },
            status=status,
        )
    )


@login_not_required
@require_safe
def export_job(request: HttpRequest, token: str) -> HttpResponse:
    return _page(request, _job_or_404(request, token))


@login_not_required
@require_safe
def export_job_progress(request: HttpRequest, token: str) -> JsonResponse:
    """The page's poll (static/js/export_job.js)."""
    return _private(JsonResponse(progress(_job_or_404(request, token))))


@login_not_required
@require_safe
def export_job_download(request: HttpRequest, token: str) -> HttpResponse:
    job = _job_or_404(request, token)
    if job.is_active:
        response = HttpResponseRedirect(job.get_absolute_url())
        response.status_code = 303
        return response
    if not job.is_downloadable():
        return _page(request, job, status=410)
    try:
        return file_response(request, job, via=ExportJob.Via.PAGE)
    except export_jobs.DamagedFile as error:
        export_jobs.discard_damaged(job, str(error))
        job.refresh_from_db()
        return _page(
            request,
            job,
            status=410,
            problem=_(
                "The stored file was damaged, so it was not sent and has been deleted. "
                "Ask for the export again to have it written anew."
            ),
        )


class _AuditedFile:
    """The file's blocks; once the server is done with them (all sent, or the client hung
    up), one audit event, as for a streamed export. Nothing is recorded for a response whose
    body is never read (HEAD)."""

    def __init__(self, handle: IO[bytes], record: Callable[[bool], None]) -> None:
        self.handle = handle
        self.record = record
        self.started = self.complete = self.recorded = False

    def __iter__(self) -> Iterator[bytes]:
        self.started = True
        while block := self.handle.read(export_jobs.READ_BLOCK):
            yield block
        self.complete = True

    def close(self) -> None:
        self.handle.close()
        if self.started and not self.recorded:
            self.recorded = True
            self.record(self.complete)


def file_response(request: HttpRequest, job: ExportJob, *, via: str) -> StreamingHttpResponse:
    """The ready job's file, checked against its hash first (``DamagedFile`` if it fails)."""
    handle = export_jobs.open_verified(job)

    def record(complete: bool) -> None:
        audit_record(
            action=AuditEvent.Action.EXPORTED,
            request=request,
            object_type=Incident._meta.label_lower,
            detail={
                "format": job.export_format,
                "via": via,
                "filter": job.query,
                "rows": job.rows_written,
                "unpublished_rows": job.unpublished_rows,
                "complete": complete,
                "job": job.pk,
            },
        )

    response = StreamingHttpResponse(
        _AuditedFile(handle, record), content_type=CONTENT_TYPES[job.export_format]
    )
    response["Content-Length"] = str(job.size)
    response["Content-Disposition"] = f'attachment; filename="{job.download_name}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["ETag"] = f'"{job.sha256}"'
    return _private(response)
