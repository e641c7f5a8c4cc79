"""Appeal rendering benchmark: warm render cost, and the real worker's overhead.

    .venv/bin/python bench/appeal_render.py          # needs PostgreSQL and Redis on 127.0.0.1

Measures, in one run on the same machine:
- the warm render of the Bishkek demo appeal (French) against a minimal WeasyPrint document
  (ratio; target at most 12);
- "Generate PDF" to "ready" through a real ``celery worker`` process against the same job run
  in-process (ratio; target at most 1.3);
- PDF sizes and page counts of the demo appeals.
It uses its own database (``casefile_bench``) and media folder under var/bench/.
"""

from __future__ import annotations

import os
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault(
    "STATICFILES_BACKEND", "django.contrib.staticfiles.storage.StaticFilesStorage"
)
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/casefile_bench")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/14")
os.environ.setdefault("MEDIA_ROOT", str(ROOT / "var" / "bench" / "media"))
os.environ.setdefault("DEMO_PASSWORD", "bench-demo-password")

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "15"))
WORKER_ROUNDS = int(os.environ.get("BENCH_WORKER_ROUNDS", "8"))


def create_database() -> None:
    import psycopg2

    name = os.environ["DATABASE_URL"].rsplit("/", 1)[1]
    connection = psycopg2.connect(host="127.0.0.1", user="postgres", dbname="postgres")
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not cursor.fetchone():
            cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()


def p50(samples: list[float]) -> float:
    return statistics.median(samples)


def timed(function, rounds: int) -> list[float]:
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        function()
        samples.append(time.perf_counter() - started)
    return samples


def main() -> None:
    create_database()
    import django

    django.setup()
    from django.core.management import call_command

    from config.celery import app

    call_command("migrate", verbosity=0)
    app.conf.task_always_eager = True  # the demo's own renders happen here, not in a worker
    call_command("load_demo", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115

    from django.contrib.auth.models import User
    from weasyprint import HTML

    from appeals.models import Appeal, AppealVersion, RenderJob
    from appeals.rendering import printable_appeal, render_pdf
    from appeals.services import appeal_request_render

    appeal = Appeal.objects.get(reference="KGZ 001 / 0519")
    reviewer = User.objects.get(username="demo-reviewer")

    # 1. Warm render against a minimal document, interleaved so both see the same machine.
    render_pdf(printable_appeal(appeal, "fr"))
    HTML(string="<p>Hello</p>").write_pdf()
    minimal, full = [], []
    for _ in range(ROUNDS):
        minimal += timed(lambda: HTML(string="<p>Hello</p>").write_pdf(), 1)
        full += timed(lambda: render_pdf(printable_appeal(appeal, "fr")), 1)

    # 2. Generate PDF -> ready: in-process, then through a worker. Each round changes the
    #    text so a new version is really rendered and stored.
    text = appeal.texts.get(language="fr")
    original_summary = text.summary

    def touch(round_: int) -> None:
        text.summary = f"{original_summary} ({round_})"
        text.save(update_fields=["summary"])

    def until_ready(job: RenderJob) -> None:
        while True:
            job.refresh_from_db(fields=["state", "error"])
            if job.state == RenderJob.State.READY:
                return
            if job.state == RenderJob.State.FAILED:
                raise SystemExit(f"render failed: {job.error}")
            time.sleep(0.005)

    in_process = []
    app.conf.task_always_eager = True
    for round_ in range(WORKER_ROUNDS):
        touch(round_)
        started = time.perf_counter()
        job = appeal_request_render(actor=reviewer, appeal=appeal, language="fr")
        until_ready(job)
        in_process.append(time.perf_counter() - started)

    app.conf.task_always_eager = False
    app.control.purge()
    log = open(ROOT / "var" / "bench" / "worker.log", "wb")  # noqa: SIM115
    worker = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "-Q",
            "appeals,celery",
            "--concurrency",
            "1",
            "--hostname",
            f"bench-{os.getpid()}@%h",
        ],
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        while not app.control.ping(timeout=0.5):
            if worker.poll() is not None:
                raise SystemExit("the worker stopped; see var/bench/worker.log")
        through_worker = []
        for round_ in range(WORKER_ROUNDS):
            touch(100 + round_)
            started = time.perf_counter()
            job = appeal_request_render(actor=reviewer, appeal=appeal, language="fr")
            until_ready(job)
            through_worker.append(time.perf_counter() - started)
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=30)
        text.summary = original_summary
        text.save(update_fields=["summary"])

    print(
        f"Warm render p50: minimal document {p50(minimal) * 1000:.1f} ms, "
        f"Bishkek appeal {p50(full) * 1000:.1f} ms, ratio {p50(full) / p50(minimal):.1f} "
        "(target <= 12)"
    )
    print(
        f"Generate PDF -> ready p50: in-process {p50(in_process) * 1000:.0f} ms, "
        f"through a worker {p50(through_worker) * 1000:.0f} ms, "
        f"ratio {p50(through_worker) / p50(in_process):.2f} (target <= 1.3)"
    )
    for language in ("fr", "ru"):
        printable = printable_appeal(appeal, language)
        rendered = render_pdf(printable)
        latest = AppealVersion.objects.ready().filter(appeal=appeal, language=language).first()
        print(
            f"PDF {language}: {len(rendered.content) / 1024:.0f} KiB, "
            f"{rendered.page_count} pages (stored v{latest.number}: {latest.size / 1024:.0f} KiB, "
            f"{latest.page_count} pages)"
        )
    print(f"Rounds: {ROUNDS} warm renders each, {WORKER_ROUNDS} generate-to-ready each way.")


if __name__ == "__main__":
    main()
