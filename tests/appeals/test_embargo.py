"""An appeal whose publication time is still ahead is under embargo: to the public it does not
exist yet, by any road (page, PDF, case page, API, sitemap, filters), until that time passes.
"""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.storage import storages
from django.test import Client, TestCase
from django.utils import timezone

from appeals.models import Appeal, AppealVersion
from appeals.services import appeal_request_render
from appeals.tasks import publish_lapsed_embargoes
from incidents.models import Incident
from tests.factories import AppealFactory

pytestmark = pytest.mark.django_db


def embargo(appeal, **ahead):
    Appeal.objects.filter(pk=appeal.pk).update(
        published_at=timezone.now() + datetime.timedelta(**(ahead or {"days": 1}))
    )


def lapse(appeal):
    Appeal.objects.filter(pk=appeal.pk).update(
        published_at=timezone.now() - datetime.timedelta(minutes=1)
    )


def embargoed_appeal_with_a_pdf(actor):
    """A published appeal under embargo, rendered once it was (as a scheduled one is)."""
    appeal = AppealFactory(published=True)
    embargo(appeal)
    with TestCase.captureOnCommitCallbacks(execute=True):
        job = appeal_request_render(actor=actor, appeal=appeal, language="fr")
    job.refresh_from_db()
    assert job.state == "ready", job.error
    appeal.refresh_from_db()
    return appeal, job.version


# The querysets every public road starts from.


def test_an_embargoed_appeal_is_not_published_until_its_time(reviewer):
    appeal, version = embargoed_appeal_with_a_pdf(reviewer)

    assert not Appeal.objects.published().filter(pk=appeal.pk).exists()
    assert not AppealVersion.objects.published().filter(pk=version.pk).exists()
    assert not Appeal.objects.visible_to(AnonymousUser()).filter(pk=appeal.pk).exists()
    assert Appeal.objects.visible_to(reviewer).filter(pk=appeal.pk).exists()
    assert not Appeal.objects.with_public_flag().get(pk=appeal.pk).is_public
    assert not Incident.objects.filter(appeals__in=Appeal.objects.published()).exists()

    lapse(appeal)

    assert Appeal.objects.published().filter(pk=appeal.pk).exists()
    assert AppealVersion.objects.published().filter(pk=version.pk).exists()
    assert Appeal.objects.visible_to(AnonymousUser()).filter(pk=appeal.pk).exists()
    assert Appeal.objects.with_public_flag().get(pk=appeal.pk).is_public


def test_an_embargo_a_second_ahead_still_holds():
    appeal = AppealFactory(published=True)
    embargo(appeal, seconds=30)

    assert not Appeal.objects.published().filter(pk=appeal.pk).exists()


# The public roads, as a reader takes them.


def public_roads(client, appeal, version):
    """What each public road shows of the appeal: True where it shows it."""
    slug = appeal.reference_slug
    case_page = client.get(appeal.incident.get_absolute_url()).content.decode()
    api_list = client.get("/api/v1/appeals/").json()
    incidents_with_appeal = client.get("/api/v1/incidents/", {"has_appeal": "true"}).json()
    incidents_in_french = client.get("/api/v1/incidents/", {"appeal_language": "fr"}).json()
    sitemap = client.get("/sitemap-appeals-1.xml")
    return {
        "page": client.get(appeal.get_public_url()).status_code == 200,
        "latest pdf": client.get(f"/appeals/{slug}.pdf").status_code == 302,
        "latest pdf in french": client.get(f"/appeals/{slug}.fr.pdf").status_code == 302,
        "version pdf": client.get(version.get_public_url()).status_code == 200,
        "public file": storages["public_appeals"].exists(version.public_name)
        and client.get(f"/media/public/appeals/{version.public_name}").status_code == 200,
        "case page download link": "Download the urgent appeal" in case_page
        or f"/appeals/{slug}.pdf" in case_page,
        "case page reference": appeal.reference in case_page,
        "api list": appeal.pk in {row["id"] for row in rows(api_list)},
        "api by slug": client.get(f"/api/v1/appeals/{slug}/").status_code == 200,
        "api by id": client.get(f"/api/v1/appeals/{appeal.pk}/").status_code == 200,
        "incidents with an appeal": appeal.incident_id
        in {row["id"] for row in rows(incidents_with_appeal)},
        "incidents with a french pdf": appeal.incident_id
        in {row["id"] for row in rows(incidents_in_french)},
        "sitemap": sitemap.status_code == 200
        and f"/appeals/{slug}/" in b"".join(sitemap.streaming_content).decode(),
    }


def rows(answer):
    return answer["results"] if isinstance(answer, dict) else answer


def test_an_embargoed_appeal_is_absent_from_every_public_road(reviewer):
    appeal, version = embargoed_appeal_with_a_pdf(reviewer)
    client = Client()

    shown = public_roads(client, appeal, version)

    assert not any(shown.values()), [road for road, seen in shown.items() if seen]


def test_an_appeal_appears_on_every_public_road_once_its_embargo_lapses(reviewer):
    appeal, version = embargoed_appeal_with_a_pdf(reviewer)
    client = Client()
    assert not any(public_roads(client, appeal, version).values())

    lapse(appeal)
    # No request copies the file out: Celery beat's periodic task does.
    assert publish_lapsed_embargoes.apply().get() == [appeal.pk]

    shown = public_roads(client, appeal, version)
    assert all(shown.values()), [road for road, seen in shown.items() if not seen]


def test_staff_still_see_an_embargoed_appeal_on_the_api(reviewer):
    appeal, _version = embargoed_appeal_with_a_pdf(reviewer)
    client = Client()
    client.force_login(reviewer)

    answer = client.get(f"/api/v1/appeals/{appeal.pk}/").json()

    assert answer["reference"] == appeal.reference
    # Download addresses are public URLs: none for an appeal the public cannot see yet.
    assert answer["url"] is None and answer["download_urls"] == {}
    assert all(version["download_url"] is None for version in answer["versions"])
