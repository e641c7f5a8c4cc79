"""The render job's rules: only the worker that still holds its claim records a version, a
version's hash is that of the bytes storage holds, and a job is claimed once, a few times
at most."""

import datetime
import hashlib

import pytest
from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.test import Client, TestCase
from django.utils import timezone

from appeals import jobs
from appeals.models import AppealVersion, RenderJob
from appeals.services import appeal_request_render
from tests.factories import AppealFactory

pytestmark = pytest.mark.django_db


def rendered_appeal(actor):
    """A published appeal with one ready French version, copied to the public location."""
    appeal = AppealFactory(published=True)
    with TestCase.captureOnCommitCallbacks(execute=True):
        job = appeal_request_render(actor=actor, appeal=appeal, language="fr")
    job.refresh_from_db()
    assert job.state == RenderJob.State.READY, job.error
    return appeal, job.version


def stored_names(appeal, language="fr"):
    return sorted(storages["appeals"].listdir(f"{appeal.pk}/{language}")[1])


def public_names():
    return sorted(storages["public_appeals"].listdir("")[1])


def run_changing_the_job_while_it_renders(monkeypatch, job, meanwhile):
    """Run the job; between its render and its store, ``meanwhile(job)`` happens elsewhere."""
    real_render = jobs.render_pdf

    def render_then_lose_the_claim(printable):
        rendered = real_render(printable)
        meanwhile(job)
        return rendered

    monkeypatch.setattr(jobs, "render_pdf", render_then_lose_the_claim)
    with TestCase.captureOnCommitCallbacks(execute=True):
        return jobs.run(job.pk)


def reclaimed_by_another_attempt(job):
    # The sweeper took the job for dead and queued it again; another worker claimed it.
    RenderJob.objects.filter(pk=job.pk).update(state=RenderJob.State.QUEUED)
    assert jobs.claim(job.pk) is not None


def swept_as_dead_and_reclaimed(job):
    # The render ran past the sweeper's patience: it was queued again and claimed anew.
    later = timezone.now() + datetime.timedelta(seconds=settings.APPEAL_RENDER_STALE_AFTER + 5)
    assert jobs.sweep(now=later) == [job.pk]
    assert jobs.claim(job.pk).attempts == 2


def failed_meanwhile(job):
    # The worker's main process failed it at the hard time limit.
    jobs.fail_by_task(job.pk, jobs.time_limit_message(90))


def queued_again(job):
    # The sweeper queued it again; no one has claimed it yet.
    RenderJob.objects.filter(pk=job.pk).update(state=RenderJob.State.QUEUED)


@pytest.mark.parametrize(
    "meanwhile",
    [reclaimed_by_another_attempt, swept_as_dead_and_reclaimed, failed_meanwhile, queued_again],
)
def test_a_worker_that_lost_its_claim_records_nothing_and_removes_its_file(
    monkeypatch, reviewer, meanwhile
):
    appeal, first = rendered_appeal(reviewer)
    files_before, public_before = stored_names(appeal), public_names()
    appeal.texts.update(summary="La police a ouvert une enquête le 24 mai 2019.")
    job = RenderJob.objects.create(appeal=appeal, language="fr", requested_by=reviewer)

    outcome = run_changing_the_job_while_it_renders(monkeypatch, job, meanwhile)

    assert outcome == "lost claim"
    assert list(AppealVersion.objects.filter(appeal=appeal)) == [first]
    job.refresh_from_db()
    assert job.version is None
    assert job.state != RenderJob.State.READY
    # Its file is gone: nothing but the first version's file in private storage.
    assert stored_names(appeal) == files_before
    # Readers still get the first version.
    assert public_names() == public_before
    response = Client().get(f"/appeals/{appeal.reference_slug}.pdf")
    assert response.status_code == 302
    assert first.sha256[:16] in response["Location"]


def test_the_attempt_that_holds_the_claim_after_a_reclaim_still_records_its_version(
    monkeypatch, reviewer
):
    """The other side of the rule: the second attempt, which owns the job, succeeds."""
    appeal, first = rendered_appeal(reviewer)
    appeal.texts.update(summary="La police a ouvert une enquête le 24 mai 2019.")
    job = RenderJob.objects.create(appeal=appeal, language="fr", requested_by=reviewer)
    assert run_changing_the_job_while_it_renders(monkeypatch, job, queued_again) == "lost claim"
    monkeypatch.undo()

    with TestCase.captureOnCommitCallbacks(execute=True):
        assert jobs.run(job.pk) == "rendered"

    job.refresh_from_db()
    assert job.state == RenderJob.State.READY and job.attempts == 2
    assert job.version.number == first.number + 1
    response = Client().get(f"/appeals/{appeal.reference_slug}.pdf")
    assert job.version.sha256[:16] in response["Location"]


# What storage holds is what is hashed.

TAMPER = b"\n% appended by the storage\n"


class AppendingStorage(FileSystemStorage):
    """Storage that does not keep the bytes it is given exactly (here it adds some)."""

    def _save(self, name, content):
        from django.core.files.base import ContentFile

        return super()._save(name, ContentFile(content.read() + TAMPER))


class FlippingStorage(FileSystemStorage):
    """Storage that changes one byte of what it keeps (a bad disk, a broken proxy)."""

    def _save(self, name, content):
        from django.core.files.base import ContentFile

        data = bytearray(content.read())
        data[len(data) // 2] ^= 0xFF
        return super()._save(name, ContentFile(bytes(data)))


@pytest.mark.parametrize("storage_class", [AppendingStorage, FlippingStorage])
def test_the_version_hash_and_size_are_those_of_the_stored_bytes(
    settings, monkeypatch, reviewer, storage_class
):
    settings.STORAGES = {
        **settings.STORAGES,
        "appeals": {
            **settings.STORAGES["appeals"],
            "BACKEND": f"{__name__}.{storage_class.__name__}",
        },
    }
    assert isinstance(storages["appeals"], storage_class)
    rendered = []
    real_render = jobs.render_pdf

    def keep(printable):
        rendered.append(real_render(printable))
        return rendered[-1]

    monkeypatch.setattr(jobs, "render_pdf", keep)

    _appeal, version = rendered_appeal(reviewer)

    with version.open() as stored:
        held = stored.read()
    assert held != rendered[0].content  # the storage did change what it kept
    assert version.sha256 == hashlib.sha256(held).hexdigest()
    assert version.size == len(held)
    # A reader's download checks out against the hash the API and the ETag give.
    response = Client().get(version.get_public_url())
    assert response["ETag"] == f'"{version.sha256}"'
    body = b"".join(response.streaming_content)
    assert hashlib.sha256(body).hexdigest() == version.sha256


# Claims: a job is rendered by one attempt at a time, a few attempts at most.


@pytest.mark.parametrize(
    "state", [RenderJob.State.RENDERING, RenderJob.State.READY, RenderJob.State.FAILED]
)
def test_a_job_not_queued_is_not_rendered_again(state):
    appeal = AppealFactory()
    job = RenderJob.objects.create(appeal=appeal, language="fr", state=state, attempts=1)

    assert jobs.run(job.pk) == "not claimed"

    job.refresh_from_db()
    assert job.state == state and job.attempts == 1
    assert not AppealVersion.objects.filter(appeal=appeal).exists()
    assert not storages["appeals"].exists(f"{appeal.pk}/fr")


def test_the_last_allowed_attempt_renders_and_the_next_is_refused(settings):
    settings.APPEAL_RENDER_MAX_ATTEMPTS = 2
    appeal = AppealFactory()
    last = RenderJob.objects.create(appeal=appeal, language="fr", attempts=1)

    with TestCase.captureOnCommitCallbacks(execute=True):
        assert jobs.run(last.pk) == "rendered"
    last.refresh_from_db()
    assert last.state == RenderJob.State.READY and last.attempts == 2

    appeal.texts.update(summary="La police a ouvert une enquête le 24 mai 2019.")
    over = RenderJob.objects.create(appeal=appeal, language="fr", attempts=2, error="disk full")
    assert jobs.run(over.pk) == "not claimed"
    over.refresh_from_db()
    assert over.state == RenderJob.State.FAILED and over.attempts == 2
    assert "The render failed 2 times. The last error: disk full" in over.error
    assert AppealVersion.objects.filter(appeal=appeal).count() == 1


def test_a_task_delivered_twice_makes_one_version(reviewer):
    from appeals.tasks import render_appeal

    appeal = AppealFactory()
    job = RenderJob.objects.create(appeal=appeal, language="fr")

    with TestCase.captureOnCommitCallbacks(execute=True):
        first = render_appeal.apply(args=[job.pk]).get()
        second = render_appeal.apply(args=[job.pk]).get()

    assert (first, second) == ("rendered", "not claimed")
    job.refresh_from_db()
    assert job.attempts == 1
    assert AppealVersion.objects.filter(appeal=appeal).count() == 1
    assert len(stored_names(appeal)) == 1
