"""Two reviewers acting at the same moment: the row lock lets only one of them act."""

import threading

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection

from incidents.models import PublicationEvent
from incidents.services import incident_publish

from ..factories import IncidentFactory, UserFactory


@pytest.mark.postgres
def test_two_reviewers_publishing_at_once_publish_once(seeded_transactional_db):
    """The row lock makes the second reviewer see the new state and be refused."""
    reviewers = [UserFactory(username=f"reviewer{i}", roles=["reviewer"]) for i in range(2)]
    incident = IncidentFactory(in_review=True)
    barrier = threading.Barrier(2)
    outcomes = []

    def publish(actor):
        barrier.wait()
        try:
            incident_publish(actor=actor, incident=incident)
            outcomes.append("published")
        except PermissionDenied:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=publish, args=(r,)) for r in reviewers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["published", "refused"]
    assert PublicationEvent.objects.filter(action="published").count() == 1
