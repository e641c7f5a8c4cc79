"""Guards on what the incidents API reads give away (issue 12's mutation list).

A published case may carry appeals that are not public (a draft, one in review, one
withdrawn): its API detail names them to staff only.
"""

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
        Appeal.objects.filter(pk=appeal.pk).update(state=state)
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
