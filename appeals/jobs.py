"""The render-job state machine: queued -> rendering -> ready | failed.

PostgreSQL is the source of truth; the Celery task only carries a job id. A worker claims a
job with a conditional update, so a task delivered twice renders once. The version row is
created, already hashed and ready, in the same transaction that marks the job ready, and
only if the job is still this worker's: a file left behind by a killed worker is never
served. ``APPEAL_RENDER_MAX_ATTEMPTS`` is the one retry limit, counted on the job row
(``casefile.jobs``, shared with export jobs): a claim is an attempt, and the claim after the
last one fails the job.

Each failure is told as what it was: a render too slow (the soft limit, or the hard limit
whose kill the worker's main process reports), out of memory, storage or database trouble,
or a render process that stopped without a word (killed from outside, or crashed). Only the
last two are retried: trouble is queued again and raised as ``TransientRenderError`` for the
task to retry; a job whose worker died is found by ``sweep``. Files written by attempts that
did not end in a version are removed.
"""

from __future__ import annotations

import datetime
import hashlib
import logging

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import DatabaseError, transaction
from django.db.models import Max
from django.template import TemplateDoesNotExist, TemplateSyntaxError
from django.utils import timezone

from casefile import jobs as background

from .models import Appeal, AppealVersion, RenderJob
from .publication import sync_public_files
from .rendering import AppealNotRenderable, printable_appeal, render_pdf

log = logging.getLogger(__name__)
State = RenderJob.State


# Claims, attempts and the sweep of lost jobs (casefile.jobs). A render reports no progress,
# so its heartbeat is its start (see sweep).
RENDERS = background.JobKind(
    model=RenderJob,
    working=State.RENDERING,
    heartbeat="started_at",
    max_attempts=lambda: settings.APPEAL_RENDER_MAX_ATTEMPTS,
)


class TransientRenderError(Exception):
    """Storage or database trouble: worth another try after a pause."""


def claim(job_id: int) -> RenderJob | None:
    """Take a queued job for this worker, or return None if someone else has it."""
    job = background.claim(RENDERS, job_id, select_related=["appeal__incident"])
    if job is None:
        give_up_if_exhausted(job_id)
        return None
    # Whatever an earlier attempt of this job left (it was killed after writing its file).
    remove_attempt_files(job, before=job.attempts)
    return job


def give_up_if_exhausted(job_id: int) -> None:
    """Fail a job queued again after its last allowed attempt (storage kept failing)."""
    job = background.give_up(RENDERS, job_id, message=_gave_up_message)
    if job is not None:
        remove_attempt_files(job)


def _gave_up_message(job: RenderJob) -> str:
    return f"The render failed {job.attempts} times. The last error: {job.error or 'unknown'}"


def run(job_id: int) -> str:
    """Render the job's appeal. Returns what happened, for logs and tests."""
    job = claim(job_id)
    if job is None:
        return "not claimed"
    try:
        printable = printable_appeal(job.appeal, job.language)
        latest = (
            AppealVersion.objects.ready()
            .filter(appeal=job.appeal, language=job.language)
            .order_by("-number")
            .first()
        )
        if latest is not None and latest.content_hash == printable.content_hash:
            _finish(job, latest)
            return "unchanged"
        rendered = render_pdf(printable)
        if rendered.refused:
            raise AppealNotRenderable(
                "The appeal refers to resources Casefile does not serve: "
                + ", ".join(rendered.refused[:5])
            )
        return _store(job, printable.content_hash, rendered.content, rendered.page_count)
    except (AppealNotRenderable, TemplateSyntaxError, TemplateDoesNotExist) as error:
        fail(job, str(error))
        return "failed"
    except MemoryError:
        fail(job, memory_message())
        return "failed"
    except (OSError, DatabaseError) as error:
        background.requeue(RENDERS, job, f"{type(error).__name__}: {error}")
        raise TransientRenderError(str(error)) from error


def _store(job: RenderJob, content_hash: str, content: bytes, page_count: int) -> str:
    storage = storages["appeals"]
    name = storage.save(
        f"{job.appeal_id}/{job.language}/job{job.pk}-{job.attempts}.pdf", ContentFile(content)
    )
    # Hash what storage holds, not what we meant to write.
    digest, size = hashlib.sha256(), 0
    with storage.open(name, "rb") as stored:
        for chunk in iter(lambda: stored.read(1 << 16), b""):
            digest.update(chunk)
            size += len(chunk)
    with transaction.atomic():
        Appeal.objects.select_for_update().filter(pk=job.appeal_id).first()
        still_ours = background.held(RENDERS, job).select_for_update().exists()
        if not still_ours:
            transaction.on_commit(lambda: storage.delete(name))
            return "lost claim"
        last = AppealVersion.objects.filter(appeal_id=job.appeal_id, language=job.language)
        number = (last.aggregate(n=Max("number"))["n"] or 0) + 1
        version = AppealVersion.objects.create(
            appeal_id=job.appeal_id,
            language=job.language,
            number=number,
            file_name=name,
            content_hash=content_hash,
            sha256=digest.hexdigest(),
            size=size,
            page_count=page_count,
            ready_at=timezone.now(),
        )
        _finish(job, version)
        transaction.on_commit(lambda: sync_public_files(job.appeal))
    return "rendered"


def _finish(job: RenderJob, version: AppealVersion) -> None:
    background.held(RENDERS, job).update(
        state=State.READY, version=version, finished_at=timezone.now()
    )


def fail(job: RenderJob, message: str) -> None:
    log.warning("Render job %s failed: %s", job.pk, message)
    if background.fail(RENDERS, job, message):
        remove_attempt_files(job)


def memory_message() -> str:
    return (
        f"The render ran out of memory (limit {settings.APPEAL_RENDER_MEMORY_LIMIT_MB} MB). "
        "Shorten the appeal's longest sections and try again."
    )


def time_limit_message(seconds: int) -> str:
    return (
        f"The render took longer than {seconds} seconds and was stopped. "
        "Shorten the appeal's longest sections and try again."
    )


def stopped_message(attempt: int, *, retrying: bool = False) -> str:
    told = (
        "The render process stopped unexpectedly "
        f"(attempt {attempt} of {settings.APPEAL_RENDER_MAX_ATTEMPTS})."
    )
    if retrying:
        return f"{told} Trying again."
    return (
        f"{told} Try again with Generate PDF; if it keeps stopping, contact the "
        "administrator: the worker's log says why."
    )


def remove_attempt_files(job: RenderJob, *, before: int | None = None) -> list[str]:
    """Delete the files this job's attempts stored that no version refers to.

    ``_store`` names each attempt's file after the job and the attempt; a worker killed
    between storing it and recording the version leaves it behind, unreferenced. With
    ``before``, only the files of attempts earlier than that one (the current attempt's own
    file may be in the middle of being stored).
    """
    storage = storages["appeals"]
    folder = f"{job.appeal_id}/{job.language}"
    try:
        _folders, names = storage.listdir(folder)
    except FileNotFoundError:
        return []
    prefix = f"job{job.pk}-"
    candidates = set()
    for name in names:
        # job12-2.pdf, or job12-2_AbC123x.pdf if storage had to pick another name.
        attempt = name.removeprefix(prefix).split(".")[0].split("_")[0]
        if (
            name.startswith(prefix)
            and attempt.isdigit()
            and (before is None or int(attempt) < before)
        ):
            candidates.add(f"{folder}/{name}")
    referenced = set(
        AppealVersion.objects.filter(file_name__in=candidates).values_list("file_name", flat=True)
    )
    removed = []
    for path in sorted(candidates - referenced):
        try:
            storage.delete(path)
        except OSError as error:  # Tried again at the job's next failure or attempt.
            log.warning("Could not remove %s, left by render job %s: %s", path, job.pk, error)
        else:
            removed.append(path)
    if removed:
        log.info("Removed files of failed attempts of render job %s: %s", job.pk, removed)
    return removed


def fail_by_task(job_id: int, message: str) -> None:
    """Fail a job from outside its render (the worker's main process, after a kill)."""
    job = RenderJob.objects.filter(pk=job_id).first()
    if job is not None:
        fail(job, message)


def sweep(now: datetime.datetime | None = None) -> list[int]:
    """Queue again the jobs whose worker died or whose message was lost; return their ids."""
    now = now or timezone.now()
    # Slow renders fail by themselves (time limits) and a MemoryError is caught: a job still
    # rendering this long after it started lost its process to a signal (a kill from
    # outside, the kernel's OOM killer) or a crash.
    return background.sweep(
        RENDERS,
        now=now,
        stale_before=now - datetime.timedelta(seconds=settings.APPEAL_RENDER_STALE_AFTER),
        stopped=stopped_message,
        released=_released,
    )


def _released(job: RenderJob, state: str) -> None:
    if state == State.FAILED:
        log.warning("Render job %s: its process stopped %s times", job.pk, job.attempts)
    remove_attempt_files(job)
