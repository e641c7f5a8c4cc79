"""Public downloads: who gets which file, with which headers, and what withdrawal removes."""

import datetime
import hashlib

import pytest
from django.core.files.storage import storages
from django.test import TestCase
from django.utils import timezone

from appeals.models import Appeal
from appeals.services import appeal_request_render, appeal_withdraw
from incidents.services import incident_withdraw
from tests.factories import AppealFactory, AppealTextFactory

pytestmark = pytest.mark.django_db


def rendered_appeal(actor, **kwargs):
    appeal = AppealFactory(published=True, **kwargs)
    with TestCase.captureOnCommitCallbacks(execute=True):
        job = appeal_request_render(actor=actor, appeal=appeal, language=appeal.original_language)
    job.refresh_from_db()
    assert job.state == "ready", job.error
    return appeal, job.version


def follow(client, response):
    assert response.status_code == 302
    return client.get(response["Location"])


def test_stable_url_redirects_to_the_content_hashed_public_file(client, reviewer):
    appeal, version = rendered_appeal(reviewer)
    response = client.get(f"/appeals/{appeal.reference_slug}.pdf")

    assert response["Location"].startswith("/media/public/appeals/")
    assert version.sha256[:16] in response["Location"]
    assert "no-cache" in response["Cache-Control"]
    file_response = follow(client, response)
    body = b"".join(file_response.streaming_content)
    assert hashlib.sha256(body).hexdigest() == version.sha256
    assert file_response["Content-Type"] == "application/pdf"
    assert "immutable" in file_response["Cache-Control"]
    assert "max-age=31536000" in file_response["Cache-Control"]


def test_versioned_url_serves_the_pdf_with_reference_filename_etag_and_long_caching(
    client, reviewer
):
    appeal, version = rendered_appeal(reviewer)
    response = client.get(version.get_public_url())

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f'filename="{version.download_name}"' in response["Content-Disposition"]
    assert version.download_name.startswith(appeal.reference.replace(" / ", "-").replace(" ", "-"))
    assert response["ETag"] == f'"{version.sha256}"'
    assert "immutable" in response["Cache-Control"]
    assert hashlib.sha256(b"".join(response.streaming_content)).hexdigest() == version.sha256

    again = client.get(version.get_public_url(), headers={"If-None-Match": response["ETag"]})
    assert again.status_code == 304


def test_old_versions_stay_downloadable_after_a_new_one(client, reviewer):
    appeal, first = rendered_appeal(reviewer)
    appeal.texts.update(summary="La police a ouvert une enquête le 24 mai 2019.")
    with TestCase.captureOnCommitCallbacks(execute=True):
        job = appeal_request_render(actor=reviewer, appeal=appeal, language="fr")
    job.refresh_from_db()
    assert job.version.number == 2

    assert client.get(first.get_public_url()).status_code == 200
    latest = client.get(f"/appeals/{appeal.reference_slug}.pdf")
    assert job.version.sha256[:16] in latest["Location"]
    page = client.get(appeal.get_public_url())
    assert page.status_code == 200
    assert first.get_public_url() in page.content.decode()
    assert job.version.get_public_url() in page.content.decode()


def test_case_page_links_to_the_appeal_in_each_language_and_every_version(client, reviewer):
    appeal, version = rendered_appeal(reviewer)
    page = client.get(appeal.incident.get_absolute_url()).content.decode()
    assert "Download the urgent appeal" in page
    assert f"/appeals/{appeal.reference_slug}.pdf" in page
    assert f"/appeals/{appeal.reference_slug}.fr.pdf" in page
    assert version.get_public_url() in page


def test_withdrawing_an_appeal_removes_its_public_files(client, reviewer):
    appeal, version = rendered_appeal(reviewer)
    public = storages["public_appeals"]
    assert public.exists(version.public_name)

    with TestCase.captureOnCommitCallbacks(execute=True):
        appeal_withdraw(actor=reviewer, appeal=appeal)

    assert not public.exists(version.public_name)
    assert client.get(f"/appeals/{appeal.reference_slug}.pdf").status_code == 404
    assert client.get(version.get_public_url()).status_code == 404
    assert client.get(f"/media/public/appeals/{version.public_name}").status_code == 404


def test_withdrawing_the_incident_removes_its_appeals_public_files(client, reviewer):
    appeal, version = rendered_appeal(reviewer)
    with TestCase.captureOnCommitCallbacks(execute=True):
        incident_withdraw(actor=reviewer, incident=appeal.incident)

    assert not storages["public_appeals"].exists(version.public_name)
    assert client.get(f"/appeals/{appeal.reference_slug}.pdf").status_code == 404


def test_a_draft_appeal_renders_for_staff_but_is_never_public(client, reviewer):
    appeal = AppealFactory()
    with TestCase.captureOnCommitCallbacks(execute=True):
        job = appeal_request_render(actor=reviewer, appeal=appeal, language="fr")
    job.refresh_from_db()
    assert job.state == "ready"
    assert appeal.reference is None
    public = storages["public_appeals"]
    assert not public.exists("") or public.listdir("")[1] == []


def test_embargoed_incident_keeps_its_appeal_private_until_the_embargo_lapses(client, reviewer):
    appeal, _version = rendered_appeal(reviewer)
    incident = appeal.incident
    incident.published_at = timezone.now() + datetime.timedelta(days=1)
    incident.save()
    assert client.get(f"/appeals/{appeal.reference_slug}.pdf").status_code == 404

    incident.published_at = timezone.now() - datetime.timedelta(minutes=1)
    incident.save()
    response = client.get(f"/appeals/{appeal.reference_slug}.pdf")
    assert follow(client, response).status_code == 200


def test_unknown_references_and_languages_are_404(client, reviewer):
    appeal, _version = rendered_appeal(reviewer)
    assert client.get("/appeals/kgz-999-0519.pdf").status_code == 404
    assert client.get(f"/appeals/{appeal.reference_slug}.ru.pdf").status_code == 404
    assert client.get(f"/appeals/{appeal.reference_slug}/fr/v9.pdf").status_code == 404
    assert client.get("/media/public/appeals/..%2F..%2Fprivate%2Fx.pdf").status_code == 404


def test_publishing_issues_a_reference_and_renders_every_language(reviewer):
    from appeals.services import appeal_publish

    appeal = AppealFactory(incident__country="KZ")
    # Every section the French text has, in Russian too: publication checks for it.
    AppealTextFactory(
        appeal=appeal, language="ru", title="Казахстан", summary="Январские события 2022 года"
    )
    Appeal.objects.filter(pk=appeal.pk).update(publication_state=Appeal.State.IN_REVIEW)
    with TestCase.captureOnCommitCallbacks(execute=True):
        appeal_publish(actor=reviewer, appeal=appeal)

    appeal.refresh_from_db()
    assert appeal.reference == f"KAZ 001 / {timezone.localdate():%m%y}"
    assert sorted(appeal.versions.ready().values_list("language", flat=True)) == ["fr", "ru"]
    assert sorted(storages["public_appeals"].listdir("")[1]) == sorted(
        version.public_name for version in appeal.versions.all()
    )
