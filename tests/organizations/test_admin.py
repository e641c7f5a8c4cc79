"""The admin shows organizations and perpetrator groups but does not write them.

They are edited on the staff screens, through ``organizations.services``.
"""

import pytest
from django.urls import reverse

from organizations.models import Organization, PerpetratorGroup
from tests.factories import (
    IncidentFactory,
    OrganizationFactory,
    PerpetratorGroupFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(username="ada.admin", is_staff=True, is_superuser=True))
    return client


def test_an_administrator_reads_an_organization_but_cannot_change_it(admin_client):
    organization = OrganizationFactory(name="Coalition Against Torture")
    url = reverse("admin:organizations_organization_change", args=[organization.pk])

    page = admin_client.get(url)
    changed = admin_client.post(url, {"name": "Renamed in the admin"})

    assert page.status_code == 200
    assert "Coalition Against Torture" in page.text
    assert 'name="_save"' not in page.text
    assert changed.status_code == 403
    organization.refresh_from_db()
    assert organization.name == "Coalition Against Torture"
    assert organization.history.count() == 1


def test_an_administrator_reads_a_perpetrator_group_but_cannot_change_it(admin_client):
    group = PerpetratorGroupFactory(name="Kazakhstan police")
    url = reverse("admin:organizations_perpetratorgroup_change", args=[group.pk])

    page = admin_client.get(url)
    changed = admin_client.post(url, {"name": "Renamed in the admin"})

    assert page.status_code == 200
    assert "Kazakhstan police" in page.text
    assert 'name="_save"' not in page.text
    assert changed.status_code == 403
    group.refresh_from_db()
    assert group.name == "Kazakhstan police"


@pytest.mark.parametrize("model", [Organization, PerpetratorGroup])
def test_the_admin_adds_neither(admin_client, model):
    url = reverse(f"admin:organizations_{model._meta.model_name}_add")

    assert admin_client.get(url).status_code == 403
    assert admin_client.post(url, {"name": "Added in the admin"}).status_code == 403
    assert not model.objects.exists()


def test_the_admin_does_not_delete_an_organization_named_in_a_published_case(admin_client):
    organization = OrganizationFactory(name="Coalition Against Torture")
    incident = IncidentFactory(published=True)
    incident.organizations.add(organization)
    url = reverse("admin:organizations_organization_delete", args=[organization.pk])

    response = admin_client.post(url, {"post": "yes"})

    assert response.status_code == 403
    assert incident.organizations.filter(pk=organization.pk).exists()
