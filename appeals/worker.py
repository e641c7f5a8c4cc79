"""Start-up of each Celery worker child that renders appeals, and the pool that runs them.

A memory limit on the child, so a pathological appeal raises MemoryError (the job fails with
a message) instead of taking the machine down; and one warm-up render, because the first
WeasyPrint render in a process costs several warm ones (fonts, Pango, CSS defaults). The
warm-up is only a speed-up: if it fails, the child still takes work.

``RenderPool`` (``CELERY_WORKER_POOL``) is Celery's prefork pool, except that a child killed
by a signal while the worker starts (during its warm-up, say) is replaced as it would be a
minute later, instead of stopping the whole worker with "Could not start worker processes".
"""

from __future__ import annotations

import logging
import resource
import time

from celery.concurrency import asynpool, prefork
from celery.signals import worker_process_init
from django.conf import settings

log = logging.getLogger(__name__)

WARM_UP_HTML = """<html lang="en"><head><link rel="stylesheet" href="/static/appeals/fonts.css">
<link rel="stylesheet" href="/static/appeals/print.css"></head>
<body><h1>Warm-up</h1><p>Latin, кириллица, العربية.</p></body></html>"""


@worker_process_init.connect
def prepare_render_child(**kwargs) -> None:
    limit = settings.APPEAL_RENDER_MEMORY_LIMIT_MB * 1024 * 1024
    if limit > 0:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    try:
        warm_up()
    except Exception:  # A cold first render is slower, not wrong: keep the child.
        log.exception("WeasyPrint warm-up render failed; the first render will be slower")


def warm_up() -> float:
    from .pdf import html_to_pdf

    started = time.perf_counter()
    html_to_pdf(WARM_UP_HTML)
    elapsed = time.perf_counter() - started
    log.info("WeasyPrint warm-up render took %.2f s", elapsed)
    return elapsed


class _AsynPool(asynpool.AsynPool):
    def did_start_ok(self) -> bool:
        # Celery stops the worker if any child has exited by the time the consumer is up.
        # A child that exited by itself (exit code >= 0: an import error, a bad setting)
        # would fail again, so that still stops it; one killed by a signal (exit code < 0:
        # a SIGKILL from outside, the OOM killer) is left to the event loop, which replaces
        # a dead child as soon as it starts.
        return not any(
            process.exitcode is not None and process.exitcode >= 0 for process in self._pool
        )


class RenderPool(prefork.TaskPool):
    Pool = _AsynPool
