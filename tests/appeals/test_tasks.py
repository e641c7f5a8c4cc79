"""The render task's retries: one limit, APPEAL_RENDER_MAX_ATTEMPTS, counted on the job row.

Celery carries a job that met storage trouble to its next attempt; the job's claim decides
when there is none left, and fails the job with the last error. These tests drive the task
as a worker would (each retry a new delivery) and as the in-process mode does.
"""

import pytest
from celery.exceptions import Retry
from django.core.files.storage import FileSystemStorage
from django.test import TestCase

from appeals.models import AppealVersion, RenderJob
from appeals.services import appeal_request_render
from appeals.tasks import render_appeal
from tests.factories import AppealFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def storage_always_fails(monkeypatch):
    attempts = []

    def full_disk(self, name, content, *args, **kwargs):
        attempts.append(name)
        raise OSError("disk full")

    monkeypatch.setattr(FileSystemStorage, "save", full_disk)
    return attempts


def deliver_as_a_worker(monkeypatch, job_id):
    """Run the task as a worker does: each retry is one more delivery, until none is asked.
    Returns what the last delivery returned and how many deliveries there were."""
    task = render_appeal._get_current_object()
    # What a retry would send to the broker: here the loop below delivers it instead.
    monkeypatch.setattr(task, "apply_async", lambda *args, **kwargs: None)
    deliveries = 0
    while True:
        task.push_request(
            id=f"delivery-{deliveries}", retries=deliveries, is_eager=False, called_directly=False
        )
        deliveries += 1
        try:
            return task.run(job_id), deliveries
        except Retry:
            continue
        finally:
            task.pop_request()


def test_a_worker_retries_storage_trouble_until_the_attempts_run_out_then_the_job_fails(
    settings, monkeypatch, storage_always_fails
):
    appeal = AppealFactory()
    job = RenderJob.objects.create(appeal=appeal, language="fr")

    # No TransientRenderError escapes: Celery's retries last as long as the job's attempts.
    result, deliveries = deliver_as_a_worker(monkeypatch, job.pk)

    job.refresh_from_db()
    assert result == "not claimed"
    assert deliveries == settings.APPEAL_RENDER_MAX_ATTEMPTS + 1
    assert len(storage_always_fails) == job.attempts == settings.APPEAL_RENDER_MAX_ATTEMPTS
    assert job.state == RenderJob.State.FAILED
    assert job.error == (
        f"The render failed {settings.APPEAL_RENDER_MAX_ATTEMPTS} times. "
        "The last error: OSError: disk full"
    )
    assert not AppealVersion.objects.filter(appeal=appeal).exists()


def test_celery_may_retry_a_render_once_per_attempt(settings):
    # The limit is read once, at import: a worker started with another setting derives
    # its own retries from it the same way.
    assert render_appeal.max_retries == settings.APPEAL_RENDER_MAX_ATTEMPTS


def test_in_process_storage_trouble_fails_the_job_after_the_same_attempts(
    settings, reviewer, storage_always_fails
):
    appeal = AppealFactory()
    with TestCase.captureOnCommitCallbacks(execute=True):
        job = appeal_request_render(actor=reviewer, appeal=appeal, language="fr")

    job.refresh_from_db()
    assert len(storage_always_fails) == job.attempts == settings.APPEAL_RENDER_MAX_ATTEMPTS
    assert job.state == RenderJob.State.FAILED
    assert job.error == (
        f"The render failed {settings.APPEAL_RENDER_MAX_ATTEMPTS} times. "
        "The last error: OSError: disk full"
    )


def test_a_job_that_already_used_attempts_gets_only_those_left(
    settings, monkeypatch, storage_always_fails
):
    # A job the sweeper queued again after its worker died keeps its count.
    appeal = AppealFactory()
    job = RenderJob.objects.create(
        appeal=appeal, language="fr", attempts=settings.APPEAL_RENDER_MAX_ATTEMPTS - 1
    )

    result, deliveries = deliver_as_a_worker(monkeypatch, job.pk)

    job.refresh_from_db()
    assert (result, deliveries) == ("not claimed", 2)
    assert len(storage_always_fails) == 1
    assert job.state == RenderJob.State.FAILED
    assert job.attempts == settings.APPEAL_RENDER_MAX_ATTEMPTS


def test_storage_trouble_once_is_retried_by_the_worker_and_renders(monkeypatch):
    real_save = FileSystemStorage.save
    failures = []

    def flaky_save(self, name, content, *args, **kwargs):
        if not failures:
            failures.append(name)
            raise OSError("disk full")
        return real_save(self, name, content, *args, **kwargs)

    monkeypatch.setattr(FileSystemStorage, "save", flaky_save)
    job = RenderJob.objects.create(appeal=AppealFactory(), language="fr")

    with TestCase.captureOnCommitCallbacks(execute=True):
        result, deliveries = deliver_as_a_worker(monkeypatch, job.pk)

    job.refresh_from_db()
    assert (result, deliveries) == ("rendered", 2)
    assert job.state == RenderJob.State.READY and job.attempts == 2
