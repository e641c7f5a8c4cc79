"""Guard: an administrator deactivates an account (someone left, a laptop was seized) and
every role goes with it at once, beneath the login, which Django already refuses: in the
workflow services and in what the querysets let the account read (issue 12's second test
for the rule of tests/incidents/test_roles.py::test_inactive_staff_lose_their_role)."""

import pytest
from django.core.exceptions import PermissionDenied

from incidents.models import Incident, PublicationEvent
from incidents.services import incident_publish
from organizations.models import Organization
from tests.factories import IncidentFactory, OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_deactivated_reviewer_can_no_longer_publish_what_waits_in_review():
    reviewer = UserFactory(username="left.reviewer", roles=["reviewer"])
    incident = IncidentFactory(in_review=True)
    reviewer.is_active = False
    reviewer.save()

    with pytest.raises(PermissionDenied):
        incident_publish(actor=reviewer, incident=incident, note="Published on the way out.")

    incident.refresh_from_db()
    assert incident.publication_state == Incident.State.IN_REVIEW
    assert not PublicationEvent.objects.filter(incident=incident).exists()


def test_a_deactivated_researcher_reads_what_the_public_reads():
    researcher = UserFactory(username="left.researcher", roles=["researcher"], is_active=False)
    published = IncidentFactory(published=True)
    hidden = OrganizationFactory(name="Shelter for witnesses")
    IncidentFactory(title="Witness statements, not yet checked", organizations=[hidden])

    assert list(Incident.objects.visible_to(researcher)) == [published]
    assert hidden not in Organization.objects.visible_to(researcher)
