"""``Appeal.is_published`` says what ``Appeal.objects.published()`` says, for every case."""

import datetime

import pytest
from django.utils import timezone

from appeals.models import Appeal
from tests.factories import AppealFactory, IncidentFactory


def embargoed(appeal):
    appeal.published_at = timezone.now() + datetime.timedelta(days=1)
    appeal.save()


def incident_unpublished(appeal):
    appeal.incident.publication_state = appeal.incident.State.WITHDRAWN
    appeal.incident.save()


def no_reference(appeal):
    Appeal.objects.filter(pk=appeal.pk).update(reference=None)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "public"),
    [
        (None, True),
        (embargoed, False),
        (incident_unpublished, False),
        (no_reference, False),
    ],
)
def test_the_property_agrees_with_the_queryset(change, public):
    appeal = AppealFactory(published=True)
    if change is not None:
        change(appeal)
    loaded = Appeal.objects.select_related("incident").get(pk=appeal.pk)

    assert Appeal.objects.published().filter(pk=appeal.pk).exists() is public
    assert loaded.is_published is public


@pytest.mark.django_db
def test_a_draft_appeal_is_not_published():
    appeal = AppealFactory(incident=IncidentFactory(published=True))

    assert appeal.is_published is False
    assert not Appeal.objects.published().filter(pk=appeal.pk).exists()
