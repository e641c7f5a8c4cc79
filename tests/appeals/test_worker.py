"""A real Celery worker renders appeals: separate process, Redis broker, PostgreSQL jobs.

The worker is started here with the test database and media folder, and the rendered PDF
is downloaded over HTTP from the live test server, as a visitor would.
"""

import contextlib
import hashlib
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from appeals.models import AppealVersion, RenderJob
from appeals.services import appeal_request_render
from appeals.tasks import render_appeal, sweep_render_jobs
from config.celery import app
from tests.factories import AppealFactory, UserFactory

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),
]

ROOT = Path(__file__).resolve().parents[2]


class Worker:
    def __init__(self, media_root: Path, log_path: Path):
        self.media_root = media_root
        self.log_path = log_path
        self.process: subprocess.Popen | None = None
        self.env: dict[str, str] = {}

    def start(self) -> None:
        self.spawn()
        self.wait_until_up()

    def spawn(self) -> None:
        env = {
            **os.environ,
            "DATABASE_URL": "postgres://{USER}@{HOST}:{PORT}/{NAME}".format(
                **connection.settings_dict
            ),
            "REDIS_URL": settings.REDIS_URL,
            "MEDIA_ROOT": str(self.media_root),
            "DEBUG": "false",
            "SECRET_KEY": settings.SECRET_KEY,
            **self.env,
        }
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
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
                "--loglevel",
                "INFO",
                "--hostname",
                f"test-{os.getpid()}@%h",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_until_up(self) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.log_path.read_text()[-3000:]
            if app.control.ping(timeout=0.5):
                return
        pytest.fail("the Celery worker did not answer within 60 s:\n" + self.log_path.read_text())

    def children(self) -> list[int]:
        """The pool's child processes (one: the worker runs with --concurrency 1).

        Forks of the main process that run the same command line for more than a moment:
        at start-up the main process also runs gcc and ldconfig (ctypes looking for
        WeasyPrint's libraries), each briefly a fork with the worker's command line.
        """
        pid = self.process.pid
        own = Path(f"/proc/{pid}/cmdline").read_bytes()

        def forks() -> set[int]:
            found = set()
            for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split():
                # A short-lived fork (gcc, ldconfig) may exit between the listing and the
                # read: its /proc entry is gone (FileNotFoundError) or dying (ESRCH).
                with contextlib.suppress(FileNotFoundError, ProcessLookupError):
                    if Path(f"/proc/{child}/cmdline").read_bytes() == own:
                        found.add(int(child))
            return found

        first = forks()
        time.sleep(0.1)
        return sorted(first & forks())

    def kill_child(self, timeout: float = 30) -> int:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.log_path.read_text()[-3000:]
            if pids := self.children():
                os.kill(pids[0], signal.SIGKILL)
                return pids[0]
        pytest.fail("the worker started no child process")

    def kill(self) -> None:
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()


@pytest.fixture
def worker(tmp_path, seeded_transactional_db):
    app.control.purge()
    started = Worker(tmp_path / "media", tmp_path / "worker.log")
    yield started
    started.stop()


def wait_for(job: RenderJob, states: set[str], timeout: float = 90) -> RenderJob:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.state in states:
            return job
        time.sleep(0.05)
    pytest.fail(f"job stayed {job.state} for {timeout} s (wanted {states})")


def download(live_server, path: str) -> bytes:
    with urllib.request.urlopen(live_server.url + path, timeout=30) as response:  # noqa: S310
        assert response.headers["Content-Type"] == "application/pdf"
        return response.read()


def test_worker_renders_and_the_visitor_downloads_the_recorded_bytes(worker, live_server):
    worker.start()
    reviewer = UserFactory(roles=["reviewer"])
    appeal = AppealFactory(published=True)

    job = appeal_request_render(actor=reviewer, appeal=appeal, language="fr")
    job = wait_for(job, {"ready", "failed"})

    assert job.state == "ready", job.error
    assert job.attempts == 1
    body = download(live_server, f"/appeals/{appeal.reference_slug}.pdf")
    assert hashlib.sha256(body).hexdigest() == job.version.sha256
    assert body.startswith(b"%PDF")


def test_killing_the_worker_mid_render_serves_nothing_and_the_render_resumes(
    worker, live_server, settings
):
    settings.APPEAL_RENDER_STALE_AFTER = 1
    worker.start()
    reviewer = UserFactory(roles=["reviewer"])
    long_section = ("Les membres de la Coalition ont été menacés et filmés. " * 360)[:19_000]
    appeal = AppealFactory(
        published=True,
        text={
            field: long_section
            for field in ("situation", "background", "concerns", "about_defenders", "model_letter")
        },
    )

    job = appeal_request_render(actor=reviewer, appeal=appeal, language="fr")
    wait_for(job, {"rendering", "ready", "failed"})
    assert job.state == "rendering", "the render finished before it could be interrupted"
    worker.kill()

    job.refresh_from_db()
    assert job.state == "rendering"
    assert not AppealVersion.objects.ready().filter(appeal=appeal).exists()
    with pytest.raises(urllib.error.HTTPError) as error:
        download(live_server, f"/appeals/{appeal.reference_slug}.pdf")
    assert error.value.code == 404
    public = Path(worker.media_root, "public", "appeals")
    assert not public.exists() or list(public.iterdir()) == []

    worker.start()
    time.sleep(1.1)
    assert sweep_render_jobs.apply().get() == [job.pk]
    job = wait_for(job, {"ready", "failed"}, timeout=120)

    assert job.state == "ready", job.error
    assert job.attempts == 2
    body = download(live_server, f"/appeals/{appeal.reference_slug}.pdf")
    assert hashlib.sha256(body).hexdigest() == job.version.sha256
    assert job.version.page_count > 10


def long_appeal():
    section = ("Les membres de la Coalition ont été menacés et filmés. " * 360)[:19_000]
    return AppealFactory(
        published=True,
        text={
            field: section
            for field in ("situation", "background", "concerns", "about_defenders", "model_letter")
        },
    )


def unreferenced_files(media_root: Path) -> list[str]:
    private = Path(media_root, "private", "appeals")
    stored = {str(path.relative_to(private)) for path in private.rglob("*.pdf")}
    return sorted(stored - set(AppealVersion.objects.values_list("file_name", flat=True)))


def test_a_render_child_killed_from_outside_is_reported_as_such_after_its_attempts(
    worker, settings
):
    settings.APPEAL_RENDER_STALE_AFTER = 1
    worker.start()
    reviewer = UserFactory(roles=["reviewer"])
    appeal = long_appeal()

    job = appeal_request_render(actor=reviewer, appeal=appeal, language="fr")
    for attempt in range(1, settings.APPEAL_RENDER_MAX_ATTEMPTS + 1):
        deadline = time.monotonic() + 90
        while job.attempts < attempt and time.monotonic() < deadline:
            time.sleep(0.02)
            job.refresh_from_db()
        assert (job.state, job.attempts) == ("rendering", attempt), job.error
        worker.kill_child()  # as the OOM killer or an operator's kill -9 would
        time.sleep(1.1)
        sweep_render_jobs.apply()
        job.refresh_from_db()

    assert job.state == "failed"
    assert job.error.startswith(
        f"The render process stopped unexpectedly (attempt {job.attempts} of {job.attempts})."
    )
    assert "time or memory limit" not in job.error
    assert unreferenced_files(worker.media_root) == []
    # The worker itself survived every kill and still renders.
    other = appeal_request_render(
        actor=reviewer, appeal=AppealFactory(published=True), language="fr"
    )
    assert wait_for(other, {"ready", "failed"}).state == "ready", other.error


def test_a_render_stuck_past_the_hard_time_limit_fails_as_too_slow(worker, monkeypatch):
    # The sender's limits travel in the message. The soft limit is a signal the render
    # handles; a render stuck where it cannot (a long call into Pango, here a stopped
    # process) is killed by the worker's main process at the hard limit.
    task = render_appeal._get_current_object()
    monkeypatch.setattr(task, "soft_time_limit", 1)
    monkeypatch.setattr(task, "time_limit", 2)
    monkeypatch.setattr(task, "_exec_options", None)
    worker.start()
    reviewer = UserFactory(roles=["reviewer"])

    job = appeal_request_render(actor=reviewer, appeal=long_appeal(), language="fr")
    wait_for(job, {"rendering", "ready", "failed"})
    assert job.state == "rendering", "the render finished before it could be stopped"
    os.kill(worker.children()[0], signal.SIGSTOP)
    job = wait_for(job, {"ready", "failed"})

    assert job.state == "failed", worker.log_path.read_text()[-3000:]
    assert job.error.startswith("The render took longer than 2 seconds and was stopped.")
    assert job.attempts == 1
    assert unreferenced_files(worker.media_root) == []


def test_a_child_killed_while_the_worker_starts_does_not_stop_the_worker(worker):
    worker.spawn()
    worker.kill_child()  # during its warm-up render, before the worker takes work

    worker.wait_until_up()
    reviewer = UserFactory(roles=["reviewer"])
    job = appeal_request_render(actor=reviewer, appeal=AppealFactory(published=True), language="fr")
    job = wait_for(job, {"ready", "failed"})

    assert job.state == "ready", job.error
    assert worker.process.poll() is None
