"""A real Celery worker writes a large export: separate process, Redis broker, PostgreSQL
job row, and the file in the media folder the web process serves it from."""

import time

import pytest

from config.celery import app
from incidents.models import ExportJob
from tests.appeals.test_worker import Worker
from tests.factories import IncidentFactory

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def worker(tmp_path, seeded_transactional_db):
    app.control.purge()
    started = Worker(tmp_path / "media", tmp_path / "worker.log")
    yield started
    started.stop()


def wait_for_ready(client, status_url: str, timeout: float = 90) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status = client.get(status_url).json()
        if status["state"] not in ("queued", "running"):
            return status
        time.sleep(0.1)
    pytest.fail(f"the export stayed {status['state']} for {timeout} s")


def test_a_worker_writes_the_export_and_the_client_downloads_the_streamed_bytes(
    worker, client, settings
):
    for day in range(1, 6):
        IncidentFactory(published=True, country="KG", summary=f"Jour {day} : « témoins »")
    IncidentFactory(country="KG", title="Draft canary 7d1f")
    streamed = b"".join(client.get("/api/v1/incidents/export.csv?country=KG").streaming_content)
    settings.EXPORT_BACKGROUND_ROWS = 2
    worker.start()

    response = client.get("/api/v1/incidents/export.csv?country=KG")
    assert response.status_code == 202
    status = wait_for_ready(client, response["Location"])
    downloaded = client.get(status["download_url"])

    assert status["state"] == "ready", status["error"]
    assert (status["rows_written"], status["estimated_total"]) == (5, 5)
    assert b"".join(downloaded.streaming_content) == streamed
    assert b"Draft canary" not in streamed
    job = ExportJob.objects.get()
    assert (job.attempts, job.owner) == (1, None)
    assert "export_incidents" in worker.log_path.read_text()
