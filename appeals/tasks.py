"""Celery tasks: thin wrappers around ``appeals.jobs``, given ids only."""

from __future__ import annotations

from typing import Any

from celery import shared_task
from celery.contrib.django.task import DjangoTask
from celery.exceptions import SoftTimeLimitExceeded, TimeLimitExceeded
from django.conf import settings

from casefile import queue

from . import (
    jobs,
    publication,
    worker,  # noqa: F401  (worker start-up: memory limit and warm-up render)
)
from .models import RenderJob

# The retry limit is APPEAL_RENDER_MAX_ATTEMPTS, counted on the job row: each attempt is a
# claim (jobs.claim), and the claim after the last one fails the job with the last error.
# Celery's retries only carry the job to its next claim, so it gets one retry per attempt:
# the retry after the last attempt is the one that delivers that failure.
RENDER_RETRIES = settings.APPEAL_RENDER_MAX_ATTEMPTS


class RenderTask(DjangoTask):
    def on_failure(self, exc: Exception, task_id: str, args: Any, kwargs: Any, einfo: Any) -> None:
        # Past the hard time limit the worker's main process kills the child and calls this
        # itself: the child can no longer say why it stopped, so the job is failed here, as
        # too slow, rather than found later by the sweeper as a process that vanished.
        if isinstance(exc, TimeLimitExceeded) and args:
            # The limit travels in the message (the sender's setting), and in the exception.
            seconds = exc.args[0] if exc.args else settings.APPEAL_RENDER_HARD_TIME_LIMIT
            jobs.fail_by_task(args[0], jobs.time_limit_message(seconds))
        super().on_failure(exc, task_id, args, kwargs, einfo)


@shared_task(
    base=RenderTask,
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=settings.APPEAL_RENDER_SOFT_TIME_LIMIT,
    time_limit=settings.APPEAL_RENDER_HARD_TIME_LIMIT,
    max_retries=RENDER_RETRIES,
)
def render_appeal(self, job_id: int) -> str:
    """Render the job's appeal (appeals.jobs); try again later after storage trouble."""
    try:
        return jobs.run(job_id)
    except SoftTimeLimitExceeded:
        # The limits travel in the message: the sender's, which may differ from ours.
        _hard, soft = self.request.timelimit or (None, None)
        jobs.fail(
            RenderJob.objects.get(pk=job_id),
            jobs.time_limit_message(soft or settings.APPEAL_RENDER_SOFT_TIME_LIMIT),
        )
        return "failed"
    except jobs.TransientRenderError as error:
        if self.request.is_eager:
            return _retry_in_process(job_id, error)
        raise self.retry(exc=error, countdown=5 * 2**self.request.retries) from error


def _retry_in_process(job_id: int, error: jobs.TransientRenderError) -> str:
    """Without a broker nothing would deliver a later retry: the same retries, now."""
    for _ in range(settings.APPEAL_RENDER_MAX_ATTEMPTS):  # RENDER_RETRIES, as set now
        try:
            return jobs.run(job_id)
        except jobs.TransientRenderError as again:
            error = again
    raise error


@shared_task
def sweep_render_jobs() -> list[int]:
    """Send again the renders whose process died or whose message never reached the broker;
    return the ids sent."""
    sent = []
    for job_id in jobs.sweep():
        if not queue.send(render_appeal, job_id):
            break  # The broker is down: the jobs stay queued for the next sweep.
        sent.append(job_id)
    return sent


@shared_task
def publish_lapsed_embargoes() -> list[int]:
    """Copy to the public location the files of appeals whose embargo (or their incident's)
    lapsed lately; return the appeals' ids (appeals.publication)."""
    return publication.publish_lapsed_embargoes()
