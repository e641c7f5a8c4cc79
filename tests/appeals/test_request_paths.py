"""The stable download URL of an appeal answers in one query, with the right file."""

import datetime
import hashlib

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.utils import timezone

from appeals.models import AppealVersion
from appeals.publication import sync_public_files
from incidents.models import Incident
from tests.factories import AppealFactory

pytestmark = pytest.mark.django_db


def stored_version(appeal, language: str, number: int) -> AppealVersion:
    """A ready version whose PDF is in the private storage, and in the public location if
    the appeal is public, as the renderer leaves it."""
    content = f"%PDF-1.7 {appeal.pk} {language} v{number}".encode()
    name = storages["appeals"].save(f"{appeal.pk}-{language}-{number}.pdf", ContentFile(content))
    version = AppealVersion.objects.create(
        appeal=appeal,
        language=language,
        number=number,
        file_name=name,
        content_hash=hashlib.sha256(name.encode()).hexdigest(),
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
        ready_at=timezone.now(),
    )
    sync_public_files(appeal)
    return version


@pytest.fixture
def appeal():
    """Issued in French (its original) and translated into Russian, each in two versions."""
    appeal = AppealFactory(published=True, original_language="fr")
    for language in ("fr", "ru"):
        for number in (1, 2):
            stored_version(appeal, language, number)
    return appeal


def downloaded(client, response) -> bytes:
    assert response.status_code == 302
    return b"".join(client.get(response["Location"]).streaming_content)


def test_the_stable_url_redirects_to_the_newest_public_file_in_one_query(
    client, appeal, django_assert_num_queries
):
    newest = appeal.versions.get(language="fr", number=2)
    with django_assert_num_queries(1):
        response = client.get(f"/appeals/{appeal.reference_slug}.pdf")

    assert response["Location"] == f"/media/public/appeals/{newest.public_name}"
    assert "no-cache" in response["Cache-Control"]
    assert hashlib.sha256(downloaded(client, response)).hexdigest() == newest.sha256


@pytest.mark.parametrize(
    ("accept_language", "expected"),
    [("ru", "ru"), ("fr", "fr"), ("en", "fr"), ("ar", "fr")],  # else the original
)
def test_the_stable_url_prefers_the_readers_language_then_the_original(
    client, appeal, accept_language, expected
):
    response = client.get(
        f"/appeals/{appeal.reference_slug}.pdf", headers={"accept-language": accept_language}
    )

    assert response["Location"].endswith(
        appeal.versions.get(language=expected, number=2).public_name
    )


def test_without_the_original_any_language_will_do(client, django_assert_num_queries):
    appeal = AppealFactory(published=True, original_language="fr")
    russian = stored_version(appeal, "ru", 1)
    with django_assert_num_queries(1):
        response = client.get(f"/appeals/{appeal.reference_slug}.pdf")

    assert response["Location"].endswith(russian.public_name)


def test_a_language_asked_for_in_the_url_is_served_or_404_in_one_query(
    client, appeal, django_assert_num_queries
):
    with django_assert_num_queries(1):
        response = client.get(f"/appeals/{appeal.reference_slug}.ru.pdf")
    assert response["Location"].endswith(appeal.versions.get(language="ru", number=2).public_name)
    with django_assert_num_queries(1):
        assert client.get(f"/appeals/{appeal.reference_slug}.ar.pdf").status_code == 404


def test_a_version_url_serves_that_version_in_one_query(client, appeal, django_assert_num_queries):
    first = appeal.versions.get(language="ru", number=1)
    with django_assert_num_queries(1):
        response = client.get(first.get_public_url())

    assert response.status_code == 200
    assert hashlib.sha256(b"".join(response.streaming_content)).hexdigest() == first.sha256
    assert f'filename="{first.download_name}"' in response["Content-Disposition"]


@pytest.mark.parametrize("hidden", ["draft_appeal", "withdrawn_incident", "embargoed_incident"])
def test_an_appeal_the_public_may_not_see_is_404_in_one_query(
    client, appeal, hidden, django_assert_num_queries
):
    version = appeal.versions.get(language="fr", number=2)
    if hidden == "draft_appeal":
        appeal.publication_state = appeal.State.DRAFT
        appeal.save()
    elif hidden == "withdrawn_incident":
        Incident.objects.filter(pk=appeal.incident_id).update(
            publication_state=Incident.State.WITHDRAWN
        )
    else:
        Incident.objects.filter(pk=appeal.incident_id).update(
            published_at=timezone.now() + datetime.timedelta(days=1)
        )
    sync_public_files(appeal)  # as the write that hid it does (a service, a signal)

    with django_assert_num_queries(1):
        assert client.get(f"/appeals/{appeal.reference_slug}.pdf").status_code == 404
    with django_assert_num_queries(1):
        assert client.get(version.get_public_url()).status_code == 404
    assert not storages["public_appeals"].exists(version.public_name)
