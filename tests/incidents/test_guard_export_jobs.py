"""Guard: the export job services on their own, beneath the pages and the API that
test_export_jobs.py walks (issue 12's second test for each rule): whose job a request
joins, who may read a job, and what a damaged file gets."""

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.http import QueryDict
from django.utils import timezone

from incidents import export_jobs
from incidents.models import ExportJob
from tests.api.conftest import token_client
from tests.factories import IncidentFactory, UserFactory

from .test_export_jobs import alter_without_resizing

pytestmark = pytest.mark.django_db

CANARY = "Draft canary 51c0"


@pytest.fixture
def cases(db):
    IncidentFactory.create_batch(2, published=True, country="KG")
    IncidentFactory(country="KG", title=CANARY)


def api_export(user, export_format="json") -> ExportJob:
    return export_jobs.export_job_request(
        actor=user,
        data=QueryDict("country=KG"),
        export_format=export_format,
        via=ExportJob.Via.API,
    )


def written(job: ExportJob) -> ExportJob:
    assert export_jobs.run(job.pk) == "ready"
    job.refresh_from_db()
    return job


def content(job: ExportJob) -> str:
    with export_jobs.open_verified(job) as handle:
        return handle.read().decode()


def test_the_same_api_export_is_a_separate_job_for_each_staff_member_and_the_public(
    researcher, cases
):
    colleague = UserFactory(roles=["reviewer"])

    own = api_export(researcher)
    public = api_export(AnonymousUser())
    colleagues = api_export(colleague)

    assert own.owner == researcher
    assert public.owner is None
    assert colleagues.owner == colleague
    assert len({own.pk, public.pk, colleagues.pk}) == 3
    assert len({own.key, public.key, colleagues.key}) == 3
    assert CANARY not in content(written(public))
    assert CANARY in content(written(own))
    # Asked again, each gets its own job back.
    assert api_export(researcher) == own
    assert api_export(AnonymousUser()) == public


def test_a_staff_job_is_no_longer_readable_by_its_owner_once_out_of_the_staff(researcher, cases):
    job = written(api_export(researcher))
    assert export_jobs.job_for(job.token, User.objects.get(pk=researcher.pk)) == job

    researcher.groups.clear()
    former = User.objects.get(pk=researcher.pk)  # a new request loads the user afresh

    assert not export_jobs.may_read(job, former)
    assert export_jobs.job_for(job.token, former) is None
    assert export_jobs.job_for(job.token, AnonymousUser()) is None


def test_a_file_altered_without_changing_its_size_is_refused(cases):
    job = written(api_export(AnonymousUser(), export_format="csv"))
    assert CANARY not in content(job)
    alter_without_resizing(job)

    with pytest.raises(export_jobs.DamagedFile, match="SHA-256"):
        export_jobs.open_verified(job)


def test_another_staff_member_cannot_read_a_colleagues_job_even_with_its_token(researcher, cases):
    # Tokens travel: pasted in a chat, left in a browser history. The job is still its
    # owner's alone, whatever role the holder of the token has.
    job = written(api_export(researcher))
    for role in ("researcher", "editor", "reviewer"):
        colleague = UserFactory(username=f"colleague.{role}", roles=[role])
        assert not export_jobs.may_read(job, colleague), role
        assert export_jobs.job_for(job.token, colleague) is None, role
    assert export_jobs.job_for(job.token, User.objects.get(pk=researcher.pk)) == job


def test_a_staff_export_past_its_expiry_is_gone_for_its_owner_too(researcher, cases):
    # A file holding drafts must not outlive its time on a shared server, even for the
    # staff member who asked for it.
    job = written(api_export(researcher))
    download = f"/api/v1/incidents/exports/{job.token}/download"
    owner = token_client(researcher)
    assert CANARY in b"".join(owner.get(download).streaming_content).decode()

    ExportJob.objects.filter(pk=job.pk).update(expires_at=timezone.now())
    response = owner.get(download)

    assert response.status_code == 410
    assert CANARY not in response.content.decode()
