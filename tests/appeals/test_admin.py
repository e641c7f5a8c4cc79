"""The admin shows addressees but does not write them: the staff screens do, through
``appeals.services.addressee_save``."""

import pytest
from django.urls import reverse

from appeals.models import Addressee
from tests.factories import AddresseeFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(username="ada.admin", is_staff=True, is_superuser=True))
    return client


def test_an_administrator_reads_an_addressee_but_cannot_change_it(admin_client):
    addressee = AddresseeFactory(name="Prosecutor General of the Kyrgyz Republic")
    url = reverse("admin:appeals_addressee_change", args=[addressee.pk])

    page = admin_client.get(url)
    changed = admin_client.post(url, {"name": "Renamed in the admin"})

    assert page.status_code == 200
    assert "Prosecutor General of the Kyrgyz Republic" in page.text
    assert 'name="_save"' not in page.text
    assert changed.status_code == 403
    addressee.refresh_from_db()
    assert addressee.name == "Prosecutor General of the Kyrgyz Republic"


def test_the_admin_adds_no_addressee(admin_client):
    url = reverse("admin:appeals_addressee_add")

    assert admin_client.get(url).status_code == 403
    assert admin_client.post(url, {"name": "Added in the admin"}).status_code == 403
    assert not Addressee.objects.exists()
