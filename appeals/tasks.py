"""Celery tasks: thin wrappers around ``appeals.jobs``, given ids only."""

from __future__ import annotations

from celery import shared_task
from celery.exceptions import MaxRetriesExceededError, SoftTimeLimitExceeded
from django.conf import settings

from . import (
    jobs,
    worker,  # noqa: F401  (worker start-up: memory limit and warm-up render)
)
from .models import RenderJob


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=settings.APPEAL_RENDER_SOFT_TIME_LIMIT,
    time_limit=settings.APPEAL_RENDER_HARD_TIME_LIMIT,
    max_retries=4,
)
def render_appeal(self, job_id: int) -> str:
    try:
        return jobs.run(job_id)
    except SoftTimeLimitExceeded:
        jobs.fail(
            RenderJob.objects.get(pk=job_id),
            f"The render took longer than {settings.APPEAL_RENDER_SOFT_TIME_LIMIT} seconds. "
            "Shorten the appeal's longest sections and try again.",
        )
        return "failed"
    except jobs.TransientRenderError as error:
        if self.request.is_eager:
            return _retry_in_process(job_id, error)
        try:
            raise self.retry(exc=error, countdown=5 * 2**self.request.retries)
        except MaxRetriesExceededError:
            jobs.fail(RenderJob.objects.get(pk=job_id), f"Storage kept failing: {error}")
            return "failed"


def _retry_in_process(job_id: int, error: Exception) -> str:
    """Without a broker nothing would deliver a later retry: try again now, then give up."""
    for _ in range(settings.APPEAL_RENDER_MAX_ATTEMPTS - 1):
        try:
            return jobs.run(job_id)
        except jobs.TransientRenderError as again:
            error = again
    jobs.fail(RenderJob.objects.get(pk=job_id), f"Storage kept failing: {error}")
    return "failed"


@shared_task
def sweep_render_jobs() -> list[int]:
    requeued = jobs.sweep()
    for job_id in requeued:
        render_appeal.delay(job_id)
    return requeued
