"""Guards on what the incidents API reads give away (issue 12's mutation list).

A published case may carry appeals that are not public (a draft, one in review, one
withdrawn): its API detail names them to staff only.
"""

from datetime import timedelta

from django.test import Client
from django.utils import timezone

from appeals.models import Appeal
from tests.factories import AppealFactory, IncidentFactory

from .conftest import token_client

LIST = "/api/v1/incidents/"


def _appeals_of_a_published_case():
    incident = IncidentFactory(published=True)
    public = AppealFactory(incident=incident, published=True)
    hidden = []
    for state in (Appeal.State.DRAFT, Appeal.State.IN_REVIEW, Appeal.State.WITHDRAWN):
        appeal = AppealFactory(incident=incident, published=True)
        Appeal.objects.filter(pk=appeal.pk).update(publication_state=state)
        hidden.append(appeal)
    return incident, public, hidden


def test_anonymous_detail_of_a_published_case_names_only_its_published_appeals(client, db):
    incident, public, _hidden = _appeals_of_a_published_case()

    data = client.get(f"{LIST}{incident.pk}/").json()

    assert [appeal["id"] for appeal in data["appeals"]] == [public.pk]


def test_staff_detail_of_a_published_case_names_every_appeal(researcher, db):
    incident, public, hidden = _appeals_of_a_published_case()

    data = token_client(researcher).get(f"{LIST}{incident.slug}/").json()

    assert {appeal["id"] for appeal in data["appeals"]} == {public.pk, *(a.pk for a in hidden)}


def test_an_embargoed_appeal_leaves_no_trace_in_the_public_detail(client, db):
    incident = IncidentFactory(published=True)
    embargoed = AppealFactory(incident=incident, published=True)
    Appeal.objects.filter(pk=embargoed.pk).update(published_at=timezone.now() + timedelta(days=2))

    response = client.get(f"{LIST}{incident.slug}/")

    assert response.status_code == 200
    assert response.json()["appeals"] == []
    assert embargoed.reference not in response.content.decode()


def test_no_reader_without_a_staff_role_finds_the_exact_spot_in_the_detail(client, outsider, db):
    # An exact spot can lead to the people there: not for visitors, not for an account that
    # merely logged in.
    incident = IncidentFactory(published=True, latitude="42.874621", longitude="74.569762")
    logged_in = Client()
    logged_in.force_login(outsider)

    for reader in (client, logged_in):
        for address in (f"{LIST}{incident.pk}/", f"{LIST}{incident.slug}/?lang=ru"):
            response = reader.get(address)
            assert response.status_code == 200, address
            assert response.json()["place"] == incident.place
            text = response.content.decode()
            assert "42.874621" not in text and "74.569762" not in text, address
