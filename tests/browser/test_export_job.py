"""A large export's page in the browser: progress shown in place, then the file.

With JavaScript the page polls its progress and shows it without reloading; without it,
the page reloads itself. Either way the download link appears once the file is ready.
"""

import datetime
import hashlib

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from incidents import export_jobs
from incidents.models import ExportJob
from tests.factories import IncidentFactory

from .test_accessibility import axe_page, serious_violations  # noqa: F401  (a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("seeded_transactional_db")]

CONTENT = "\ufeffid,title\r\n1,Meeting disrupted\r\n".encode()


def running_job(language: str = "en") -> ExportJob:
    now = timezone.now()
    return ExportJob.objects.create(
        token=f"browser-{language}-" + "x" * 30,
        key=language * 32,
        export_format="csv",
        via="page",
        language=language,
        state="running",
        attempts=1,
        rows_written=10,
        estimated_total=40,
        started_at=now,
        progress_at=now,
    )


def finish(job: ExportJob) -> None:
    name = export_jobs.storage().save(f"{job.pk}-1.csv", ContentFile(CONTENT))
    now = timezone.now()
    ExportJob.objects.filter(pk=job.pk).update(
        state="ready",
        rows_written=1,
        file_name=name,
        sha256=hashlib.sha256(CONTENT).hexdigest(),
        size=len(CONTENT),
        finished_at=now,
        expires_at=now + datetime.timedelta(hours=1),
    )


def test_progress_updates_in_place_then_the_file_downloads(page, live_server, tmp_path):
    job = running_job()
    page.goto(f"{live_server.url}/en/cases/exports/{job.token}/")
    bar = page.get_by_label("Cases written to the file")
    assert bar.get_attribute("value") == "25"
    page.evaluate("window.notReloaded = true")

    ExportJob.objects.filter(pk=job.pk).update(rows_written=30)
    page.get_by_role("status").filter(has_text="30 of about 40").wait_for()

    assert bar.get_attribute("value") == "75"
    assert page.evaluate("window.notReloaded") is True  # shown in place
    finish(job)
    link = page.get_by_role("link", name="Download the CSV file")
    link.wait_for()
    with page.expect_download() as download_info:
        link.click()
    saved = tmp_path / "export.csv"
    download_info.value.save_as(saved)

    assert download_info.value.suggested_filename == "casefile-incidents.csv"
    assert saved.read_bytes() == CONTENT
    assert page.csp_violations == []


def test_without_javascript_the_page_reloads_until_the_file_is_ready(browser, live_server):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    job = running_job()
    page.goto(f"{live_server.url}/en/cases/exports/{job.token}/")
    assert "10 of about 40" in page.get_by_role("status").inner_text()

    finish(job)
    page.get_by_role("link", name="Download the CSV file").wait_for(timeout=15_000)
    context.close()


def test_a_case_list_export_past_the_threshold_leads_to_the_job_page(page, live_server, settings):
    settings.EXPORT_BACKGROUND_ROWS = 1
    IncidentFactory.create_batch(2, published=True)
    page.goto(f"{live_server.url}/en/cases/")

    page.get_by_role("link", name="CSV").click()

    # Without a broker the job ran in-process, before the redirect was answered.
    page.get_by_role("heading", name="Your CSV export").wait_for()
    page.get_by_role("link", name="Download the CSV file").wait_for()


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_job_page_has_no_serious_accessibility_violations(axe_page, live_server, language):  # noqa: F811
    job = running_job(language)
    axe_page.goto(f"{live_server.url}/{language}/cases/exports/{job.token}/")
    running = serious_violations(axe_page)
    finish(job)
    axe_page.reload()
    ready = serious_violations(axe_page)

    assert (running, ready) == ([], [])
