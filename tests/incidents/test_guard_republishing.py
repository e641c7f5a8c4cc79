"""Guard: a case withdrawn and published again on the staff pages keeps, on the public
page and in the API, the date it was first published (issue 12's second test for the rule;
test_services.py checks the service)."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from incidents.models import Incident
from tests.factories import IncidentFactory

pytestmark = pytest.mark.django_db

FIRST_PUBLISHED = datetime.datetime(2021, 3, 14, 9, 30, tzinfo=datetime.UTC)


def test_a_case_republished_on_the_staff_page_keeps_its_first_publication_date(
    reviewer_client, django_capture_on_commit_callbacks
):
    incident = IncidentFactory(published=True, published_at=FIRST_PUBLISHED, title="Republished")
    withdraw = reverse("incidents:transition", kwargs={"pk": incident.pk, "action": "withdraw"})
    publish = reverse("incidents:transition", kwargs={"pk": incident.pk, "action": "publish"})

    with django_capture_on_commit_callbacks(execute=True):
        reviewer_client.post(withdraw, {"withdraw-note": "Checking a source."})
        assert Client().get(incident.get_absolute_url()).status_code == 404
        reviewer_client.post(publish, {"publish-note": "Source confirmed."})

    incident.refresh_from_db()
    assert incident.publication_state == Incident.State.PUBLISHED
    visitor = Client()
    page = visitor.get(incident.get_absolute_url())
    assert page.status_code == 200
    assert f'datetime="{FIRST_PUBLISHED.isoformat()}"' in page.text
    assert f'datetime="{timezone.now():%Y-%m-%d}' not in page.text
    api = visitor.get(f"/api/v1/incidents/{incident.pk}/")
    assert api.status_code == 200
    assert datetime.datetime.fromisoformat(api.json()["published_at"]) == FIRST_PUBLISHED
