"""Background jobs kept as database rows: the claim, the heartbeat, the attempts limit and
the sweep that takes back a job whose worker died.

Export jobs (``incidents.export_jobs``) and render jobs (``appeals.jobs``) share this; what a
job does, and what it leaves behind to clean up, stays in its app. PostgreSQL is the source of
truth and a task carries only the job's id, so a task delivered twice, a worker killed
mid-job or a message the broker lost all end in the row.

A job row has ``state`` (``queued``, the kind's working state, then its app's own, or
``failed``), ``attempts``, ``error``, ``queued_at``, ``started_at``, ``finished_at`` and a
heartbeat field the worker moves while it is alive.

A worker takes a queued job with one conditional update (``claim``): of two deliveries of
the same job, one gets it. The claim counts an attempt, and the attempt's number is the
worker's proof of ownership: a write that must be the worker's own goes through ``held``,
which matches the working state and that number, so a worker presumed dead and replaced, or
whose job was failed meanwhile, writes nothing. After the kind's last attempt a job is
failed, not queued again.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from django.db.models import F, Model, QuerySet
from django.utils import timezone

QUEUED = "queued"
FAILED = "failed"
# An error is kept for the page that tells what happened, not as a log.
ERROR_LENGTH = 2000


@dataclass(frozen=True)
class JobKind:
    """One app's job rows.

    ``working`` is the state a worker holds a job in, ``heartbeat`` the field it keeps
    moving (a job whose heartbeat is older than the app's stale limit lost its worker).
    ``max_attempts`` is read at each use, so a setting changed at run time counts.
    """

    model: type[Model]
    working: str
    heartbeat: str
    max_attempts: Callable[[], int]

    @property
    def active(self) -> tuple[str, str]:
        """The states of a job not yet finished."""
        return (QUEUED, self.working)


class Stopped(Protocol):
    """The error a job whose worker stopped is left with, after ``attempts`` attempts."""

    def __call__(self, attempts: int, /, *, retrying: bool = ...) -> str: ...


def out_of_attempts(kind: JobKind, attempts: int) -> bool:
    return attempts >= kind.max_attempts()


def claim(kind: JobKind, job_id: int, *, select_related: Sequence[str] = (), **reset: Any) -> Any:
    """Take a queued job for this worker: the job, or None if another worker has it, it is
    no longer queued, or it has had all its attempts. ``reset`` clears what a previous
    attempt reported."""
    now = timezone.now()
    fields = {"started_at": now, kind.heartbeat: now, "error": "", **reset}
    claimed = kind.model.objects.filter(
        pk=job_id, state=QUEUED, attempts__lt=kind.max_attempts()
    ).update(state=kind.working, attempts=F("attempts") + 1, **fields)
    if not claimed:
        return None
    rows = kind.model.objects
    # select_related() with no names would follow every relation.
    return (rows.select_related(*select_related) if select_related else rows).get(pk=job_id)


def held(kind: JobKind, job: Model) -> QuerySet:
    """The job, while the claim ``job`` was read under still holds: still working, and not
    claimed again since. Empty once it was failed, queued again or handed to another worker."""
    return kind.model.objects.filter(pk=job.pk, state=kind.working, attempts=job.attempts)


def beat(kind: JobKind, job: Model, **fields: Any) -> bool:
    """Move the heartbeat (and write ``fields``, a progress report); False if the claim
    was lost, and the worker should stop."""
    return bool(held(kind, job).update(**{kind.heartbeat: timezone.now(), **fields}))


def requeue(
    kind: JobKind, job: Model, message: str, *, now: datetime.datetime | None = None
) -> bool:
    """Give a held job back to the queue for another attempt, saying why; False if the
    claim was lost meanwhile."""
    return bool(
        held(kind, job).update(
            state=QUEUED, error=message[:ERROR_LENGTH], queued_at=now or timezone.now()
        )
    )


def fail(kind: JobKind, job: Model, message: str) -> bool:
    """Fail a job not yet finished, whoever holds it; False if it had already finished."""
    return bool(
        kind.model.objects.filter(pk=job.pk, state__in=kind.active).update(
            state=FAILED, error=message[:ERROR_LENGTH], finished_at=timezone.now()
        )
    )


def give_up(kind: JobKind, job_id: int, *, message: Callable[[Any], str]) -> Any:
    """Fail a job queued again after its last attempt (``claim`` leaves it queued) with
    ``message(job)``; the job so failed, or None."""
    job = kind.model.objects.filter(
        pk=job_id, state=QUEUED, attempts__gte=kind.max_attempts()
    ).first()
    if job is None:
        return None
    gave_up = kind.model.objects.filter(pk=job.pk, state=QUEUED, attempts=job.attempts).update(
        state=FAILED, finished_at=timezone.now(), error=message(job)[:ERROR_LENGTH]
    )
    return job if gave_up else None


def take_back(kind: JobKind, job: Model, *, now: datetime.datetime, stopped: Stopped) -> str | None:
    """A working job whose worker stopped: queued again, or failed after its last attempt,
    with ``stopped``'s message. Returns the job's new state, or None if it moved meanwhile
    (finished, failed, or taken back already)."""
    if out_of_attempts(kind, job.attempts):
        gave_up = held(kind, job).update(
            state=FAILED, finished_at=now, error=stopped(job.attempts)[:ERROR_LENGTH]
        )
        return FAILED if gave_up else None
    if requeue(kind, job, stopped(job.attempts, retrying=True), now=now):
        return QUEUED
    return None


def mark_resent(kind: JobKind, job_id: int, *, now: datetime.datetime) -> bool:
    """Note that a queued job's message is sent again now; False if it is no longer queued."""
    return bool(kind.model.objects.filter(pk=job_id, state=QUEUED).update(queued_at=now))


def sweep(
    kind: JobKind,
    *,
    now: datetime.datetime,
    stale_before: datetime.datetime,
    stopped: Stopped,
    released: Callable[[Any, str], None],
) -> list[int]:
    """Take back the jobs whose heartbeat stopped before ``stale_before`` (``take_back``,
    then ``released(job, new_state)`` for the app to clean up after the attempt), and note
    again the queued ones whose message seems lost. Returns the ids to send again."""
    to_send = []
    stalled = kind.model.objects.filter(
        state=kind.working, **{f"{kind.heartbeat}__lt": stale_before}
    )
    for job in stalled:
        state = take_back(kind, job, now=now, stopped=stopped)
        if state is None:
            continue
        released(job, state)
        if state == QUEUED:
            to_send.append(job.pk)
    lost = kind.model.objects.filter(state=QUEUED, queued_at__lt=stale_before)
    for job_id in lost.values_list("pk", flat=True):
        if mark_resent(kind, job_id, now=now):
            to_send.append(job_id)
    return to_send
