import datetime

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


# Saving takes plain values (a form's cleaned_data, the API's validated data, a command's).


def test_saving_a_case_from_plain_values_files_a_draft_with_its_rows(editor):
    from casefile.rows import Row
    from incidents.services import incident_save

    from ..factories import status

    incident = incident_save(
        actor=editor,
        fields={
            "title": "Meeting of the Coalition Against Torture disrupted",
            "summary": "Men broke up the meeting in Bishkek.",
            "occurred_on": datetime.date(2019, 5, 23),
            "country": "KG",
            "status": status(),
        },
        rows={"sources": [Row(None, {"kind": "news_report", "title": "Meeting stopped"})]},
    )

    assert incident.publication_state == Incident.State.DRAFT
    assert incident.slug == "meeting-of-the-coalition-against-torture-disrupted"
    assert incident.sources.get().title == "Meeting stopped"
    assert incident.events.get().action == PublicationEvent.Action.CREATED


def test_a_save_never_writes_the_workflow_columns(reviewer):
    from incidents.services import incident_save

    incident = IncidentFactory(created_by=reviewer)

    with pytest.raises(ValueError, match="publication_state"):
        incident_save(actor=reviewer, incident=incident, fields={"publication_state": "published"})

    incident.refresh_from_db()
    assert incident.publication_state == Incident.State.DRAFT


def test_a_row_of_another_case_is_refused_and_left_alone(editor):
    from casefile.rows import Row
    from incidents.services import incident_save

    from ..factories import SourceFactory

    mine = IncidentFactory(created_by=editor)
    theirs = SourceFactory(incident=IncidentFactory(), title="Their source")

    with pytest.raises(PermissionDenied):
        incident_save(
            actor=editor,
            incident=mine,
            fields={},
            rows={"sources": [Row(theirs.pk, {"title": "Rewritten"})]},
        )
    with pytest.raises(PermissionDenied):
        incident_save(
            actor=editor, incident=mine, fields={}, rows={"sources": [Row(theirs.pk, delete=True)]}
        )

    theirs.refresh_from_db()
    assert theirs.title == "Their source"


def test_a_translation_of_another_cases_update_is_refused(editor):
    from incidents.services import incident_translation_save

    from ..factories import UpdateFactory

    mine = IncidentFactory(created_by=editor, original_language="fr")
    theirs = UpdateFactory(incident=IncidentFactory(), title="Their update")

    with pytest.raises(PermissionDenied):
        incident_translation_save(
            actor=editor,
            incident=mine,
            language="en",
            texts={"title": "Meeting disrupted"},
            update_texts={theirs.pk: {"title": "Rewritten", "body": ""}},
        )

    assert not theirs.translations.exists()
    assert not mine.translations.exists()
