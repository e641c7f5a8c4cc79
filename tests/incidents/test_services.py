import pytest
from django.core.exceptions import PermissionDenied

from incidents.models import Incident, PublicationEvent
from incidents.services import (
    incident_publish,
    incident_send_back,
    incident_submit,
    incident_unique_slug,
    incident_withdraw,
)

from ..factories import IncidentFactory

pytestmark = pytest.mark.django_db


def test_full_workflow_records_who_did_what(editor, reviewer):
    incident = IncidentFactory(created_by=editor)

    incident_submit(actor=editor, incident=incident)
    incident_send_back(actor=reviewer, incident=incident, note="Add a second source")
    incident_submit(actor=editor, incident=incident)
    incident = incident_publish(actor=reviewer, incident=incident)

    assert incident.is_published
    assert incident.published_at is not None
    events = list(incident.events.order_by("at", "pk").values_list("action", "actor__username"))
    assert events == [
        ("submitted", "elena.editor"),
        ("sent_back", "ruslan.reviewer"),
        ("submitted", "elena.editor"),
        ("published", "ruslan.reviewer"),
    ]
    assert incident.events.get(action="sent_back").note == "Add a second source"


def test_editor_cannot_publish(editor):
    incident = IncidentFactory(in_review=True)

    with pytest.raises(PermissionDenied):
        incident_publish(actor=editor, incident=incident)

    incident.refresh_from_db()
    assert incident.publication_state == Incident.State.IN_REVIEW
    assert not PublicationEvent.objects.exists()


def test_researcher_cannot_submit(researcher):
    with pytest.raises(PermissionDenied):
        incident_submit(actor=researcher, incident=IncidentFactory())


def test_reviewer_cannot_publish_a_draft_that_skipped_review(reviewer):
    with pytest.raises(PermissionDenied):
        incident_publish(actor=reviewer, incident=IncidentFactory())


def test_withdrawing_takes_the_case_off_the_public_site(reviewer):
    incident = IncidentFactory(published=True)

    incident_withdraw(actor=reviewer, incident=incident, note="Safety of the family")

    assert not Incident.objects.published().exists()


def test_republishing_keeps_the_first_publication_date(reviewer):
    incident = IncidentFactory(withdrawn=True)
    first_published_at = incident.published_at

    incident = incident_publish(actor=reviewer, incident=incident)

    assert incident.published_at == first_published_at


def test_unique_slug_gets_a_suffix_and_keeps_cyrillic():
    IncidentFactory(slug="встреча-сорвана")

    assert incident_unique_slug(title="Встреча сорвана") == "встреча-сорвана-2"
    assert incident_unique_slug(title="!!!") == "case"
