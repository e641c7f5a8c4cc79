"""Large exports as background jobs: queued -> running -> ready | failed; ready -> expired.

An export of more than ``EXPORT_BACKGROUND_ROWS`` cases would outlast the web server's
timeout as a stream, so it becomes an ``ExportJob`` row; the Celery task only carries its
id. The worker rebuilds the queryset from the job's canonical filter through the same
filter classes and visibility gate as the stream (``published()`` for the pages and
anonymous API clients, ``visible_to(owner)`` for staff), writes the rows with the stream's
own generators (``exports.csv_lines`` / ``json_chunks``), so the file is byte for byte what
the stream would have sent, and reports its progress on the row.

A file is never seen half-written: it is written under a temporary name in its folder,
fsync'd, moved into place with ``os.replace``, and only then is the job marked ready, by a
conditional update that also proves the worker still owns the job (a worker presumed dead
and replaced does not get to publish its file). Its SHA-256 is recorded with it and checked
again before every download. Ready files expire after ``EXPORT_EXPIRY_HOURS``; the sweeper
(Celery beat) deletes them, with whatever a killed worker left behind.

Identical requests share one live job: the key is the format, the way in (page or API), the
filter as a canonical query string, the scope (public, or the one staff member whose file
may hold unpublished cases) and the language (country names and case addresses are
localized). A failed or expired job is replaced by a new one when someone asks again.
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import json
import logging
import os
import secrets
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.files.storage import storages
from django.db import IntegrityError, transaction
from django.db.models import Model, Q, QuerySet
from django.http import QueryDict
from django.utils import timezone, translation

from casefile import jobs as background
from casefile.queue import send_on_commit
from casefile.roles import can_read_unpublished

from . import exports
from .filters import IncidentFilter
from .models import ExportJob, Incident

log = logging.getLogger(__name__)
State = ExportJob.State

# The worker reports its progress on the row every this many rows, or at least this often.
PROGRESS_EVERY_ROWS = 5_000
PROGRESS_EVERY_SECONDS = 1.0
# A job whose worker keeps dying (killed mid-export) is failed after this many attempts.
MAX_ATTEMPTS = 3
# Failed and expired rows stay this long (the page tells what happened), then go.
KEEP_FINISHED = datetime.timedelta(days=7)
READ_BLOCK = 1 << 16
TEMP_SUFFIX = ".part"


class ExportNotPossible(Exception):
    """The job's filter no longer validates (a chosen organization was unpublished)."""


class LostClaim(Exception):
    """The job was failed or handed to another worker while this one was writing it."""


class DamagedFile(Exception):
    """The stored file is missing or no longer matches its recorded size and hash."""


# Claims, heartbeats, attempts and the sweep of lost jobs (casefile.jobs).
EXPORTS = background.JobKind(
    model=ExportJob,
    working=State.RUNNING,
    heartbeat="progress_at",
    max_attempts=lambda: MAX_ATTEMPTS,
)


def storage():
    return storages["exports"]


# Requests.


def owner_for(user, via: str) -> Any:
    """Who alone may read the file: the staff member whose API export may hold unpublished
    cases; None for a public file (the pages export published cases for everyone)."""
    if via == ExportJob.Via.API and can_read_unpublished(user):
        return user
    return None


def export_filter(via: str, data: QueryDict, owner) -> IncidentFilter:
    """The filter the stream uses for this way in, over what the scope may see."""
    if via == ExportJob.Via.API:
        from .api.filters import IncidentApiFilter

        user = owner if owner is not None else AnonymousUser()
        return IncidentApiFilter(data, queryset=Incident.objects.visible_to(user))
    return IncidentFilter(data, queryset=Incident.objects.published())


def _text(value: Any) -> str:
    if isinstance(value, Model):
        return str(value.pk)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def canonical_query(incident_filter: IncidentFilter) -> str:
    """The cleaned filter as a query string: the same cases give the same text, whatever
    order or spelling the request used. Only what changes the file is kept."""
    cleaned = incident_filter.form.cleaned_data
    pairs = []
    for name in sorted(incident_filter.filters):
        value = cleaned.get(name)
        if name == "ordering":
            # Exports are every match by date: newest first unless "date" (oldest first).
            if value == "date":
                pairs.append((name, "date"))
            continue
        if value is None or value == "":
            continue
        values = value if isinstance(value, list | tuple | set | QuerySet) else [value]
        pairs.extend((name, text) for text in sorted({_text(item) for item in values}))
    return urlencode(pairs)


def job_key(*, export_format: str, via: str, query: str, owner, language: str) -> str:
    scope = f"user:{owner.pk}" if owner is not None else "public"
    identity = json.dumps([export_format, via, query, scope, language])
    return hashlib.sha256(identity.encode()).hexdigest()


def export_job_request(*, actor, data: QueryDict, export_format: str, via: str) -> ExportJob:
    """The live job for this export (identical requests share one), or a new queued one.

    ``data`` must be a valid filter (the view has checked it). The language is the active
    one. The task is sent after commit; without a broker it runs then, in this process.
    """
    owner = owner_for(actor, via)
    incident_filter = export_filter(via, data, owner)
    if not incident_filter.is_valid():
        raise ExportNotPossible(incident_filter.form.errors.as_text())
    query = canonical_query(incident_filter)
    language = translation.get_language() or settings.LANGUAGE_CODE
    key = job_key(export_format=export_format, via=via, query=query, owner=owner, language=language)
    now = timezone.now()
    stale = now - datetime.timedelta(seconds=settings.EXPORT_STALE_AFTER)
    live = ExportJob.objects.filter(key=key, state__in=ExportJob.LIVE_STATES)
    with transaction.atomic():
        job = live.select_for_update().first()
        if job is not None and job.state == State.READY and not job.is_downloadable(now):
            _expire(job)
            job = None
        elif job is not None and job.state == State.RUNNING and job.progress_at < stale:
            # Its worker died; the sweeper would queue it again, but this visitor is waiting.
            if background.take_back(EXPORTS, job, now=now, stopped=stopped_message):
                remove_attempt_files(job)
            job.refresh_from_db()
            if job.state == State.QUEUED:
                send_on_commit(_task(), job.pk)
                return job
            job = None
        elif job is not None and job.state == State.QUEUED and job.queued_at < stale:
            # Its message never reached the broker (or was lost): send it again.
            background.mark_resent(EXPORTS, job.pk, now=now)
            send_on_commit(_task(), job.pk)
        if job is not None:
            return job
        try:
            with transaction.atomic():
                job = ExportJob.objects.create(
                    token=secrets.token_urlsafe(32),
                    key=key,
                    export_format=export_format,
                    via=via,
                    query=query,
                    language=language,
                    owner=owner,
                    queued_at=now,
                )
        except IntegrityError:  # The same export was asked for a moment ago.
            return live.get()
        # If the broker is down the job stays queued: the sweeper, or the next identical
        # request, sends it again.
        send_on_commit(_task(), job.pk)
    return job


def _task():
    from .tasks import export_incidents

    return export_incidents


def may_read(job: ExportJob, user) -> bool:
    """A public job: whoever holds its token. A staff job: its owner, while still staff."""
    if job.owner_id is None:
        return True
    return (
        user is not None
        and user.is_authenticated
        and user.pk == job.owner_id
        and can_read_unpublished(user)
    )


def job_for(token: str, user) -> ExportJob | None:
    """The job behind ``token`` if ``user`` may see it; None (a 404) otherwise."""
    job = ExportJob.objects.filter(token=token).first()
    if job is None or not may_read(job, user):
        return None
    return job


# The worker.


def claim(job_id: int) -> ExportJob | None:
    """Take a queued job for this worker, or return None if someone else has it."""
    return background.claim(
        EXPORTS, job_id, select_related=["owner"], rows_written=0, unpublished_rows=0
    )


def job_queryset(job: ExportJob) -> QuerySet[Incident]:
    """The cases of the job, ordered as the stream orders them."""
    incident_filter = export_filter(job.via, QueryDict(job.query), job.owner)
    if not incident_filter.is_valid():
        raise ExportNotPossible(
            "The filter is no longer valid: " + incident_filter.form.errors.as_text()
        )
    ascending = incident_filter.form.cleaned_data.get("ordering") == "date"
    order = ("occurred_on", "id") if ascending else ("-occurred_on", "-id")
    return incident_filter.matching.order_by(*order)


def run(job_id: int) -> str:
    """Write the job's file. Returns what happened, for logs and tests."""
    job = claim(job_id)
    if job is None:
        return "not claimed"
    try:
        with translation.override(job.language):
            queryset = job_queryset(job)
            # The exact count: a few hundred milliseconds at a million cases, next to
            # minutes of writing, and the progress bar is then right.
            total = queryset.count()
            background.beat(EXPORTS, job, estimated_total=total)
            written = _write(job, queryset)
    except ExportNotPossible as error:
        fail(job, str(error))
        return "failed"
    except LostClaim:
        remove_attempt_files(job)
        return "lost claim"
    except OSError as error:  # The disk is full, or the folder cannot be written.
        log.exception("Export job %s could not write its file", job.pk)
        fail(job, f"The file could not be written ({type(error).__name__}). Ask again later.")
        return "failed"
    return _finish(job, written)


class _Progress:
    """Reports rows written on the job row every so many rows or seconds."""

    def __init__(self, job: ExportJob) -> None:
        self.job = job
        self.reported = 0
        self.at = time.monotonic()

    def tick(self, tally: exports.Tally) -> None:
        if tally.rows == self.reported:
            return
        now = time.monotonic()
        if tally.rows - self.reported < PROGRESS_EVERY_ROWS and now - self.at < (
            PROGRESS_EVERY_SECONDS
        ):
            return
        if not background.beat(EXPORTS, self.job, rows_written=tally.rows):
            raise LostClaim
        self.reported, self.at = tally.rows, now


@dataclass
class Written:
    name: str
    sha256: str
    size: int
    rows: int
    unpublished: int


def _chunks(job: ExportJob, queryset: QuerySet[Incident], tally: exports.Tally) -> Iterator[Any]:
    if job.export_format == ExportJob.Format.JSON:
        return exports.json_chunks(queryset, tally)
    return exports.csv_lines(queryset, tally)


def _folder() -> Path:
    folder = Path(storage().path(""))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _write(job: ExportJob, queryset: QuerySet[Incident]) -> Written:
    folder = _folder()
    name = f"{job.pk}-{job.attempts}.{job.export_format}"
    descriptor, temporary = tempfile.mkstemp(
        dir=folder, prefix=f".{job.pk}-{job.attempts}-", suffix=TEMP_SUFFIX
    )
    tally = exports.Tally()
    progress = _Progress(job)
    digest, size = hashlib.sha256(), 0
    try:
        with os.fdopen(descriptor, "wb", buffering=1 << 20) as out:
            for chunk in _chunks(job, queryset, tally):
                # The generators give text today; bytes are taken as they come.
                data = chunk.encode() if isinstance(chunk, str) else bytes(chunk)
                out.write(data)
                digest.update(data)
                size += len(data)
                progress.tick(tally)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, folder / name)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
    # The move itself survives a crash only once the folder is on disk too.
    _fsync_folder(folder)
    return Written(name, digest.hexdigest(), size, tally.rows, tally.unpublished)


def _fsync_folder(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _finish(job: ExportJob, written: Written) -> str:
    now = timezone.now()
    ready = background.held(EXPORTS, job).update(
        state=State.READY,
        file_name=written.name,
        sha256=written.sha256,
        size=written.size,
        rows_written=written.rows,
        unpublished_rows=written.unpublished,
        progress_at=now,
        finished_at=now,
        expires_at=now + datetime.timedelta(hours=settings.EXPORT_EXPIRY_HOURS),
    )
    if not ready:
        # Failed or handed to another worker meanwhile: this file is nobody's.
        _delete(written.name)
        return "lost claim"
    log.info("Export job %s ready: %s rows, %s bytes", job.pk, written.rows, written.size)
    return "ready"


def fail(job: ExportJob, message: str) -> None:
    log.warning("Export job %s failed: %s", job.pk, message)
    if background.fail(EXPORTS, job, message):
        remove_attempt_files(job)


def remove_attempt_files(job: ExportJob) -> list[str]:
    """Delete the files of this job's attempts that it does not hand out."""
    try:
        names = os.listdir(_folder())
    except FileNotFoundError:
        return []
    keep = (
        ExportJob.objects.filter(pk=job.pk, state=State.READY)
        .values_list("file_name", flat=True)
        .first()
    )
    removed = []
    for name in names:
        if (name.startswith(f"{job.pk}-") or name.startswith(f".{job.pk}-")) and name != keep:
            _delete(name)
            removed.append(name)
    return removed


def _delete(name: str) -> None:
    try:
        (_folder() / name).unlink(missing_ok=True)
    except OSError as error:  # Tried again by the next sweep.
        log.warning("Could not remove the export file %s: %s", name, error)


# Downloads.


def open_verified(job: ExportJob) -> IO[bytes]:
    """The job's file, open at its start, after checking its size and SHA-256.

    The whole file is read once before anything is sent: a damaged file is refused, not
    half-sent. The same open file is then served, so a file swapped after the check is not.
    """
    path = _folder() / job.file_name
    try:
        handle = path.open("rb")
    except FileNotFoundError as error:
        raise DamagedFile("The export's file is missing.") from error
    try:
        if os.fstat(handle.fileno()).st_size != job.size:
            raise DamagedFile("The export's file does not have its recorded size.")
        digest = hashlib.sha256()
        for block in iter(lambda: handle.read(READ_BLOCK), b""):
            digest.update(block)
        if not secrets.compare_digest(digest.hexdigest(), job.sha256):
            raise DamagedFile("The export's file does not match its recorded SHA-256.")
        handle.seek(0)
    except BaseException:
        handle.close()
        raise
    return handle


def discard_damaged(job: ExportJob, reason: str) -> None:
    """Fail a ready job whose file is damaged, so that asking again makes a new one."""
    log.error("Export job %s: %s The file is discarded.", job.pk, reason)
    if ExportJob.objects.filter(pk=job.pk, state=State.READY).update(
        state=State.FAILED, error=reason[:2000], finished_at=timezone.now()
    ):
        _delete(job.file_name)


# The sweeper.


def _expire(job: ExportJob) -> None:
    if ExportJob.objects.filter(pk=job.pk, state=State.READY).update(state=State.EXPIRED):
        transaction.on_commit(lambda: _delete(job.file_name))


def stopped_message(attempts: int, *, retrying: bool = False) -> str:
    """The error of a job whose worker stopped reporting, queued again or failed after
    ``MAX_ATTEMPTS``."""
    if retrying:
        return "The export stopped unexpectedly; trying again."
    return (
        f"The export stopped unexpectedly {attempts} times. Ask again later; if it "
        "keeps stopping, tell the administrator (the worker's log says why)."
    )


def sweep(now: datetime.datetime | None = None) -> list[int]:
    """Expire old files, take back lost jobs and clear leftovers; return the ids to send."""
    now = now or timezone.now()
    stale = now - datetime.timedelta(seconds=settings.EXPORT_STALE_AFTER)
    for job in ExportJob.objects.filter(state=State.READY, expires_at__lte=now):
        _expire(job)
    to_send = background.sweep(
        EXPORTS,
        now=now,
        stale_before=stale,
        stopped=stopped_message,
        released=lambda job, _state: remove_attempt_files(job),
    )
    ExportJob.objects.filter(
        Q(state=State.FAILED, finished_at__lt=now - KEEP_FINISHED)
        | Q(state=State.EXPIRED, expires_at__lt=now - KEEP_FINISHED)
    ).delete()
    _remove_leftovers(stale)
    return to_send


def _remove_leftovers(before: datetime.datetime) -> None:
    """Files no ready job hands out, untouched since ``before``: temporary files of killed
    workers, files moved into place by a worker that lost its claim, expired files whose
    deletion failed. Recent ones may belong to a worker still at work."""
    try:
        folder = _folder()
        entries = list(os.scandir(folder))
    except OSError as error:
        log.warning("Could not list the export files: %s", error)
        return
    served = set(ExportJob.objects.filter(state=State.READY).values_list("file_name", flat=True))
    cutoff = before.timestamp()
    for entry in entries:
        with contextlib.suppress(FileNotFoundError):
            if entry.is_file() and entry.name not in served and entry.stat().st_mtime < cutoff:
                _delete(entry.name)
