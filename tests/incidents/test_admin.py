"""The admin shows cases and appeals but does not write them: their services do.

A case saved in the admin would skip the search vectors, the facet counts, the workflow's
events and the audit trail; an appeal, its public files too. An administrator may still
delete a case, and its facet counts follow.
"""

import pytest
from django.urls import reverse

from incidents.facets import refresh_facet_counts
from incidents.models import FacetCount, Incident
from tests.factories import AppealFactory, IncidentFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(username="ada.admin", is_staff=True, is_superuser=True))
    return client


def test_an_administrator_reads_a_case_in_the_admin_but_cannot_change_it(admin_client):
    incident = IncidentFactory(published=True, title="Meeting disrupted in Bishkek")
    url = reverse("admin:incidents_incident_change", args=[incident.pk])

    page = admin_client.get(url)
    changed = admin_client.post(url, {"title": "Rewritten in the admin"})

    assert page.status_code == 200
    assert "Meeting disrupted in Bishkek" in page.text
    assert 'name="_save"' not in page.text
    assert changed.status_code == 403
    incident.refresh_from_db()
    assert incident.title == "Meeting disrupted in Bishkek"


def test_the_admin_adds_no_case(admin_client):
    assert admin_client.get(reverse("admin:incidents_incident_add")).status_code == 403


def test_a_case_deleted_in_the_admin_leaves_the_facet_counts(admin_client):
    incident = IncidentFactory(published=True)
    key = {"country": incident.country.code, "status": incident.status, "year": 2019}
    Incident.objects.filter(pk=incident.pk).update(occurred_on="2019-05-23")
    refresh_facet_counts()
    assert FacetCount.objects.get(**key).count == 1

    response = admin_client.post(
        reverse("admin:incidents_incident_delete", args=[incident.pk]), {"post": "yes"}
    )

    assert response.status_code == 302
    assert not FacetCount.objects.filter(**key, count__gt=0).exists()


def test_an_appeal_is_neither_changed_nor_deleted_in_the_admin(admin_client):
    appeal = AppealFactory(published=True)
    change = reverse("admin:appeals_appeal_change", args=[appeal.pk])

    assert admin_client.get(change).status_code == 200
    assert admin_client.post(change, {"deadline": "2030-01-01"}).status_code == 403
    delete = reverse("admin:appeals_appeal_delete", args=[appeal.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    appeal.refresh_from_db()
    assert appeal.deadline is None or str(appeal.deadline) != "2030-01-01"
