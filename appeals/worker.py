"""Start-up of each Celery worker child that renders appeals.

A memory limit on the child, so a pathological appeal raises MemoryError (the job fails with
a message) instead of taking the machine down; and one warm-up render, because the first
WeasyPrint render in a process costs several warm ones (fonts, Pango, CSS defaults).
"""

from __future__ import annotations

import logging
import resource
import time

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
    warm_up()


def warm_up() -> float:
    from .pdf import html_to_pdf

    started = time.perf_counter()
    html_to_pdf(WARM_UP_HTML)
    elapsed = time.perf_counter() - started
    log.info("WeasyPrint warm-up render took %.2f s", elapsed)
    return elapsed
