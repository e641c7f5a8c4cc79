"""Large exports as jobs: past EXPORT_BACKGROUND_ROWS rows, a file written by the worker.

Tasks run in-process here (no broker; tests/conftest.py), once the request's transaction
commits; test_export_jobs_worker.py has a real worker write one.
"""

import csv
import datetime
import hashlib
import io
import json
import os
import time

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from casefile.audit.models import AuditEvent
from incidents import export_jobs, exports
from incidents.models import ExportJob
from incidents.tasks import sweep_export_jobs
from tests.api.conftest import token_client
from tests.factories import IncidentFactory, OrganizationFactory, UserFactory

CANARY = "Draft canary 7d1f"


@pytest.fixture
def cases(db):
    """Five published cases in Kyrgyzstan and Kazakhstan, and a draft in Kyrgyzstan."""
    organization = OrganizationFactory(name="Kyrgyz Rights Watch")
    for day in range(3):
        IncidentFactory(
            published=True,
            country="KG",
            occurred_on=datetime.date(2020, 3, 1 + day),
            summary="=SUM(A1) quoted, comma, and «guillemets»",
            organizations=[organization],
        )
    for day in range(2):
        IncidentFactory(published=True, country="KZ", occurred_on=datetime.date(2021, 4, 1 + day))
    IncidentFactory(country="KG", title=CANARY)


@pytest.fixture
def small_threshold(settings):
    settings.EXPORT_BACKGROUND_ROWS = 2


@pytest.fixture
def ask(django_capture_on_commit_callbacks):
    """GET an export; the job it queues runs in-process when the request commits."""

    def get(client, path, params=None, **extra):
        with django_capture_on_commit_callbacks(execute=True):
            return client.get(path, params or {}, **extra)

    return get


def job_of(response) -> ExportJob:
    assert response.status_code in (202, 303), response.status_code
    location = response["Location"].rstrip("/")
    return ExportJob.objects.get(token=location.rsplit("/", 1)[-1])


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def rows_of_csv(data: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def download_url(job: ExportJob) -> str:
    return f"/en/cases/exports/{job.token}/download"


# Routing.


def test_up_to_the_threshold_the_export_streams_past_it_it_becomes_a_job(client, cases, settings):
    settings.EXPORT_BACKGROUND_ROWS = 3

    small = client.get("/en/cases/export.csv", {"country": "KG"})
    large = client.get("/en/cases/export.csv")

    assert small.status_code == 200 and small.streaming
    assert len(rows_of_csv(body(small))) == 3
    assert small["X-Casefile-Rows"] == "3"  # the count that decided is passed on
    assert large.status_code == 303
    job = job_of(large)
    assert large["Location"] == f"/en/cases/exports/{job.token}/"
    assert (job.export_format, job.via, job.owner) == ("csv", "page", None)


def test_the_decision_counts_no_further_than_one_row_past_the_threshold(client, cases, settings):
    settings.EXPORT_BACKGROUND_ROWS = 3

    with CaptureQueriesContext(connection) as queries:
        client.get("/en/cases/export.json")

    counts = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
    assert len(counts) == 1
    assert "LIMIT 4" in counts[0]


def test_the_job_token_is_long_and_random_not_the_id(client, cases, small_threshold):
    first = job_of(client.get("/en/cases/export.csv"))
    second = job_of(client.get("/en/cases/export.json"))

    assert len(first.token) >= 43 and first.token != second.token
    assert str(first.pk) not in (first.token, second.token)


# The file.


@pytest.mark.parametrize("export_format", ["csv", "json"])
def test_the_job_file_is_byte_for_byte_the_streamed_export(
    client, cases, settings, ask, export_format
):
    path = f"/fr/cases/export.{export_format}"
    params = {"country": ["KZ", "KG"], "ordering": "date"}
    streamed = body(client.get(path, params))
    settings.EXPORT_BACKGROUND_ROWS = 2

    job = job_of(ask(client, path, params))
    page = client.get(job.get_absolute_url())
    downloaded = client.get(download_url(job))

    assert job.state == "ready", job.error
    assert (job.rows_written, job.estimated_total, job.unpublished_rows) == (5, 5, 0)
    assert page.status_code == 200
    assert downloaded.status_code == 200
    assert body(downloaded) == streamed
    assert "Kirghizistan" in streamed.decode()  # the reader's language: French names
    assert downloaded["Content-Disposition"] == (
        f'attachment; filename="casefile-incidents.{export_format}"'
    )
    assert downloaded["X-Content-Type-Options"] == "nosniff"
    assert downloaded["Content-Length"] == str(job.size)
    assert downloaded["Content-Type"].startswith(
        "text/csv" if export_format == "csv" else "application/json"
    )


def test_the_file_is_hashed_and_expires(client, cases, small_threshold, ask, settings):
    settings.EXPORT_EXPIRY_HOURS = 6
    before = timezone.now()

    job = job_of(ask(client, "/en/cases/export.csv"))

    data = export_jobs.storage().open(job.file_name).read()

    assert job.sha256 == hashlib.sha256(data).hexdigest()
    assert job.size == len(data)
    hours = (job.expires_at - before).total_seconds() / 3600
    assert 6 <= hours < 6.1


def test_an_anonymous_file_never_holds_drafts_even_when_staff_asked(
    researcher_client, client, cases, small_threshold, ask
):
    job = job_of(ask(researcher_client, "/en/cases/export.json", {"country": "KG"}))
    data = json.loads(body(researcher_client.get(download_url(job))))

    assert job.owner is None  # the pages export published cases, for everyone
    assert len(data["incidents"]) == 3
    assert CANARY not in json.dumps(data)
    # The same export asked anonymously is the same public job.
    assert job_of(client.get("/en/cases/export.json", {"country": "KG"})) == job


# Progress and the page.


def running_job(**fields) -> ExportJob:
    now = timezone.now()
    values = {
        "token": "t" * 43,
        "key": "k" * 64,
        "export_format": "csv",
        "via": "page",
        "query": "country=KG",
        "language": "en",
        "state": "running",
        "attempts": 1,
        "started_at": now,
        "progress_at": now,
    } | fields
    return ExportJob.objects.create(**values)


def test_the_page_shows_rows_written_of_the_estimated_total(client, db):
    job = running_job(rows_written=12_500, estimated_total=50_000)

    response = client.get(job.get_absolute_url())
    text = response.content.decode()

    assert response.status_code == 200
    assert '<progress id="export-progress"' in text
    assert 'max="100" value="25"' in text
    assert 'aria-describedby="export-status"' in text
    assert '<label for="export-progress"' in text
    assert 'role="status"' in text
    assert "Writing the file: 12,500 of about 50,000 cases." in text
    # Without JavaScript the page reloads itself; with it, the poll updates it.
    assert '<noscript><meta http-equiv="refresh" content="5"></noscript>' in text
    assert "js/export_job.js" in text
    assert download_url(job) not in text
    assert "no-store" in response["Cache-Control"]


def test_the_poll_answers_progress_as_json(client, db):
    job = running_job(rows_written=3, estimated_total=4)

    data = client.get(f"/fr/cases/exports/{job.token}/progress.json").json()

    assert data["state"] == "running" and data["active"] is True
    assert (data["rows_written"], data["estimated_total"], data["percent"]) == (3, 4, 75)
    assert data["message"]


def test_the_download_link_appears_only_when_the_file_is_ready(client, cases, small_threshold, ask):
    queued = job_of(client.get("/en/cases/export.csv"))  # not run: no commit callbacks
    waiting = client.get(queued.get_absolute_url()).content.decode()
    early = client.get(download_url(queued))

    assert queued.state == "queued"
    assert download_url(queued) not in waiting
    assert "Waiting for a worker" in waiting
    assert early.status_code == 303  # back to the page, nothing served
    assert early["Location"] == queued.get_absolute_url()

    export_jobs.run(queued.pk)
    ready = client.get(queued.get_absolute_url()).content.decode()

    assert download_url(queued) in ready
    assert "http-equiv" not in ready and "export_job.js" not in ready
    assert "Ready: 5 cases." in ready


# Sharing.


def test_identical_requests_share_one_job(client, cases, small_threshold):
    first = job_of(client.get("/en/cases/export.csv?country=KZ&country=KG&cursor=abc"))
    same = job_of(client.get("/en/cases/export.csv?country=KG&country=KZ&ordering=-date"))
    other_format = job_of(client.get("/en/cases/export.json?country=KG&country=KZ"))
    other_language = job_of(client.get("/ru/cases/export.csv?country=KG&country=KZ"))
    other_order = job_of(client.get("/en/cases/export.csv?country=KG&country=KZ&ordering=date"))

    assert same == first
    assert first.query == "country=KG&country=KZ"
    assert len({first, other_format, other_language, other_order}) == 4
    assert ExportJob.objects.count() == 4


def test_a_failed_job_is_retried_by_asking_again(client, cases, small_threshold, ask):
    failed = job_of(client.get("/en/cases/export.csv"))
    export_jobs.fail(failed, "The disk was full.")

    page = client.get(failed.get_absolute_url()).content.decode()
    again = job_of(ask(client, "/en/cases/export.csv"))

    assert "The export failed" in page
    assert 'href="/en/cases/export.csv"' in page
    assert again != failed
    assert again.state == "ready"


def test_an_expired_job_is_replaced_by_a_new_one(client, cases, small_threshold, ask):
    old = job_of(ask(client, "/en/cases/export.csv"))
    ExportJob.objects.filter(pk=old.pk).update(expires_at=timezone.now())

    gone = client.get(download_url(old))
    page = client.get(old.get_absolute_url()).content.decode()
    new = job_of(ask(client, "/en/cases/export.csv"))

    assert gone.status_code == 410
    assert "This export has expired" in page and download_url(old) not in page
    assert new != old and new.state == "ready"
    old.refresh_from_db()
    assert old.state == "expired"
    assert not export_jobs.storage().exists(old.file_name)


# Who may see what.


def test_a_staff_api_job_is_its_owners_alone(client, researcher, cases, small_threshold, ask):
    owner = token_client(researcher)
    colleague = token_client(UserFactory(roles=["researcher"]))

    response = ask(owner, "/api/v1/incidents/export.json", {"country": "KG"})
    job = job_of(response)
    status_url = f"/api/v1/incidents/exports/{job.token}/"
    file_url = f"{status_url}download"
    data = json.loads(body(owner.get(file_url)))

    assert job.owner == researcher
    assert len(data["incidents"]) == 4 and CANARY in json.dumps(data)
    for stranger in (client, colleague):
        assert stranger.get(status_url).status_code == 404
        assert stranger.get(file_url).status_code == 404
        assert stranger.get(f"/en/cases/exports/{job.token}/").status_code == 404
        assert stranger.get(f"/en/cases/exports/{job.token}/download").status_code == 404
    # Asked anonymously, the same export is another job, of published cases only.
    public = job_of(ask(client, "/api/v1/incidents/export.json", {"country": "KG"}))
    public_data = json.loads(body(client.get(f"/api/v1/incidents/exports/{public.token}/download")))
    assert public != job and public.owner is None
    assert len(public_data["incidents"]) == 3 and CANARY not in json.dumps(public_data)


def test_a_staff_job_closes_when_its_owner_leaves_the_staff(
    researcher, cases, small_threshold, ask
):
    owner = token_client(researcher)
    job = job_of(ask(owner, "/api/v1/incidents/export.csv"))
    researcher.groups.clear()

    assert owner.get(f"/api/v1/incidents/exports/{job.token}/download").status_code == 404


def test_an_unknown_token_is_a_404(client, db):
    assert client.get("/en/cases/exports/" + "x" * 43 + "/").status_code == 404
    assert client.get("/api/v1/incidents/exports/" + "x" * 43 + "/").status_code == 404


# The API.


def test_the_api_answers_202_then_status_then_file(client, cases, settings, ask):
    settings.EXPORT_BACKGROUND_ROWS = 3
    streamed = body(client.get("/api/v1/incidents/export.csv", {"country": "KG"}))
    assert len(rows_of_csv(streamed)) == 3  # under the threshold: a stream

    response = ask(client, "/api/v1/incidents/export.csv", {"country": ["KG", "KZ"]})
    accepted = response.json()
    status = client.get(response["Location"]).json()
    downloaded = client.get(status["download_url"])

    assert response.status_code == 202
    assert response["Location"] == accepted["status_url"]
    assert accepted["status_url"].startswith("http://testserver/api/v1/incidents/exports/")
    assert accepted["download_url"] is None or accepted["state"] == "ready"
    assert status["state"] == "ready"
    assert (status["rows_written"], status["estimated_total"]) == (5, 5)
    assert status["download_url"].endswith("/download")
    assert status["sha256"] and status["size"] and status["expires_at"]
    assert downloaded.status_code == 200
    assert len(rows_of_csv(body(downloaded))) == 5
    assert downloaded["Content-Disposition"].startswith("attachment;")


def test_the_api_status_of_a_job_under_way_has_no_download_url(client, cases, small_threshold):
    response = client.get("/api/v1/incidents/export.json")  # queued: nothing ran it
    job = job_of(response)

    status = client.get(response["Location"]).json()
    early = client.get(f"/api/v1/incidents/exports/{job.token}/download")

    assert response.status_code == 202
    assert (status["state"], status["download_url"], status["rows_written"]) == ("queued", None, 0)
    assert early.status_code == 409
    assert early.json()["detail"]


def test_the_api_schema_documents_the_job(client, db):
    schema = client.get("/api/schema/?format=json").json()
    export = schema["paths"]["/api/v1/incidents/export.csv"]["get"]["responses"]
    status = schema["paths"]["/api/v1/incidents/exports/{token}/"]["get"]["responses"]
    download = schema["paths"]["/api/v1/incidents/exports/{token}/download"]["get"]["responses"]

    assert "202" in export
    assert "200" in status and "404" in status
    assert {"200", "404", "409", "410"} <= set(download)


# Files that must never be served.


def alter_without_resizing(job: ExportJob) -> None:
    """Flip one bit of the stored file: same size, other bytes (a bad disk, a hand)."""
    path = export_jobs.storage().path(job.file_name)
    with open(path, "rb") as stored:
        data = bytearray(stored.read())
    data[-3] ^= 0x01
    with open(path, "wb") as out:
        out.write(data)


def test_a_damaged_file_is_refused_and_discarded(client, cases, small_threshold, ask):
    job = job_of(ask(client, "/en/cases/export.csv"))
    path = export_jobs.storage().path(job.file_name)
    alter_without_resizing(job)

    response = client.get(download_url(job))

    assert response.status_code == 410
    assert "damaged" in response.content.decode()
    job.refresh_from_db()
    assert job.state == "failed"
    assert not os.path.exists(path)
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.EXPORTED).exists()


def test_a_damaged_file_is_refused_by_the_api_too(client, cases, small_threshold, ask):
    job = job_of(ask(client, "/api/v1/incidents/export.json"))
    with open(export_jobs.storage().path(job.file_name), "ab") as out:
        out.write(b"tampered")

    response = client.get(f"/api/v1/incidents/exports/{job.token}/download")

    assert response.status_code == 410
    assert "damaged" in response.json()["detail"]


def test_a_worker_that_dies_mid_file_leaves_nothing_to_serve(
    client, cases, small_threshold, monkeypatch
):
    job = job_of(client.get("/en/cases/export.csv"))

    def dying(queryset, tally=None):
        yield "id,title\r\n"
        tally.rows += 1
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(exports, "csv_lines", dying)
    assert export_jobs.run(job.pk) == "failed"

    job.refresh_from_db()
    assert job.state == "failed" and job.file_name == ""
    assert "could not be written" in job.error
    assert os.listdir(export_jobs.storage().path("")) == []
    assert client.get(download_url(job)).status_code == 410


def test_a_file_is_only_handed_out_after_it_is_moved_into_place(cases, small_threshold, client):
    job = job_of(client.get("/en/cases/export.csv"))
    seen = []
    real_replace = os.replace

    def watching_replace(source, target):
        # At the moment of the move the job is not ready, and only a temporary name exists.
        job.refresh_from_db()
        seen.append((job.state, sorted(os.listdir(os.path.dirname(source)))))
        real_replace(source, target)

    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.setattr(export_jobs.os, "replace", watching_replace)
    try:
        export_jobs.run(job.pk)
    finally:
        monkeypatch.undo()

    ((state, names),) = seen
    assert state == "running"
    assert len(names) == 1 and names[0].startswith(".") and names[0].endswith(".part")
    job.refresh_from_db()
    assert job.state == "ready" and not job.file_name.startswith(".")


def test_a_worker_that_lost_its_claim_does_not_publish_its_file(cases, small_threshold, client):
    job = job_of(client.get("/en/cases/export.csv"))
    claimed = export_jobs.claim(job.pk)
    # Presumed dead and handed to another worker meanwhile (the sweeper).
    ExportJob.objects.filter(pk=job.pk).update(state="queued")

    written = export_jobs._write(claimed, export_jobs.job_queryset(claimed))
    assert export_jobs._finish(claimed, written) == "lost claim"

    job.refresh_from_db()
    assert job.state == "queued" and job.file_name == ""
    assert os.listdir(export_jobs.storage().path("")) == []


def test_progress_is_written_to_the_row_as_the_file_grows(
    cases, small_threshold, client, monkeypatch
):
    monkeypatch.setattr(export_jobs, "PROGRESS_EVERY_ROWS", 2)
    monkeypatch.setattr(exports, "CHUNK", 1)
    job = job_of(client.get("/en/cases/export.json"))
    reported = []
    real_tick = export_jobs._Progress.tick

    def tick(self, tally):
        real_tick(self, tally)
        reported.append(ExportJob.objects.get(pk=job.pk).rows_written)

    monkeypatch.setattr(export_jobs._Progress, "tick", tick)
    export_jobs.run(job.pk)

    assert {2, 4} <= set(reported)
    assert ExportJob.objects.get(pk=job.pk).rows_written == 5


# The sweeper.


def test_the_sweep_deletes_expired_files_and_leftovers_and_keeps_live_ones(
    client, cases, small_threshold, ask, django_capture_on_commit_callbacks
):
    expired = job_of(ask(client, "/en/cases/export.csv"))
    live = job_of(ask(client, "/en/cases/export.json"))
    ExportJob.objects.filter(pk=expired.pk).update(expires_at=timezone.now())
    folder = export_jobs.storage().path("")
    old_leftover = os.path.join(folder, ".99-1-abc.part")
    new_leftover = os.path.join(folder, ".98-1-def.part")
    for path in (old_leftover, new_leftover):
        with open(path, "w") as out:
            out.write("id,title\r\n")
    an_hour_ago = time.time() - 3600
    os.utime(old_leftover, (an_hour_ago, an_hour_ago))

    with django_capture_on_commit_callbacks(execute=True):
        assert sweep_export_jobs.apply().get() == []

    expired.refresh_from_db()
    live.refresh_from_db()
    assert expired.state == "expired"
    assert sorted(os.listdir(folder)) == sorted([live.file_name, os.path.basename(new_leftover)])
    assert client.get(download_url(expired)).status_code == 410
    assert client.get(download_url(live)).status_code == 200


def test_the_sweep_queues_again_a_job_whose_worker_stopped_reporting(
    cases, small_threshold, client
):
    job = job_of(client.get("/en/cases/export.csv"))
    export_jobs.claim(job.pk)
    an_hour_ago = timezone.now() - datetime.timedelta(hours=1)
    ExportJob.objects.filter(pk=job.pk).update(progress_at=an_hour_ago)

    assert sweep_export_jobs.apply().get() == [job.pk]  # sent, and run in-process

    job.refresh_from_db()
    assert (job.state, job.attempts) == ("ready", 2)


def test_the_sweep_fails_a_job_whose_worker_keeps_dying(cases, small_threshold, client):
    job = job_of(client.get("/en/cases/export.csv"))
    ExportJob.objects.filter(pk=job.pk).update(
        state="running", attempts=export_jobs.MAX_ATTEMPTS, progress_at=timezone.now()
    )

    export_jobs.sweep(now=timezone.now() + datetime.timedelta(hours=1))

    job.refresh_from_db()
    assert job.state == "failed" and "stopped unexpectedly" in job.error


def test_the_sweep_forgets_old_failed_and_expired_jobs(db):
    long_ago = timezone.now() - datetime.timedelta(days=8)
    running_job(token="a" * 43, key="a" * 64, state="failed", finished_at=long_ago)
    running_job(token="b" * 43, key="b" * 64, state="failed", finished_at=timezone.now())

    export_jobs.sweep()

    assert list(ExportJob.objects.values_list("token", flat=True)) == ["b" * 43]


# The audit trail.


def test_each_download_is_an_audit_event_like_a_streamed_export(
    researcher, cases, small_threshold, ask
):
    client, researcher_client = Client(), Client()
    researcher_client.force_login(researcher)
    job = job_of(ask(client, "/en/cases/export.csv", {"country": ["KG", "KZ"]}))

    client.head(download_url(job))  # nothing sent: nothing recorded
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.EXPORTED).exists()
    body(client.get(download_url(job)))
    body(researcher_client.get(download_url(job)))

    anonymous, staff = AuditEvent.objects.filter(action=AuditEvent.Action.EXPORTED).order_by("pk")
    assert anonymous.actor is None
    assert anonymous.object_type == "incidents.incident"
    assert anonymous.detail == {
        "format": "csv",
        "via": "page",
        "filter": "country=KG&country=KZ",
        "rows": 5,
        "unpublished_rows": 0,
        "complete": True,
        "job": job.pk,
    }
    assert staff.actor.username == "rita.researcher"
