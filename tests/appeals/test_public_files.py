"""The public location follows publication without a request writing to it.

Writes sync it (a transition, a stored render, an incident's publication changing); an
embargo that lapses is no write, so Celery beat runs ``publish_lapsed_embargoes``. A
visitor never gets the file of an appeal that is not public, and gets it as soon as it is,
whether or not the periodic task has run yet.
"""

import datetime

import pytest
from django.conf import settings as django_settings
from django.test import Client, TestCase
from django.utils import timezone

from appeals import publication
from appeals.models import Appeal
from appeals.publication import public_storage, sync_public_files
from appeals.services import appeal_request_render
from appeals.tasks import publish_lapsed_embargoes
from incidents.models import Incident
from tests.factories import AppealFactory

pytestmark = pytest.mark.django_db


def rendered_appeal(actor, **kwargs):
    appeal = AppealFactory(published=True, **kwargs)
    with TestCase.captureOnCommitCallbacks(execute=True):
        job = appeal_request_render(actor=actor, appeal=appeal, language="fr")
    job.refresh_from_db()
    assert job.state == "ready", job.error
    appeal.refresh_from_db()
    return appeal, job.version


def move(model, pk, **delta):
    """Set a record's publication time, from now, as the passing of time would."""
    model.objects.filter(pk=pk).update(published_at=timezone.now() + datetime.timedelta(**delta))


def embargoed_then_lapsed(actor, *, embargo_on):
    """An appeal rendered while its embargo (or its incident's) held, now lapsed."""
    appeal = AppealFactory(published=True)
    model, pk = (Appeal, appeal.pk) if embargo_on == "appeal" else (Incident, appeal.incident_id)
    move(model, pk, days=1)
    with TestCase.captureOnCommitCallbacks(execute=True):
        job = appeal_request_render(actor=actor, appeal=appeal, language="fr")
    job.refresh_from_db()
    assert job.state == "ready", job.error
    assert not public_storage().exists(job.version.public_name)
    move(model, pk, minutes=-1)
    appeal.refresh_from_db()
    return appeal, job.version


def public_names():
    storage = public_storage()
    return set(storage.listdir("")[1]) if storage.exists("") else set()


@pytest.mark.parametrize("embargo_on", ["appeal", "incident"])
def test_the_periodic_task_copies_out_the_file_of_a_lapsed_embargo(reviewer, embargo_on):
    appeal, version = embargoed_then_lapsed(reviewer, embargo_on=embargo_on)

    assert publish_lapsed_embargoes.apply().get() == [appeal.pk]

    assert public_names() == {version.public_name}
    response = Client().get(f"/appeals/{appeal.reference_slug}.pdf")
    assert response["Location"].endswith(f"/{version.public_name}")
    assert Client().get(response["Location"]).status_code == 200


def test_before_the_periodic_task_runs_the_stable_url_serves_the_file_and_writes_nothing(
    reviewer,
):
    appeal, version = embargoed_then_lapsed(reviewer, embargo_on="appeal")
    visitor = Client()

    response = visitor.get(f"/appeals/{appeal.reference_slug}.pdf")

    assert response.status_code == 302
    assert response["Location"] == version.get_public_url()
    assert "no-cache" in response["Cache-Control"]
    download = visitor.get(response["Location"])
    assert download.status_code == 200
    assert download["ETag"] == f'"{version.sha256}"'
    assert public_names() == set()  # a GET copies nothing out


def test_the_periodic_task_leaves_alone_what_is_not_public(reviewer):
    still_embargoed = AppealFactory(published=True)
    move(Appeal, still_embargoed.pk, days=1)
    incident_embargoed = AppealFactory(published=True)
    move(Incident, incident_embargoed.incident_id, days=1)
    draft = AppealFactory()
    for appeal in (still_embargoed, incident_embargoed, draft):
        with TestCase.captureOnCommitCallbacks(execute=True):
            appeal_request_render(actor=reviewer, appeal=appeal, language="fr")

    assert publish_lapsed_embargoes.apply().get() == []
    assert public_names() == set()


def test_the_periodic_task_looks_only_at_appeals_that_went_public_lately(reviewer):
    appeal, version = embargoed_then_lapsed(reviewer, embargo_on="appeal")
    long_ago = -(publication.LAPSED_WITHIN + datetime.timedelta(minutes=1))
    move(Appeal, appeal.pk, seconds=long_ago.total_seconds())
    move(Incident, appeal.incident_id, seconds=long_ago.total_seconds())

    assert publish_lapsed_embargoes.apply().get() == []
    # Left to a write (a transition, a render), and served meanwhile by the version's URL.
    response = Client().get(f"/appeals/{appeal.reference_slug}.pdf")
    assert response["Location"] == version.get_public_url()
    assert Client().get(response["Location"]).status_code == 200


def test_celery_beat_runs_the_periodic_task():
    from config.celery import app

    scheduled = {entry["task"] for entry in django_settings.CELERY_BEAT_SCHEDULE.values()}
    assert "appeals.tasks.publish_lapsed_embargoes" in scheduled
    assert "appeals.tasks.publish_lapsed_embargoes" in app.tasks


def test_an_appeal_withdrawn_while_its_files_are_copied_out_does_not_keep_them(
    reviewer, monkeypatch
):
    # The withdrawal commits during the copy, and its own sync ran before the copy landed.
    appeal, version = rendered_appeal(reviewer)
    public_storage().delete(version.public_name)
    real_publish = publication.publish_version_file

    def withdrawn_meanwhile(version):
        real_publish(version)
        Appeal.objects.filter(pk=appeal.pk).update(publication_state=Appeal.State.WITHDRAWN)

    monkeypatch.setattr(publication, "publish_version_file", withdrawn_meanwhile)

    sync_public_files(appeal)

    assert public_names() == set()
    assert Client().get(f"/appeals/{appeal.reference_slug}.pdf").status_code == 404
