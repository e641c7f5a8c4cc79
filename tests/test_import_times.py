"""An import gives the past time of a step (``at=``): the demo cases were published in 2019.

The record's event and its first ``published_at`` take that time, an appeal's reference its
date; the audit trail keeps the time of the write itself.
"""

import datetime

import pytest
from django.utils import timezone

from appeals.models import AppealEvent
from appeals.services import appeal_publish, appeal_submit
from casefile.audit.models import AuditEvent
from incidents.models import Incident, PublicationEvent
from incidents.services import incident_publish, incident_save, incident_submit

from .factories import AppealFactory, IncidentFactory, status

pytestmark = pytest.mark.django_db

FILED = datetime.datetime(2019, 5, 24, 8, tzinfo=datetime.UTC)
PUBLISHED = datetime.datetime(2019, 5, 24, 12, tzinfo=datetime.UTC)


def test_a_case_published_at_a_past_time_keeps_it(reviewer):
    before = timezone.now()
    incident = IncidentFactory(in_review=True)

    incident = incident_publish(actor=reviewer, incident=incident, at=PUBLISHED)

    assert incident.published_at == PUBLISHED
    assert Incident.objects.published().filter(pk=incident.pk).exists()
    event = incident.events.get(action=PublicationEvent.Action.PUBLISHED)
    assert event.at == PUBLISHED
    assert AuditEvent.objects.get(action=AuditEvent.Action.PUBLISHED).occurred_at >= before


def test_a_step_without_a_time_is_now(editor):
    before = timezone.now()

    incident = incident_submit(actor=editor, incident=IncidentFactory())

    assert incident.events.get(action=PublicationEvent.Action.SUBMITTED).at >= before


def test_a_republished_case_keeps_its_first_publication_time(reviewer):
    first = timezone.now() - datetime.timedelta(days=1)
    incident = IncidentFactory(withdrawn=True, published_at=first)

    incident = incident_publish(actor=reviewer, incident=incident, at=PUBLISHED)

    assert incident.published_at == first
    assert incident.events.get(action=PublicationEvent.Action.PUBLISHED).at == PUBLISHED


def test_a_case_filed_at_a_past_time_is_created_then(editor):
    incident = incident_save(
        actor=editor,
        fields={
            "title": "Meeting disrupted in Bishkek",
            "summary": "Nine people burst into the meeting.",
            "occurred_on": datetime.date(2019, 5, 23),
            "country": "KG",
            "status": status(),
        },
        at=FILED,
    )

    assert incident.created_at == FILED
    assert incident.events.get(action=PublicationEvent.Action.CREATED).at == FILED


def test_an_appeal_issued_at_a_past_time_carries_its_date(reviewer):
    appeal = appeal_submit(
        actor=reviewer, appeal=AppealFactory(), at=PUBLISHED - datetime.timedelta(hours=1)
    )

    appeal = appeal_publish(actor=reviewer, appeal=appeal, at=PUBLISHED)

    assert appeal.published_at == PUBLISHED
    assert appeal.issued_on == datetime.date(2019, 5, 24)
    assert appeal.reference.endswith("/ 0519")
    times = dict(appeal.events.values_list("action", "at"))
    assert times[AppealEvent.Action.PUBLISHED] == PUBLISHED
    assert times[AppealEvent.Action.SUBMITTED] == PUBLISHED - datetime.timedelta(hours=1)
